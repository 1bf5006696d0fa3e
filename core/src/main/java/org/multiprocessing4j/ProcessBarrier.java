package org.multiprocessing4j;

import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.multiprocessing4j.internal.sync.BarrierCell;
import org.multiprocessing4j.spi.BarrierStore;

/**
 * A barrier for a fixed number of parties in any processes of a family, as Python's
 * {@code multiprocessing.Barrier}, with the methods of {@link java.util.concurrent.CyclicBarrier}:
 * each {@link #await()} waits until {@link #getParties()} threads have called it, then all go on
 * and the barrier can be used again.
 *
 * <p><b>It breaks instead of hanging</b>, as {@code CyclicBarrier} does: when a waiter times out
 * or is interrupted, when {@link #reset()} is called, and also when a process that waited in the
 * previous round has died without reaching this one while no other such process is alive and
 * still to come (after a 2 s grace, for a replacement); every waiter then gets a
 * {@link BrokenBarrierException}, and so does every later {@code await} until {@code reset()}. A
 * party that dies before its first {@code await} is not noticed: use a timeout there.
 *
 * <p>Memory consistency effects: actions in a thread prior to calling {@code await()}
 * happen-before actions following a successful return from the corresponding {@code await()}
 * in the other parties, whichever processes of the family they are in (across processes, for
 * the memory they share). Every arrival is a compare-and-set on one word of shared memory, the
 * last one trips the barrier, and a waiter returns once it reads the tripped round with a
 * volatile read. (There is no barrier action, unlike {@code CyclicBarrier}.) An {@code await}
 * that throws gives no such guarantee.
 */
public final class ProcessBarrier implements Serializable {
    private static final long serialVersionUID = 1L;

    private final transient BarrierStore store;

    ProcessBarrier(BarrierStore store) {
        this.store = store;
    }

    /**
     * Makes a barrier for {@code parties}.
     *
     * @throws IllegalArgumentException if {@code parties} is less than 1
     */
    public static ProcessBarrier create(int parties) {
        if (parties < 1 || parties > BarrierCell.MAX_PARTIES) {
            throw new IllegalArgumentException("parties must be between 1 and " + BarrierCell.MAX_PARTIES + ", not "
                    + parties);
        }
        return new ProcessBarrier(BarrierCell.create(parties));
    }

    /**
     * Waits until every party has arrived.
     *
     * @return the arrival index: {@code getParties() - 1} for the first, 0 for the last
     * @throws BrokenBarrierException if the barrier is, or becomes while this waits, broken
     * @throws InterruptedException if interrupted while waiting (the barrier breaks)
     */
    public int await() throws InterruptedException, BrokenBarrierException {
        try {
            return store.await(-1);
        } catch (TimeoutException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /**
     * Waits at most {@code timeout} for every party.
     *
     * @throws TimeoutException if the time ran out (the barrier breaks for the others)
     * @throws BrokenBarrierException if the barrier is, or becomes while this waits, broken
     * @throws InterruptedException if interrupted while waiting (the barrier breaks)
     */
    public int await(long timeout, TimeUnit unit) throws InterruptedException, BrokenBarrierException,
            TimeoutException {
        Objects.requireNonNull(unit, "unit");
        return store.await(Math.max(0, unit.toNanos(timeout)));
    }

    /** As {@link #await(long, TimeUnit)}, with a {@code Duration}. */
    public int await(Duration timeout) throws InterruptedException, BrokenBarrierException, TimeoutException {
        return store.await(ProcessQueue.nanos(timeout));
    }

    /** The number of parties that trip the barrier. */
    public int getParties() {
        return store.parties();
    }

    /** How many parties are waiting now (0 if broken). */
    public int getNumberWaiting() {
        return store.waiting();
    }

    /** Whether the barrier is broken (until {@link #reset()}). */
    public boolean isBroken() {
        return store.isBroken();
    }

    /** Breaks the current round (its waiters get a {@link BrokenBarrierException}) and starts a new one. */
    public void reset() {
        store.reset();
    }

    @Override
    public String toString() {
        return "ProcessBarrier[" + getNumberWaiting() + "/" + getParties() + (isBroken() ? ", broken" : "") + "]";
    }

    Object writeReplace() throws ObjectStreamException {
        return Facade.BARRIER.handle(store.handle());
    }

    private void readObject(ObjectInputStream in) throws InvalidObjectException {
        throw new InvalidObjectException("a barrier travels as its handle");
    }
}
