package org.multiprocessing4j.internal.sync;

import java.io.Serializable;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeoutException;
import org.multiprocessing4j.internal.platform.ProcessToken;
import org.multiprocessing4j.internal.shm.Backoff;
import org.multiprocessing4j.internal.shm.SharedSegment;
import org.multiprocessing4j.internal.shm.SleeperTable;
import org.multiprocessing4j.spi.BarrierStore;
import org.multiprocessing4j.spi.StoreHandle;

/**
 * A cyclic barrier in shared memory. Its state is one word changed only by CAS: the round
 * (bits 32–63), how each of the last 8 rounds ended (bits 24–31, 1 = tripped, 0 = reset; bit 24
 * the round just before, so that a waiter woken late can tell whether its own round tripped),
 * whether the barrier action of this round is running (bit 23), whether this round is broken
 * (bit 22), and the parties arrived in this round (bits 0–21). A waiter breaks its round when it
 * times out, is interrupted, or finds dead a process that waited in the previous round and has
 * not reached this one: the others then get a {@link BrokenBarrierException} instead of waiting
 * forever.
 *
 * <p><b>The barrier action.</b> With an action, the last party to arrive does not trip the round:
 * it claims it, with one CAS that sets bit 23 and puts in bits 0–21 (every party has arrived, so
 * the count is known) the index of its participant slot, which it wrote just before. It runs the
 * action, then trips the round; if the action throws, it breaks the round instead. Until then
 * the others wait for the outcome whatever their timeouts, and keep an interrupt for later (as a
 * {@code CyclicBarrier}'s waiters wait for its lock while its action runs); a thread that arrives
 * meanwhile waits too, and then joins the next round. Since the slot named in the claim holds the
 * runner's process token from before the claim, a waiter can always tell whether that process
 * died in the action, and then breaks the round.
 *
 * <p>Who waited where is a second record beside the state: a slot per process with the last round
 * it reached. An arrival is counted (a CAS of the state) before it is recorded there, so a process
 * killed between the two has waited in a round its slot does not show: its slot is one round
 * behind. A dead process one round further behind than expected is therefore taken as missing
 * too (the chaos soak found the hang this prevents: {@code BarrierDeadArrivalTest}). A process
 * takes its slot, as expected in its round, before its first arrival is counted, so that one
 * killed inside its first {@code await} is not unknown.
 */
public final class BarrierCell extends SyncCell implements BarrierStore {
    private static final int PARTIES = SyncLayout.MAIN_OFFSET + SyncLayout.BARRIER_PARTIES_OFFSET;
    private static final int STATE = SyncLayout.MAIN_OFFSET + SyncLayout.BARRIER_STATE_OFFSET;
    private static final int PARTICIPANTS = SyncLayout.MAIN_OFFSET + SyncLayout.BARRIER_PARTICIPANTS_OFFSET;
    private static final int ROUND_SHIFT = 32;
    private static final int HISTORY_SHIFT = 24;
    private static final long HISTORY = 0xffL << HISTORY_SHIFT;
    private static final long BROKEN = 1L << 22;
    /** The round is claimed: its barrier action is running (the count bits name the runner's slot). */
    private static final long ACTION = 1L << 23;
    /** The most parties a barrier can have (the count's bits). */
    public static final int MAX_PARTIES = (1 << 22) - 1;
    private static final long COUNT = BROKEN - 1;
    /** In a claimed round's count bits: the runner has no participant slot (every slot is taken). */
    private static final long NO_SLOT = COUNT;
    /**
     * How long a missing party must stay dead, with no other expected party alive, before the
     * round breaks: a process not yet attached (a late replacement) cannot be seen coming.
     */
    private static final long GRACE_NANOS = 2_000_000_000L;

    private final SleeperTable table;
    /** This process's participant slot, as last found (checked against the token before use); -1: none yet. */
    private volatile int mySlot = -1;

    private BarrierCell(SharedSegment segment) {
        super(segment);
        this.table = new SleeperTable(buffer, SyncLayout.BARRIER_WAITERS_OFFSET);
    }

