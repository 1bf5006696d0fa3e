package org.multiprocessing4j.spi;

import java.io.Serializable;

/**
 * Where the waiters of a {@link org.multiprocessing4j.ProcessCondition} are counted and
 * signalled. A condition belongs to one {@link LockStore}, which made or re-attached it.
 */
public interface ConditionStore {
    /** A bit of what {@link #await} returns: the wait ended with a signal, not a timeout. */
    int SIGNALLED = 1;
    /** A bit of what {@link #await} returns: the lock was taken back from a holder that died. */
    int RECOVERED = 2;

    /**
     * Releases the lock (every hold of the calling thread), waits for a signal or the timeout,
     * and takes the lock again with the same hold count before it returns, however it returns.
     *
     * @return {@link #SIGNALLED} if signalled, plus {@link #RECOVERED} if the lock was taken back
     *         from a dead holder
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock
     * @throws InterruptedException if interrupted while waiting (the lock is held again; see
     *         {@link #lastAwaitRecovered()})
     */
    int await(long timeoutNanos) throws InterruptedException;

    /**
     * As {@link #await} with no time limit, except that an interrupt does not end the wait: the
     * caller keeps its place among the waiters, so a signal given meanwhile still reaches it, and
     * its interrupt status is set again when it returns. The default waits again after each
     * interrupted {@code await}, which misses a signal given while it took the lock back; a
     * store that can keep a waiter's place across an interrupt overrides it.
     *
     * @return as {@link #await}
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock
     */
    default int awaitUninterruptibly() {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return await(-1);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** After an interrupted {@link #await}: whether the lock was taken back from a dead holder. */
    boolean lastAwaitRecovered();

    /** Wakes one waiter, if any. */
    void signal();

    /** Wakes every waiter. */
    void signalAll();

    /** The serial form, for {@link LockStore#attachCondition}. */
    Serializable handle();
}
