package org.multiprocessing4j.internal.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.multiprocessing4j.ProcessBarrier;
import org.multiprocessing4j.internal.platform.ProcessToken;
import org.multiprocessing4j.internal.shm.SleeperTable;

/**
 * The barrier's state word (round in bits 32–63, how the last 8 rounds ended in bits 24–31 with
 * bit 24 the latest, the action running in bit 23, broken in bit 22, parties arrived in bits 0–21,
 * or while the action runs the runner's participant slot), driven through the cell's
 * public operations with threads of this JVM standing in for processes, and read back from the
 * segment. Cells are made with {@link BarrierCell#create}: real segments, unlinked at once.
 *
 * <p>Threads wait for each other only by polling the barrier's own state (bounded, failing with
 * a message), never by sleeping.
 */
class BarrierCellTest {
    private static final int STATE = SyncLayout.MAIN_OFFSET + SyncLayout.BARRIER_STATE_OFFSET;
    private static final int PARTICIPANTS = SyncLayout.MAIN_OFFSET + SyncLayout.BARRIER_PARTICIPANTS_OFFSET;
    private static final long BROKEN = 1L << 22;
    private static final long COUNT = BROKEN - 1;
    private static final long ACTION = 1L << 23;
    private static final long FIVE_SECONDS = TimeUnit.SECONDS.toNanos(5);

    private final List<Waiter> waiters = new ArrayList<>();

    @AfterEach
    void stopWaiters() throws InterruptedException {
        for (Waiter w : waiters) {
            w.thread.interrupt();
            w.thread.join(5_000);
        }
    }

    /**
     * One party waiting in its own thread; its outcome is its arrival index or what it threw, and
     * whether its interrupt flag was set when its await ended.
     */
    private final class Waiter {
        final Thread thread;
        final AtomicReference<Object> outcome = new AtomicReference<>();
        volatile boolean interruptedAfter;

        Waiter(BarrierCell cell, long timeoutNanos, String name) {
            this(cell, timeoutNanos, null, name);
        }

        Waiter(BarrierCell cell, long timeoutNanos, Runnable action, String name) {
            thread = new Thread(() -> {
                try {
                    outcome.set(cell.await(timeoutNanos, action));
                } catch (Throwable t) {
                    outcome.set(t);
                }
                interruptedAfter = Thread.currentThread().isInterrupted();
            }, "BarrierCellTest-" + name);
            waiters.add(this);
            thread.start();
        }

        /** What {@code await} ended with, waiting at most 5 s for it. */
        Object outcome(String expected) throws InterruptedException {
            thread.join(5_000);
            if (thread.isAlive()) {
                thread.interrupt();
                fail("expected " + thread.getName() + " to end its await (" + expected + ") within 5 s; it is still waiting");
            }
            return outcome.get();
        }

        void assertReturned(int index) throws InterruptedException {
            Object o = outcome("arrival index " + index);
            assertEquals(Integer.valueOf(index), o, "expected " + thread.getName() + " to return arrival index " + index);
        }

        BrokenBarrierException assertBroken() throws InterruptedException {
            Object o = outcome("Broken");
            return assertInstanceOf(BrokenBarrierException.class, o, "expected " + thread.getName() + " to get Broken");
        }
    }

    private static long state(BarrierCell c) {
        return c.getVolatile(STATE);
    }

    private static void assertState(BarrierCell c, long round, int history, boolean broken, long count, String when) {
        long s = state(c);
        assertEquals(round, s >>> 32, when + ": expected round " + round);
        assertEquals(history, (int) (s >>> 24) & 0xff, when + ": expected history of rounds 0b" + Integer.toBinaryString(history)
                + " (bit 0 the latest; 1 tripped, 0 reset)");
        assertEquals(broken, (s & BROKEN) != 0, when + ": expected broken " + broken);
        assertEquals(count, s & COUNT, when + ": expected " + count + " arrived");
        assertEquals(0, s & ACTION, when + ": expected no action running (bit 23 clear)");
    }

    /** Polls the barrier until {@code n} parties have arrived in the current round (at most 5 s). */
    private static void awaitArrived(BarrierCell c, long n) {
        long deadline = System.nanoTime() + FIVE_SECONDS;
        while ((state(c) & COUNT) != n) {
            if (System.nanoTime() - deadline > 0) {
                fail("expected " + n + " parties arrived within 5 s; state is 0x" + Long.toHexString(state(c)));
            }
            Thread.yield();
        }
    }

