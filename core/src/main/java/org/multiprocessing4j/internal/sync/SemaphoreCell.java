package org.multiprocessing4j.internal.sync;

import java.io.Serializable;
import org.multiprocessing4j.internal.shm.Backoff;
import org.multiprocessing4j.internal.shm.SharedSegment;
import org.multiprocessing4j.internal.shm.SleeperTable;
import org.multiprocessing4j.spi.SemaphoreStore;
import org.multiprocessing4j.spi.StoreHandle;

/**
 * A counting semaphore in shared memory: the permits, an optional bound (the initial value of a
 * bounded semaphore, which a release may not exceed), and a sleeper table. Permits held by a
 * process that dies are not given back (as with Python's semaphores): only locks know their
 * holder.
 */
public final class SemaphoreCell extends SyncCell implements SemaphoreStore {
    private static final int PERMITS = SyncLayout.MAIN_OFFSET + SyncLayout.SEM_PERMITS_OFFSET;
    private static final int BOUND = SyncLayout.MAIN_OFFSET + SyncLayout.SEM_BOUND_OFFSET;

    private final SleeperTable table;

    private SemaphoreCell(SharedSegment segment) {
        super(segment);
        this.table = new SleeperTable(buffer, SyncLayout.MAIN_OFFSET + SyncLayout.SEM_WAITERS_OFFSET);
    }

    /** Makes a semaphore with {@code permits}; bounded ones may never hold more than that. */
    public static SemaphoreCell create(int permits, boolean bounded) {
        SharedSegment s = newSegment(SyncLayout.TYPE_SEMAPHORE, bounded ? "a bounded ProcessSemaphore"
                : "a ProcessSemaphore");
        SemaphoreCell c = s.channel(SemaphoreCell::new);
        c.setVolatile(PERMITS, permits);
        c.setVolatile(BOUND, bounded ? permits : -1);
        return c;
    }

    static SemaphoreCell attach(Serializable handle) {
        return attached(handle, SyncLayout.TYPE_SEMAPHORE).channel(SemaphoreCell::new);
    }

    @Override
    public StoreHandle<SemaphoreStore> handle() {
        return new CellHandle<>(locator(), SyncLayout.TYPE_SEMAPHORE, false);
    }

    @Override
    public boolean isBounded() {
        return getVolatile(BOUND) >= 0;
    }

    @Override
    public int available() {
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, getVolatile(PERMITS)));
    }

    /** Takes {@code n} permits, waiting at most {@code timeoutNanos} (negative: no limit). */
    @Override
    public boolean acquire(int n, long timeoutNanos) throws InterruptedException {
        if (tryTake(n)) {
            return true;
        }
        try (Backoff b = (timeoutNanos < 0 ? Backoff.untimed() : Backoff.timed(timeoutNanos)).on(table).quiet()) {
            while (true) {
                if (tryTake(n)) {
                    return true;
                }
                if (!b.idle()) {
                    return tryTake(n);
                }
            }
        }
    }

    private boolean tryTake(int n) {
        while (true) {
            long v = getVolatile(PERMITS);
            if (v < n) {
                return false;
            }
            if (cas(PERMITS, v, v - n)) {
                return true;
            }
        }
    }

    /**
     * Gives back {@code n} permits and wakes the waiters.
     *
     * @throws IllegalStateException if a bounded semaphore would hold more than its bound
     */
    @Override
    public void release(int n) {
        long bound = getVolatile(BOUND);
        while (true) {
            long v = getVolatile(PERMITS);
            if (v + n < v || v + n > Integer.MAX_VALUE) {
                throw new IllegalStateException("a semaphore cannot hold more than " + Integer.MAX_VALUE + " permits");
            }
            if (bound >= 0 && v + n > bound) {
                throw new IllegalStateException("a bounded semaphore was released more times than it was"
                        + " acquired: " + v + " + " + n + " permits would exceed its bound of " + bound);
            }
            if (cas(PERMITS, v, v + n)) {
                break;
            }
        }
        table.wakeAll();
    }

    /** Takes every permit there is now; returns how many. */
    @Override
    public int drain() {
        while (true) {
            long v = getVolatile(PERMITS);
            if (v <= 0 || cas(PERMITS, v, 0)) {
                return (int) Math.max(0, v);
            }
        }
    }
}
