package org.multiprocessing4j.internal.shm;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.multiprocessing4j.internal.platform.ProcessToken;

/**
 * A mutex shared by processes: a word in shared memory that holds the {@link ProcessToken} of
 * the process that holds it, or 0. Threads of one JVM first take a local lock, so that only
 * one of them at a time competes in shared memory. A waiter that finds the holder's process
 * dead takes the lock over, and is told so, to repair what the holder left half done: a
 * holder that dies never leaves the others blocked.
 */
public final class SharedLock {
    public static final int FREE = 0;
    public static final int TIMED_OUT = -1;
    public static final int ACQUIRED = 1;
    public static final int TAKEN_OVER = 2;

    private final ByteBuffer buffer;
    private final int at;
    private final ReentrantLock local = new ReentrantLock();
    private final SleeperTable waiters;

    public SharedLock(ByteBuffer buffer, int at, SleeperTable waiters) {
        this.buffer = buffer;
        this.at = at;
        this.waiters = waiters;
    }

    /**
     * Takes the lock, waiting as {@code backoff} allows.
     *
     * @return {@link #ACQUIRED}, {@link #TAKEN_OVER} (from a dead holder) or {@link #TIMED_OUT}
     * @throws InterruptedException if interrupted while waiting (the lock is not held)
     */
    public int acquire(Backoff backoff, Guard guard) throws InterruptedException {
        if (!local.tryLock()) {
            // Another thread of this JVM has it (perhaps waiting for data while holding it):
            // wait in steps, so that a close() or a dead peer still ends this wait.
            while (true) {
                long left = backoff.remainingNanos();
                if (left <= 0) {
                    return TIMED_OUT;
                }
                if (local.tryLock(Math.min(left, Backoff.SLEEP_CAP_NANOS), TimeUnit.NANOSECONDS)) {
                    break;
                }
                guard.check(true);
            }
        }
        boolean held = false;
        backoff.on(waiters);
        try {
            long me = ProcessToken.current();
            while (true) {
                long owner = (long) SharedSegment.LONGS.getVolatile(buffer, at);
                if (owner == FREE) {
                    if (SharedSegment.LONGS.compareAndSet(buffer, at, 0L, me)) {
                        held = true;
                        return ACQUIRED;
                    }
                    continue;
                }
                boolean slow = backoff.slowCheckDue();
                guard.check(slow);
                if (slow && owner != me && !ProcessToken.isAlive(owner)
                        && SharedSegment.LONGS.compareAndSet(buffer, at, owner, me)) {
                    held = true;
                    return TAKEN_OVER;
                }
                if (!backoff.idle()) {
                    if (SharedSegment.LONGS.compareAndSet(buffer, at, 0L, me)) {
                        held = true;
                        return ACQUIRED;
                    }
                    // Out of time, perhaps before the first slow check came due (a short wait
                    // on a busy machine can spend it all spinning and yielding): a dead holder
                    // must not make a poll() or offer() fail, so look once before giving up.
                    owner = (long) SharedSegment.LONGS.getVolatile(buffer, at);
                    if (owner != FREE && owner != me && !ProcessToken.isAlive(owner)
                            && SharedSegment.LONGS.compareAndSet(buffer, at, owner, me)) {
                        held = true;
                        return TAKEN_OVER;
                    }
                    return TIMED_OUT;
                }
            }
        } finally {
            if (!held) {
                local.unlock();
            }
        }
    }

    /** The token of the process holding the lock, or 0. */
    public long holder() {
        return (long) SharedSegment.LONGS.getVolatile(buffer, at);
    }

    /**
     * Releases the lock. A compare-and-set, not a store: if another process took the lock over
     * believing this one dead, this one must not free the lock under it.
     */
    public void release() {
        SharedSegment.LONGS.compareAndSet(buffer, at, ProcessToken.current(), 0L);
        local.unlock();
        waiters.wakeOne();
    }
}