    public static BarrierCell create(int parties) {
        BarrierCell c = newSegment(SyncLayout.TYPE_BARRIER, "a ProcessBarrier").channel(BarrierCell::new);
        c.setVolatile(PARTIES, parties);
        return c;
    }

    static BarrierCell attach(Serializable handle) {
        return attached(handle, SyncLayout.TYPE_BARRIER).channel(BarrierCell::new);
    }

    @Override
    public StoreHandle<BarrierStore> handle() {
        return new CellHandle<>(locator(), SyncLayout.TYPE_BARRIER, false);
    }

    private static long round(long state) {
        return state >>> ROUND_SHIFT;
    }

    /** The state after round {@code s} ends by a trip or a reset: the next round, its history shifted in. */
    private static long next(long s, boolean tripped) {
        long history = ((((s & HISTORY) >>> HISTORY_SHIFT) << 1) | (tripped ? 1 : 0)) & 0xff;
        return ((round(s) + 1) << ROUND_SHIFT) | (history << HISTORY_SHIFT);
    }

    /** How round {@code r} ended, seen from state {@code s} of a later round: true if it tripped. */
    private static boolean tripped(long s, long r) {
        long back = round(s) - r; // 1: the round just before
        if (back > 8) {
            return true; // too far back to know: taken as tripped
        }
        return (((s & HISTORY) >>> HISTORY_SHIFT) >>> (back - 1) & 1) != 0;
    }

    @Override
    public int parties() {
        return (int) getVolatile(PARTIES);
    }

    @Override
    public boolean isBroken() {
        return (getVolatile(STATE) & BROKEN) != 0;
    }

    @Override
    public int waiting() {
        long s = getVolatile(STATE);
        if ((s & BROKEN) != 0) {
            return 0;
        }
        return (s & ACTION) != 0 ? parties() : (int) (s & COUNT); // while the action runs, all are here
    }

    /**
     * Waits until every party has arrived, at most {@code timeoutNanos} (negative: no limit); the
     * last to arrive runs {@code action} (if not null) before any party is released.
     *
     * @return the arrival index: parties − 1 for the first to arrive, 0 for the last
     * @throws BrokenBarrierException if the round is or becomes broken (or is reset)
     * @throws TimeoutException if the time ran out (the round is then broken for the others)
     * @throws InterruptedException if interrupted while waiting (the round is then broken)
     */
    @Override
    public int await(long timeoutNanos, Runnable action)
            throws InterruptedException, BrokenBarrierException, TimeoutException {
        long parties = getVolatile(PARTIES);
        long round;
        long index;
        while (true) {
            long s = getVolatile(STATE);
            if ((s & BROKEN) != 0) {
                throw new BrokenBarrierException("the barrier is broken");
            }
            if ((s & ACTION) != 0) {
                // Every party of this round is here and the action runs: this thread is one too
                // many for the round, and arrives in the next one once the action has run.
                awaitAction(round(s));
                continue;
            }
            round = round(s);
            takeSlot(round);
            long count = s & COUNT;
            if (count + 1 >= parties) {
                if (action == null) {
                    // The last to arrive trips it: the next round begins, noting that this one tripped.
                    if (cas(STATE, s, next(s, true))) {
                        markReached(round);
                        table.wakeAll();
                        return 0;
                    }
                    continue;
                }
                // The slot first, so that whoever sees the claim can find who runs the action.
                int slot = markReached(round);
                if (cas(STATE, s, (s & ~COUNT) | ACTION | (slot < 0 ? NO_SLOT : slot))) {
                    runAction(round, action);
                    return 0;
                }
                continue;
            }
            if (cas(STATE, s, (s & ~COUNT) | (count + 1))) {
                index = count;
                break;
            }
        }
        markReached(round);
        int arrival = (int) (parties - 1 - index);
        long deadSince = 0;
        try (Backoff b = (timeoutNanos < 0 ? Backoff.untimed() : Backoff.timed(timeoutNanos)).on(table)) {
            while (true) {
                long s = getVolatile(STATE);
                if (round(s) != round) {
                    if (!tripped(s, round)) {
                        throw new BrokenBarrierException("the barrier was reset");
                    }
                    return arrival;
                }
                if ((s & BROKEN) != 0) {
                    throw new BrokenBarrierException("the barrier was broken: " + describeBreak());
                }
                if ((s & ACTION) != 0) {
                    awaitAction(round); // its outcome decides this party's: see the class comment
                    continue;
                }
                if (b.slowCheckDue()) {
                    long dead = missingDeadParty(round);
                    long now = System.nanoTime();
                    if (dead == 0) {
                        deadSince = 0;
                    } else if (deadSince == 0) {
                        deadSince = now;
                    } else if (now - deadSince >= GRACE_NANOS
                            && breakRound(round, false, "process " + dead + " ended without reaching this round")) {
                        throw new BrokenBarrierException("process " + dead
                                + ", a party of this barrier, ended without reaching it");
                    }
                }
                boolean more;
                try {
                    more = b.idle();
                } catch (InterruptedException e) {
                    if (breakRound(round, false, "a waiting thread was interrupted")) {
                        throw e;
                    }
                    Thread.currentThread().interrupt();
                    continue; // it tripped meanwhile, or its action runs: go on, the interrupt kept
                }
                if (!more && breakRound(round, false, "a waiting thread timed out")) {
                    throw new TimeoutException("not every party arrived in time; the barrier is broken");
                }
            }
        }
    }