    /** Polls until {@code t} is inside {@code BarrierCell.method} (at most 5 s). */
    private static void awaitInside(Thread t, String method) {
        long deadline = System.nanoTime() + FIVE_SECONDS;
        while (true) {
            for (StackTraceElement e : t.getStackTrace()) {
                if (e.getClassName().equals(BarrierCell.class.getName()) && e.getMethodName().equals(method)) {
                    return;
                }
            }
            if (System.nanoTime() - deadline > 0) {
                fail("expected " + t.getName() + " inside BarrierCell." + method + " within 5 s");
            }
            Thread.yield();
        }
    }

    /** One round of a barrier of three: two waiters, then this thread trips it; each gets its index. */
    private void tripARoundOfThree(BarrierCell c, String what) throws Exception {
        Waiter first = new Waiter(c, FIVE_SECONDS, "first");
        awaitArrived(c, 1);
        Waiter second = new Waiter(c, FIVE_SECONDS, "second");
        awaitArrived(c, 2);
        assertEquals(0, c.await(FIVE_SECONDS), "expected " + what + " to trip");
        first.assertReturned(2);
        second.assertReturned(1);
    }

    /** Wakes every sleeper of the barrier, as the process that changes its state does. */
    private static void wakeSleepers(BarrierCell c) {
        new SleeperTable(c.buffer, SyncLayout.BARRIER_WAITERS_OFFSET).wakeAll();
    }

    @Test
    void aNewBarrierIsInRoundZeroUnbrokenWithNobodyArrived() {
        BarrierCell c = BarrierCell.create(3);
        assertEquals(3, c.parties(), "expected the parties given at creation");
        assertEquals(0L, state(c), "expected a new barrier's state word to be 0");
        assertEquals(0, c.waiting(), "expected nobody waiting");
        assertFalse(c.isBroken(), "expected a new barrier unbroken");
    }

    @Test
    void theLastArrivalTripsTheRoundAndEachPartyLearnsItsIndex() throws Exception {
        BarrierCell c = BarrierCell.create(3);
        for (int round = 0; round < 3; round++) {
            Waiter first = new Waiter(c, -1, "first-" + round);
            awaitArrived(c, 1);
            assertEquals(1, c.waiting(), "expected waiting() 1 with one party arrived");
            Waiter second = new Waiter(c, FIVE_SECONDS, "second-" + round);
            awaitArrived(c, 2);
            assertState(c, round, (1 << round) - 1, false, 2, "round " + round + ", two of three arrived");
            assertEquals(0, c.await(FIVE_SECONDS), "expected the last arrival to trip the barrier and get index 0");
            first.assertReturned(2);
            second.assertReturned(1);
            assertState(c, round + 1, (1 << (round + 1)) - 1, false, 0, "after round " + round + " tripped");
        }
        long me = ProcessToken.current();
        assertEquals(me, c.getVolatile(PARTICIPANTS), "expected this process recorded as a participant");
        assertEquals(3, c.getVolatile(PARTICIPANTS + 8), "expected it recorded as having reached round 2 (stored as 3)");
        assertEquals(0, c.getVolatile(PARTICIPANTS + 16), "expected one slot for every thread of one process");
    }

    @Test
    void theHistoryKeepsTheLastEightRoundsOnly() throws Exception {
        BarrierCell c = BarrierCell.create(1);
        int history = 0;
        // Outcomes, oldest first: 1 tripped, 0 reset.
        int[] outcomes = {1, 0, 1, 1, 0, 0, 1, 0, 1, 1, 0, 1};
        for (int r = 0; r < outcomes.length; r++) {
            if (outcomes[r] == 1) {
                assertEquals(0, c.await(0), "expected a barrier of one party to trip at once");
            } else {
                c.reset();
            }
            history = ((history << 1) | outcomes[r]) & 0xff;
            assertState(c, r + 1, history, false, 0, "after round " + r + (outcomes[r] == 1 ? " tripped" : " reset"));
        }
    }

    @Test
    void aTimeoutBreaksTheRoundForEveryWaiterUntilReset() throws Exception {
        BarrierCell c = BarrierCell.create(3);
        Waiter other = new Waiter(c, -1, "other");
        awaitArrived(c, 1);
        assertThrows(TimeoutException.class, () -> c.await(0), "expected an await with no time to time out");
        BrokenBarrierException b = other.assertBroken();
        assertTrue(b.getMessage().contains("broken"),
                "expected the other waiter told the barrier was broken, was: " + b.getMessage());
        assertState(c, 0, 0, true, 2, "after the timeout");
        assertTrue(c.isBroken(), "expected isBroken() after a timeout");
        assertEquals(0, c.waiting(), "expected waiting() 0 while broken");

        BrokenBarrierException again = assertThrows(BrokenBarrierException.class, () -> c.await(FIVE_SECONDS),
                "expected an await on a broken barrier to fail at once");
        assertTrue(again.getMessage().contains("broken"),
                "expected 'the barrier is broken', was: " + again.getMessage());
        assertState(c, 0, 0, true, 2, "after an await on the broken barrier (it must not arrive)");

        c.reset();
        assertState(c, 1, 0b0, false, 0, "after reset");
        assertFalse(c.isBroken(), "expected reset to mend the barrier");
        assertEquals(0, c.getVolatile(PARTICIPANTS), "expected reset to forget the participants");
        tripARoundOfThree(c, "the mended barrier");
        assertState(c, 2, 0b01, false, 0, "after the round after the reset tripped");
    }

