package org.multiprocessing4j.spi;

import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeoutException;

/** Where the rounds of a {@link org.multiprocessing4j.ProcessBarrier} are counted. */
public interface BarrierStore {
    /** The number of parties that trip the barrier. */
    int parties();

    /** Whether the current round is broken. */
    boolean isBroken();

    /** How many parties wait now (0 if broken). */
    int waiting();

    /**
     * Waits for the other parties of this round ({@code -1}: as long as it takes), with no
     * barrier action: {@code await(timeoutNanos, null)}.
     *
     * @return the arrival index: {@code parties() - 1} for the first to arrive, 0 for the last
     * @throws BrokenBarrierException as {@link #await(long, Runnable)}
     * @throws TimeoutException as {@link #await(long, Runnable)}
     * @throws InterruptedException as {@link #await(long, Runnable)}
     */
    default int await(long timeoutNanos) throws InterruptedException, BrokenBarrierException, TimeoutException {
        return await(timeoutNanos, null);
    }

    /**
     * Waits for the other parties of this round ({@code -1}: as long as it takes). If
     * {@code action} is not null and this party is the last to arrive, it runs {@code action} in
     * this thread before any party is released (as {@code CyclicBarrier}'s barrier action); while
     * it runs, the other parties wait for its outcome whatever their timeouts, keep an interrupt
     * for later, and get a {@link BrokenBarrierException} if it throws or its process dies.
     *
     * @return the arrival index: {@code parties() - 1} for the first to arrive, 0 for the last
     * @throws BrokenBarrierException if the round broke (a party timed out, was interrupted or
     *         died, the action failed, or the barrier was reset); the message says why
     * @throws TimeoutException if this party timed out (the round is broken for the others)
     * @throws InterruptedException if interrupted while waiting (the round is broken for the others)
     * @throws RuntimeException (or an {@link Error}) what {@code action} threw, in the party that
     *         ran it (the round is broken for the others)
     */
    int await(long timeoutNanos, Runnable action) throws InterruptedException, BrokenBarrierException, TimeoutException;

    /** Breaks the current round for its waiters and starts a new one. */
    void reset();

    /** The serial form of this store. */
    StoreHandle<BarrierStore> handle();
}
