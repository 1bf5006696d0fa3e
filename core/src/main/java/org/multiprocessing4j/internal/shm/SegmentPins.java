package org.multiprocessing4j.internal.shm;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Segments whose handle went out other than to a child being started (through a queue, say):
 * the receiver opens them through this JVM's descriptor, so they stay open here until the
 * facade that sent them is closed, or for five minutes (a handle waiting longer than that in a
 * queue can only be attached if some other process still holds it). A handle that goes to a
 * child being started is held by its {@link Transit} instead, until the child has ended.
 */
final class SegmentPins {
    private static final Map<SharedSegment, Long> PINNED = new ConcurrentHashMap<>();
    private static final long PIN_NANOS = 5L * 60 * 1_000_000_000L;

    private SegmentPins() {
    }

    /** Keeps {@code s} open while a handle to it may be on its way. */
    static void holdWhileInTransit(SharedSegment s) {
        if (Transit.hold(s)) {
            return;
        }
        long now = System.nanoTime();
        PINNED.put(s, now);
        PINNED.values().removeIf(t -> now - t > PIN_NANOS);
    }

    static void release(SharedSegment s) {
        PINNED.remove(s);
    }
}