    @Test
    void anInterruptedWaiterBreaksTheRound() throws Exception {
        BarrierCell c = BarrierCell.create(3);
        Waiter victim = new Waiter(c, -1, "victim");
        awaitArrived(c, 1);
        Waiter other = new Waiter(c, -1, "other");
        awaitArrived(c, 2);
        victim.thread.interrupt();
        assertInstanceOf(InterruptedException.class, victim.outcome("InterruptedException"),
                "expected the interrupted waiter to get InterruptedException");
        other.assertBroken();
        assertState(c, 0, 0, true, 2, "after the interrupt");
    }

    @Test
    void resetBreaksTheWaitersOfTheRoundAndRecordsItAsNotTripped() throws Exception {
        BarrierCell c = BarrierCell.create(3);
        Waiter a = new Waiter(c, -1, "a");
        awaitArrived(c, 1);
        Waiter b = new Waiter(c, FIVE_SECONDS, "b");
        awaitArrived(c, 2);
        c.reset();
        for (Waiter w : new Waiter[] {a, b}) {
            BrokenBarrierException e = w.assertBroken();
            assertTrue(e.getMessage().contains("reset"),
                    "expected " + w.thread.getName() + " told the barrier was reset, was: " + e.getMessage());
        }
        assertState(c, 1, 0b0, false, 0, "after a reset with two waiting");
        assertFalse(c.isBroken(), "expected a reset barrier unbroken");

        c.reset(); // nobody waiting: the round still ends, as reset
        assertState(c, 2, 0b00, false, 0, "after a reset with nobody waiting");
        tripARoundOfThree(c, "the round after the resets");
        assertState(c, 3, 0b001, false, 0, "after a tripped round following two resets");
    }

    /**
     * A waiter that looks only after its round ended and {@code later} - 1 more rounds ended too
     * (it slept through them) learns from the history whether its own round tripped or was
     * reset. The later rounds end the other way, so a waiter reading the wrong bit would be
     * wrong. The jump to the later state is one CAS, copied from a second barrier (one party)
     * that went through the same rounds by its public operations.
     */
    @ParameterizedTest(name = "own round tripped: {0}, found {1} rounds later")
    @CsvSource({"true,1", "true,2", "true,5", "true,8", "false,1", "false,2", "false,3", "false,7", "false,8"})
    void aLateWaiterLearnsHowItsRoundEndedFromTheHistory(boolean tripped, int later) throws Exception {
        BarrierCell c = BarrierCell.create(2);
        Waiter late = new Waiter(c, -1, "late");
        awaitArrived(c, 1);
        long arrived = state(c);

        long target = stateAfter(tripped, later);
        assertEquals(later, target >>> 32, "expected the copied state to be " + later + " rounds on");
        assertTrue(c.cas(STATE, arrived, target), "expected the jump to the later state to succeed");
        wakeSleepers(c);
        if (tripped) {
            late.assertReturned(1);
        } else {
            BrokenBarrierException b = late.assertBroken();
            assertTrue(b.getMessage().contains("reset"),
                    "expected the late waiter told its round was reset, was: " + b.getMessage());
        }
    }

    /**
     * The history holds 8 rounds: a waiter that looks 9 rounds after its round was reset cannot
     * know, and takes it as tripped (as the class documents).
     */
    @Test
    void nineRoundsLaterAResetRoundIsTakenAsTripped() throws Exception {
        BarrierCell c = BarrierCell.create(2);
        Waiter late = new Waiter(c, -1, "late");
        awaitArrived(c, 1);
        assertTrue(c.cas(STATE, state(c), stateAfter(false, 9)), "expected the jump to succeed");
        wakeSleepers(c);
        late.assertReturned(1);
    }