    private String describeBreak() {
        return "a party timed out, was interrupted, or died, or the barrier action failed";
    }

    /**
     * Runs the action of {@code round}, which this thread has claimed, then trips the round; if
     * the action throws, breaks the round and throws what it threw.
     */
    private void runAction(long round, Runnable action) throws BrokenBarrierException {
        try {
            action.run();
        } catch (Throwable t) {
            breakRound(round, true, "the barrier action threw " + t);
            throw t; // what the action threw (unchecked), as CyclicBarrier's await does
        }
        while (true) {
            long s = getVolatile(STATE);
            if (round(s) != round) {
                throw new BrokenBarrierException("the barrier was reset while its action ran");
            }
            if ((s & BROKEN) != 0) {
                throw new BrokenBarrierException("the barrier was broken while its action ran");
            }
            if (cas(STATE, s, next(s, true))) {
                table.wakeAll();
                return;
            }
        }
    }

    /**
     * Waits while the action of {@code round} runs, until the round trips, breaks or is reset.
     * Breaks it if the process that runs the action dies. Neither a timeout nor an interrupt ends
     * this wait: an interrupt is kept (the flag is set again) for the caller.
     */
    private void awaitAction(long round) {
        boolean interrupted = false;
        // A waiter calls this inside its own timed wait, whose table slot stays taken meanwhile:
        // for the length of an action it holds two (past 32 sleepers the rest park instead).
        try (Backoff b = Backoff.untimed().on(table)) {
            while (true) {
                long s = getVolatile(STATE);
                if (round(s) != round || (s & (ACTION | BROKEN)) != ACTION) {
                    return;
                }
                if (b.slowCheckDue()) {
                    long runner = runnerOf(s);
                    if (runner != 0 && !ProcessToken.isAlive(runner)) {
                        breakRound(round, true, "process " + ProcessToken.pid(runner) + " died in the barrier action");
                        return;
                    }
                }
                try {
                    b.idle();
                } catch (InterruptedException e) {
                    interrupted = true; // the flag was cleared: the wait goes on, the interrupt is kept
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The token of the process running the action of claimed state {@code s}, or 0 if not known. */
    private long runnerOf(long s) {
        long slot = s & COUNT;
        return slot == NO_SLOT || slot >= SyncLayout.BARRIER_SLOT_COUNT ? 0 : getVolatile(PARTICIPANTS + (int) slot * 16);
    }

    /**
     * Breaks round {@code round} if it is still going; false if it ended meanwhile. A claimed
     * round (its action runs) is broken only {@code duringAction}: by its runner, whose action
     * threw, or by a waiter that found the runner dead. A party that times out or is interrupted,
     * or finds a party missing, after every party has arrived waits for the action instead, as
     * a {@code CyclicBarrier}'s waiter waits for its lock and then finds its round tripped.
     */
    private boolean breakRound(long round, boolean duringAction, String why) {
        while (true) {
            long s = getVolatile(STATE);
            if (round(s) != round || ((s & ACTION) != 0 && (s & BROKEN) == 0 && !duringAction)) {
                return false;
            }
            if ((s & BROKEN) != 0 || cas(STATE, s, s | BROKEN)) {
                table.wakeAll();
                return true;
            }
        }
    }

    /** Breaks the current round (its waiters get a BrokenBarrierException) and starts a new, unbroken one. */
    @Override
    public void reset() {
        while (true) {
            long s = getVolatile(STATE);
            if (cas(STATE, s, next(s, false))) {
                break;
            }
        }
        for (int i = 0; i < SyncLayout.BARRIER_SLOT_COUNT; i++) {
            setVolatile(PARTICIPANTS + i * 16, 0); // who the parties are is learnt again
        }
        table.wakeAll();
    }

    /**
     * Gives this process a slot, if it has none, saying it is expected in {@code round}: from now
     * on its death is noticed (see the class description).
     */
    private void takeSlot(long round) {
        slot(round);
    }

    /**
     * Records that this process reached {@code round}.
     *
     * @return the index of this process's slot, or -1 if every slot is taken by others
     */
    private int markReached(long round) {
        int at = slot(round + 1);
        if (at < 0) {
            return -1;
        }
        setVolatile(at + 8, round + 1);
        return (at - PARTICIPANTS) / 16;
    }

    /**
     * The offset of this process's slot; if it has none, a free slot claimed with {@code initial}
     * as its round word; -1 if every slot is taken.
     */
    private int slot(long initial) {
        long me = ProcessToken.current();
        int known = mySlot;
        if (known >= 0 && getVolatile(known) == me) {
            return known; // the usual case, without a scan (reset() frees every slot)
        }
        while (true) {
            int free = -1;
            for (int i = 0; i < SyncLayout.BARRIER_SLOT_COUNT; i++) {
                int at = PARTICIPANTS + i * 16;
                long t = getVolatile(at);
                if (t == me) {
                    mySlot = at;
                    return at;
                }
                if (t == 0 && free < 0) {
                    free = at;
                }
            }
            if (free < 0) {
                return -1;
            }
            // The round word first, then the token: a slot is read only once its token is there,
            // and a free slot's round word is still what its last owner wrote.
            setVolatile(free + 8, initial);
            if (cas(free, 0, me)) {
                mySlot = free;
                return free;
            }
            // Another process (or another thread of this one) took that slot meanwhile: look again.
        }
    }

    /**
     * A dead process that reached the round before {@code round} (or was expected in it) and has
     * not reached {@code round}, when no live process that is expected has yet to arrive; or 0.
     * (While a live party may still come, a dead one may have been replaced: the round is given
     * its chance.) Slots of dead processes from older rounds are freed.
     */
    private long missingDeadParty(long round) {
        long dead = 0;
        for (int i = 0; i < SyncLayout.BARRIER_SLOT_COUNT; i++) {
            int at = PARTICIPANTS + i * 16;
            long t = getVolatile(at);
            if (t == 0) {
                continue;
            }
            long reached = getVolatile(at + 8); // round + 1 last reached; 0: expected in round 0
            if (reached == round + 1) {
                continue; // it is here
            }
            boolean expectedNow = reached == round; // it waited in the round before this one
            if (ProcessToken.isAlive(t)) {
                if (expectedNow) {
                    return 0; // a live party may still come
                }
                continue;
            }
            // Dead one round further behind: it may have been counted in the round before and
            // killed before it recorded that (see the class description); missing all the same.
            if (expectedNow || reached + 1 == round) {
                dead = ProcessToken.pid(t);
            } else {
                cas(at, t, 0); // dead, and not a party of this round: forget it
            }
        }
        return dead;
    }
}
