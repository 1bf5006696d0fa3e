package org.multiprocessing4j.chaos;

import org.multiprocessing4j.SharedLongArray;

/**
 * The words a scenario's children and its parent share, in one {@link SharedLongArray} (one
 * segment per round rather than one per counter): each scenario names its indexes. These helpers
 * add what {@code SharedLongArray} lacks.
 */
final class Board {
    private Board() {
    }

    /** Sets word {@code i} to {@code v} and returns what it held. */
    static long getAndSet(SharedLongArray b, int i, long v) {
        while (true) {
            long prev = b.get(i);
            if (b.compareAndSet(i, prev, v)) {
                return prev;
            }
        }
    }

    /**
     * Raises word {@code i} to now ({@link System#nanoTime}) unless it holds a later time: a
     * progress stamp that a slower writer cannot move back.
     */
    static void stamp(SharedLongArray b, int i) {
        long now = System.nanoTime();
        while (true) {
            long prev = b.get(i);
            if (prev != 0 && prev - now >= 0) {
                return;
            }
            if (b.compareAndSet(i, prev, now)) {
                return;
            }
        }
    }
}