    /**
     * The state of a barrier of one party after its round 0 ended ({@code tripped} or reset) and
     * {@code later} - 1 more rounds ended the other way.
     */
    private static long stateAfter(boolean tripped, int later) throws Exception {
        BarrierCell scratch = BarrierCell.create(1);
        for (int r = 0; r < later; r++) {
            boolean trip = r == 0 ? tripped : !tripped;
            if (trip) {
                assertEquals(0, scratch.await(0), "expected one party to trip at once");
            } else {
                scratch.reset();
            }
        }
        return state(scratch);
    }

    @Test
    void theLimitOfPartiesFillsTheCountWithoutTouchingTheBrokenBit() throws Exception {
        assertEquals((1 << 22) - 1, BarrierCell.MAX_PARTIES, "expected at most 2^22 - 1 parties");
        assertThrows(IllegalArgumentException.class, () -> ProcessBarrier.create(BarrierCell.MAX_PARTIES + 1),
                "expected a barrier of 2^22 parties refused");
        assertThrows(IllegalArgumentException.class, () -> ProcessBarrier.create(0), "expected a barrier of 0 parties refused");

        BarrierCell c = BarrierCell.create(BarrierCell.MAX_PARTIES);
        assertEquals(BarrierCell.MAX_PARTIES, c.parties(), "expected the parties kept");
        // All but two parties have arrived (in processes the test stands for).
        assertTrue(c.cas(STATE, 0L, BarrierCell.MAX_PARTIES - 2L), "expected the count set");
        Waiter last = new Waiter(c, FIVE_SECONDS, "last-but-one");
        awaitArrived(c, BarrierCell.MAX_PARTIES - 1L);
        assertState(c, 0, 0, false, BarrierCell.MAX_PARTIES - 1L, "with every party but one arrived");
        assertEquals(BarrierCell.MAX_PARTIES - 1, c.waiting(), "expected waiting() to give the full count");
        assertFalse(c.isBroken(), "expected a full count not to read as broken");
        assertEquals(0, c.await(FIVE_SECONDS), "expected the last party to trip");
        last.assertReturned(1);
        assertState(c, 1, 1, false, 0, "after the biggest round tripped");
    }

    @Test
    void theRoundCounterWrapsAndAWaiterStillLearnsItsRoundTripped() throws Exception {
        BarrierCell c = BarrierCell.create(2);
        long lastRound = 0xFFFF_FFFFL;
        assertTrue(c.cas(STATE, 0L, (lastRound << 32) | (0x5AL << 24)), "expected the state set to the last round");
        Waiter w = new Waiter(c, FIVE_SECONDS, "w");
        awaitArrived(c, 1);
        assertEquals(0, c.await(FIVE_SECONDS), "expected the last arrival to trip");
        w.assertReturned(1);
        assertState(c, 0, 0xB5, false, 0, "after the round counter wrapped");
    }

    @Test
    void theLastArrivalRunsTheActionOncePerRoundBeforeAnyPartyIsReleased() throws Exception {
        BarrierCell c = BarrierCell.create(3);
        List<Waiter> early = new ArrayList<>();
        AtomicInteger runs = new AtomicInteger();
        Runnable action = () -> {
            runs.incrementAndGet();
            long s = state(c);
            assertEquals(ACTION, s & ACTION, "expected the round claimed (bit 23) while its action runs");
            assertEquals(0, s & COUNT, "expected the count bits to name the runner's participant slot, 0");
            assertEquals(3, c.waiting(), "expected every party counted as waiting while the action runs");
            for (Waiter w : early) {
                assertTrue(w.thread.isAlive() && w.outcome.get() == null,
                        "expected " + w.thread.getName() + " held until the action has run");
            }
        };
        for (int round = 0; round < 2; round++) {
            early.clear();
            early.add(new Waiter(c, -1, action, "first-" + round));
            awaitArrived(c, 1);
            early.add(new Waiter(c, FIVE_SECONDS, action, "second-" + round));
            awaitArrived(c, 2);
            assertEquals(0, c.await(FIVE_SECONDS, action), "expected the last arrival, which ran the action, to get 0");
            early.get(0).assertReturned(2);
            early.get(1).assertReturned(1);
            assertState(c, round + 1, (1 << (round + 1)) - 1, false, 0, "after round " + round + " and its action");
        }
        assertEquals(2, runs.get(), "expected the action run once per round, by the last arrival only");
    }

