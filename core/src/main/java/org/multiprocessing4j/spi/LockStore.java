package org.multiprocessing4j.spi;

import java.io.Serializable;

/**
 * Where the state of a {@link org.multiprocessing4j.ProcessLock} (or a
 * {@link org.multiprocessing4j.ProcessReentrantLock}) lives. Ownership is per thread of a
 * process; a lock whose holding process dies is released, and the next holder is told
 * ({@link Acquisition#TAKEN_OVER}). A timeout of {@code -1} nanoseconds means wait as long as it
 * takes, {@code 0} means do not wait.
 */
public interface LockStore {
    /** How an acquisition ended. */
    enum Acquisition {
        /** Not acquired within the timeout. */
        TIMED_OUT,
        /** Acquired. */
        ACQUIRED,
        /** Acquired from a holder that died holding it. */
        TAKEN_OVER
    }

    /**
     * Acquires the lock for the calling thread (again, for a reentrant lock it already holds).
     *
     * @throws IllegalStateException if the calling thread already holds a lock that is not
     *         reentrant (it would wait for itself for ever)
     * @throws InterruptedException if interrupted while waiting (not acquired)
     */
    Acquisition acquire(long timeoutNanos) throws InterruptedException;

    /**
     * Releases one hold of the calling thread.
     *
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock
     */
    void release();

    /** Whether the calling thread holds the lock. */
    boolean isHeldByCurrentThread();

    /** Whether any thread of any process holds the lock now (a snapshot). */
    boolean isLocked();

    /** How many holds the calling thread has (0 if none). */
    int holdCount();

    /** A new condition bound to this lock. */
    ConditionStore newCondition();

    /**
     * Re-attaches a condition of this lock from {@link ConditionStore#handle()}, so that it shares
     * this store's notion of which thread holds the lock.
     */
    ConditionStore attachCondition(Serializable conditionHandle);

    /** The serial form of this store. */
    StoreHandle<LockStore> handle();
}
