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
     * Waits for the other parties of this round ({@code -1}: as long as it takes).
     *
     * @return the arrival index: {@code parties() - 1} for the first to arrive, 0 for the last
     * @throws BrokenBarrierException if the round broke (a party timed out, was interrupted or
     *         died, or the barrier was reset); the message says why
     * @throws TimeoutException if this party timed out (the round is broken for the others)
     * @throws InterruptedException if interrupted while waiting (the round is broken for the others)
     */
    int await(long timeoutNanos) throws InterruptedException, BrokenBarrierException, TimeoutException;

    /** Breaks the current round for its waiters and starts a new one. */
    void reset();

    /** The serial form of this store. */
    StoreHandle<BarrierStore> handle();
}