    @Test
    void anActionThatThrowsBreaksTheRoundAndTheLastArrivalGetsItsException() throws Exception {
        BarrierCell c = BarrierCell.create(3);
        Runnable action = () -> {
            throw new IllegalStateException("the action failed");
        };
        Waiter a = new Waiter(c, -1, action, "a");
        awaitArrived(c, 1);
        Waiter b = new Waiter(c, FIVE_SECONDS, action, "b");
        awaitArrived(c, 2);
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> c.await(FIVE_SECONDS, action),
                "expected the last arrival's await to throw what the action threw");
        assertEquals("the action failed", thrown.getMessage());
        assertTrue(a.assertBroken().getMessage().contains("action failed"), "expected the others told why");
        b.assertBroken();
        assertTrue(c.isBroken(), "expected the round broken");
        assertEquals(0, c.waiting(), "expected waiting() 0 while broken");
        c.reset();
        assertState(c, 1, 0b0, false, 0, "after the reset (the claim is gone with its round)");
        tripARoundOfThree(c, "the mended barrier");
    }

    /** As a CyclicBarrier's waiter, which waits for the lock its action runs under. */
    @Test
    void aWaiterWhoseTimeRunsOutWhileTheActionRunsWaitsForItAndPasses() throws Exception {
        BarrierCell c = BarrierCell.create(2);
        long timeout = TimeUnit.SECONDS.toNanos(2);
        long start = System.nanoTime();
        Waiter w = new Waiter(c, timeout, "short");
        awaitArrived(c, 1);
        Runnable action = () -> {
            while (System.nanoTime() - start < timeout + TimeUnit.MILLISECONDS.toNanos(300)) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // the waiter's time runs out meanwhile
            }
            assertNull(w.outcome.get(), "expected the waiter still waiting for the action after its time ran out");
        };
        assertEquals(0, c.await(FIVE_SECONDS, action));
        w.assertReturned(1);
        assertState(c, 1, 1, false, 0, "after the round tripped");
    }

    @Test
    void anInterruptWhileTheActionRunsIsKeptAndTheWaiterPasses() throws Exception {
        BarrierCell c = BarrierCell.create(2);
        Waiter w = new Waiter(c, -1, "interrupted");
        awaitArrived(c, 1);
        Runnable action = () -> {
            w.thread.interrupt();
            long deadline = System.nanoTime() + FIVE_SECONDS;
            while (w.thread.isInterrupted()) { // the waiter takes the interrupt, and waits on
                if (System.nanoTime() - deadline > 0) {
                    fail("expected the waiter to take its interrupt within 5 s");
                }
                Thread.yield();
            }
            assertNull(w.outcome.get(), "expected the interrupted waiter still waiting for the action");
        };
        assertEquals(0, c.await(FIVE_SECONDS, action));
        w.assertReturned(1);
        assertTrue(w.interruptedAfter, "expected the waiter's interrupt flag set again when it returned");
        assertState(c, 1, 1, false, 0, "after the round tripped");
    }

    @Test
    void aThreadArrivingWhileTheActionRunsArrivesInTheNextRound() throws Exception {
        BarrierCell c = BarrierCell.create(2);
        AtomicInteger runs = new AtomicInteger();
        AtomicReference<Waiter> late = new AtomicReference<>();
        AtomicReference<Runnable> action = new AtomicReference<>();
        action.set(() -> {
            if (runs.incrementAndGet() == 1) {
                Waiter l = new Waiter(c, FIVE_SECONDS, action.get(), "late");
                late.set(l);
                awaitInside(l.thread, "awaitAction");
                assertEquals(ACTION, state(c) & ACTION, "expected the round still claimed");
                assertEquals(0, state(c) & COUNT, "expected the late thread not counted in the claimed round");
            }
        });
        Waiter a = new Waiter(c, FIVE_SECONDS, action.get(), "a");
        awaitArrived(c, 1);
        assertEquals(0, c.await(FIVE_SECONDS, action.get()));
        a.assertReturned(1);
        awaitArrived(c, 1);
        assertState(c, 1, 1, false, 1, "with the late thread arrived in round 1");
        assertEquals(0, c.await(FIVE_SECONDS, action.get()), "expected this arrival to trip round 1 and run its action");
        late.get().assertReturned(1);
        assertEquals(2, runs.get(), "expected one action per round");
        assertState(c, 2, 0b11, false, 0, "after round 1 tripped");
    }

    @Test
    void aResetWhileTheActionRunsBreaksItsRoundForEveryParty() throws Exception {
        BarrierCell c = BarrierCell.create(2);
        Waiter w = new Waiter(c, -1, "w");
        awaitArrived(c, 1);
        BrokenBarrierException e = assertThrows(BrokenBarrierException.class, () -> c.await(FIVE_SECONDS, c::reset),
                "expected the runner told its round was reset");
        assertTrue(e.getMessage().contains("reset"), e.getMessage());
        assertTrue(w.assertBroken().getMessage().contains("reset"), "expected the waiter told its round was reset");
        assertState(c, 1, 0b0, false, 0, "after the reset");
    }
}
