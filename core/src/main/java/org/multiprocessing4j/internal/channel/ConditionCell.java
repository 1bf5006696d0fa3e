package org.multiprocessing4j.internal.channel;

import java.io.Serializable;

/**
 * A condition variable in shared memory, bound to a {@link LockCell}: a count of waiters and a
 * count of signals not yet taken. {@code signal} adds one permit (if a waiter lacks one) and
 * wakes a sleeper; {@code signalAll} gives every waiter one. A waiter takes a permit with a CAS.
 * A waiter that times out or dies leaves a permit that lets a later waiter return early: a
 * spurious wake-up, which {@code Condition} allows.
 */
public final class ConditionCell extends SyncCell {
    private static final int WAITERS = SyncLayout.MAIN + SyncLayout.COND_WAITERS;
    private static final int PERMITS = SyncLayout.MAIN + SyncLayout.COND_PERMITS;

    private final LockCell lock;
    private final SleeperTable table;

    private ConditionCell(SharedSegment segment, LockCell lock) {
        super(segment);
        this.lock = lock;
        this.table = new SleeperTable(buffer, SyncLayout.MAIN + SyncLayout.COND_TABLE);
    }

    /** Makes a condition of {@code lock}. */
    public static ConditionCell create(LockCell lock) {
        return newSegment(SyncLayout.TYPE_CONDITION, "a ProcessCondition").channel(s -> new ConditionCell(s, lock));
    }

    /** The condition a handle names, bound to {@code lock} (attached from the handle sent with it). */
    public static ConditionCell attach(Serializable handle, LockCell lock) {
        return attached(handle, SyncLayout.TYPE_CONDITION).channel(s -> new ConditionCell(s, lock));
    }

    public LockCell lock() {
        return lock;
    }

    /**
     * Releases the lock, waits for a signal at most {@code timeoutNanos} (negative: no limit),
     * and takes the lock again before it returns, however it returns.
     *
     * @return true if signalled, false if the time ran out
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock
     * @throws InterruptedException if interrupted while waiting (the lock is held again)
     */
    public boolean await(long timeoutNanos) throws InterruptedException {
        if (!lock.isHeldByCurrentThread()) {
            throw new IllegalMonitorStateException("await() needs the condition's lock held by the calling thread");
        }
        getAndAdd(WAITERS, 1);
        int holds = lock.releaseFully();
        boolean signalled = false;
        try (Backoff b = (timeoutNanos < 0 ? Backoff.untimed() : Backoff.timed(timeoutNanos)).on(table)) {
            while (true) {
                long p = getVolatile(PERMITS);
                if (p > 0 && cas(PERMITS, p, p - 1)) {
                    signalled = true;
                    return true;
                }
                if (p == 0 && !b.idle()) {
                    return false;
                }
            }
        } finally {
            getAndAdd(WAITERS, -1);
            lock.reacquire(holds);
            if (!signalled) {
                // A signal meant for this waiter, given after it stopped waiting, is left for the next.
                long w = getVolatile(WAITERS);
                long p = getVolatile(PERMITS);
                if (p > w) {
                    cas(PERMITS, p, w);
                }
            }
        }
    }

    /** Wakes one waiter. @throws IllegalMonitorStateException if the lock is not held */
    public void signal() {
        requireHeld();
        while (true) {
            long w = getVolatile(WAITERS);
            long p = getVolatile(PERMITS);
            if (p >= w || cas(PERMITS, p, p + 1)) {
                break;
            }
        }
        table.wakeOne();
    }

    /** Wakes every waiter. @throws IllegalMonitorStateException if the lock is not held */
    public void signalAll() {
        requireHeld();
        while (true) {
            long w = getVolatile(WAITERS);
            long p = getVolatile(PERMITS);
            if (p >= w || cas(PERMITS, p, w)) {
                break;
            }
        }
        table.wakeAll();
    }

    private void requireHeld() {
        if (!lock.isHeldByCurrentThread()) {
            throw new IllegalMonitorStateException("signal() needs the condition's lock held by the calling thread");
        }
    }
}
