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
import org.multiprocessing4j.internal.codec.Codec;
import org.multiprocessing4j.internal.sync.BarrierCell;
import org.multiprocessing4j.spi.BarrierStore;

/**
 * A barrier for a fixed number of parties in any processes of a family, as Python's
 * {@code multiprocessing.Barrier}, with the methods of {@link java.util.concurrent.CyclicBarrier}:
 * each {@link #await()} waits until {@link #getParties()} threads have called it, then all go on
 * and the barrier can be used again.
 *
 * <p><b>The barrier action</b> ({@link ProcessContext#barrier(int, SerializableRunnable)}), as
 * {@code CyclicBarrier}'s and Python's {@code Barrier(parties, action)}: once per round, the
 * thread that arrives last runs it, after every party has arrived and before any is released.
 * The action travels with the barrier: a process that receives the barrier (captured by its
 * target, put on a queue...) gets its own copy, as of the moment the barrier was serialized, and
 * whichever process arrives last runs its copy; in the process that made the barrier it is the
 * object given. If the action throws, the round breaks: the other parties get a
 * {@link BrokenBarrierException} and the last party's {@code await} throws what the action threw.
 * While the action runs, the other parties wait for its outcome whatever their timeouts, and
 * an interrupt is kept (their interrupt flag set when they return), as {@code CyclicBarrier}'s
 * waiters do, whose action runs under its lock; a thread that arrives meanwhile waits for it
 * too, then counts in the next round. If the process running the action dies (or, on a cluster,
 * its node), the others get a {@code BrokenBarrierException}; an action that hangs keeps them
 * waiting, as it would a {@code CyclicBarrier}.
 *
 * <p><b>It breaks instead of hanging</b>, as {@code CyclicBarrier} does: when a waiter times out
 * or is interrupted, when {@link #reset()} is called, and also when a process that waited in the
 * previous round has died without reaching this one while no other such process is alive and
 * still to come (after a 2 s grace, for a replacement); every waiter then gets a
 * {@link BrokenBarrierException}, and so does every later {@code await} until {@code reset()}. A
 * party that dies before or during its first {@code await} is not noticed: use a timeout there.
 *
 * <p>Memory consistency effects: actions in a thread prior to calling {@code await()}
 * happen-before actions following a successful return from the corresponding {@code await()}
 * in the other parties, whichever processes of the family they are in (across processes, for
 * the memory they share). Every arrival is a compare-and-set on one word of shared memory, the
 * last one trips the barrier, and a waiter returns once it reads the tripped round with a
 * volatile read. With a barrier action, as in {@code CyclicBarrier}: actions prior to calling
 * {@code await()} happen-before the actions of the barrier action, which happen-before actions
 * following a successful return from the corresponding {@code await()} in the other parties
 * (the last arrival claims the round with one compare-and-set, and trips it with another once
 * the action has returned). An {@code await} that throws gives no such guarantee.
 */
public final class ProcessBarrier implements Serializable {
    private static final long serialVersionUID = 1L;

    private final transient BarrierStore store;
    /** Run by the last party of each round, or null; a copy in every process but the first. */
    private final transient SerializableRunnable action;

    ProcessBarrier(BarrierStore store) {
        this(store, null);
    }

    ProcessBarrier(BarrierStore store, SerializableRunnable action) {
        this.store = store;
        this.action = action;
    }

    /**
     * Checks that {@code action} can travel with a barrier to other processes, so that a
     * non-serializable capture is refused where the barrier is made, not where it is sent.
     *
     * @throws ProcessSerializationException naming the class that cannot be serialized and where
     *         it was found
     */
    static void checkAction(SerializableRunnable action) {
        Codec.defaultCodec().encode(action, "the barrier action"); // a trial: the bytes are not kept
    }

    /** A barrier over {@code barrier}'s store whose action is {@code action} (null: none). */
    static ProcessBarrier withAction(ProcessBarrier barrier, SerializableRunnable action) {
        return action == null ? barrier : new ProcessBarrier(barrier.store, action);
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
     * Waits until every party has arrived; the last to arrive runs the barrier action, if there
     * is one, before any party is released.
     *
     * @return the arrival index: {@code getParties() - 1} for the first, 0 for the last
     * @throws BrokenBarrierException if the barrier is, or becomes while this waits, broken
     *         (the barrier action failed, say)
     * @throws InterruptedException if interrupted while waiting (the barrier breaks), unless every
     *         party had arrived: then it returns with its interrupt flag set
     * @throws RuntimeException (or an {@link Error}) what the barrier action threw, in the party
     *         that ran it (the barrier breaks for the others)
     */
    public int await() throws InterruptedException, BrokenBarrierException {
        try {
            return store.await(-1, action);
        } catch (TimeoutException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /**
     * Waits at most {@code timeout} for every party, as {@link #await()}. The time limits the
     * wait for the others to arrive, not for the barrier action, which runs to its end (a
     * non-positive timeout waits for nobody: it breaks the barrier unless this party is the last).
     *
     * @throws TimeoutException if the time ran out (the barrier breaks for the others)
     * @throws BrokenBarrierException if the barrier is, or becomes while this waits, broken
     * @throws InterruptedException if interrupted while waiting (the barrier breaks), unless every
     *         party had arrived: then it returns with its interrupt flag set
     * @throws RuntimeException (or an {@link Error}) what the barrier action threw, in the party
     *         that ran it
     */
    public int await(long timeout, TimeUnit unit) throws InterruptedException, BrokenBarrierException,
            TimeoutException {
        Objects.requireNonNull(unit, "unit");
        return store.await(Math.max(0, unit.toNanos(timeout)), action);
    }

    /** As {@link #await(long, TimeUnit)}, with a {@code Duration}. */
    public int await(Duration timeout) throws InterruptedException, BrokenBarrierException, TimeoutException {
        return store.await(ProcessQueue.nanos(timeout), action);
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
        return Facade.BARRIER.handle(store.handle(), action);
    }

    private void readObject(ObjectInputStream in) throws InvalidObjectException {
        throw new InvalidObjectException("a barrier travels as its handle");
    }
}
