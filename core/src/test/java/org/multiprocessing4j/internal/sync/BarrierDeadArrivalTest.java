package org.multiprocessing4j.internal.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.internal.platform.ProcessToken;

/**
 * Found by the chaos soak (issue 16; a 30-minute run, seed 7398057224469226918, rounds 689 and
 * 726: "waited 30 s for the survivors to see the barrier broken after barrier-party-2 was
 * killed"; the survivors' own 30 s awaits timed out). A party's arrival is counted (a CAS of the
 * state word) before it is recorded in its participant slot; a party SIGKILLed between the two
 * was counted in round R while its slot still said it last reached R - 1. The survivors tripped
 * R with its arrival, and in R + 1 the dead party, one round further behind than "expected",
 * was forgotten instead of missed: they waited for ever (or until their timeout) instead of
 * getting a {@link BrokenBarrierException}.
 *
 * <p>The dead party is a token whose pid is this JVM's and whose start time is not: it names a
 * process that has ended (as if the pid had been reused). Its kill is simulated by writing what
 * it left behind: its slot, and its counted arrival in the state word.
 */
@Timeout(60)
class BarrierDeadArrivalTest {
    private static final int STATE = SyncLayout.MAIN_OFFSET + SyncLayout.BARRIER_STATE_OFFSET;
    private static final int PARTICIPANTS = SyncLayout.MAIN_OFFSET + SyncLayout.BARRIER_PARTICIPANTS_OFFSET;
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(20);

    @Test
    void aPartyKilledAfterItsArrivalWasCountedAndBeforeItWasRecordedBreaksTheNextRound() throws Exception {
        BarrierCell c = BarrierCell.create(3);
        long dead = ProcessToken.current() ^ (1L << 32);
        assertFalse(ProcessToken.isAlive(dead), "the stand-in for a killed process must count as dead");
        // It waited in round 0 (its slot: reached round 0, stored as 1); round 0 tripped; in
        // round 1 its arrival was counted, and it was killed before it recorded reaching round 1.
        c.setVolatile(PARTICIPANTS + 8, 1);
        c.setVolatile(PARTICIPANTS, dead);
        assertTrue(c.cas(STATE, 0L, (1L << 32) | (1L << 24) | 1), "the state: round 1, round 0 tripped, 1 arrived");

        // The two survivors (threads of this process) arrive and trip round 1 with its arrival.
        CompletableFuture<Object> first = awaitInThread(c, "survivor-1, round 1");
        awaitArrived(c, 2);
        assertEquals(0, c.await(WAIT_NANOS), "the last survivor trips round 1");
        assertEquals(1, first.get(WAIT_NANOS, TimeUnit.NANOSECONDS), "the first survivor's arrival index");

        // Round 2: the dead party will never come. Both survivors must be told, after the grace
        // a dead party is given for a replacement (2 s), not wait out their 20 s.
        long start = System.nanoTime();
        CompletableFuture<Object> a = awaitInThread(c, "survivor-1, round 2");
        CompletableFuture<Object> b = awaitInThread(c, "survivor-2, round 2");
        for (CompletableFuture<Object> f : java.util.List.of(a, b)) {
            assertInstanceOf(BrokenBarrierException.class, f.get(2 * WAIT_NANOS, TimeUnit.NANOSECONDS),
                    "a survivor of a party killed between its counted arrival and its record must see the barrier broken");
        }
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(took < 10_000, "the survivors were told only after " + took + " ms");
        assertTrue(c.isBroken(), "isBroken()");
    }

    /** Polls the state until {@code n} parties have arrived in the current round (at most 20 s). */
    private static void awaitArrived(BarrierCell c, long n) {
        long deadline = System.nanoTime() + WAIT_NANOS;
        while ((c.getVolatile(STATE) & ((1L << 22) - 1)) != n) {
            assertTrue(System.nanoTime() - deadline < 0, n + " parties did not arrive within 20 s");
            Thread.yield();
        }
    }

    /** {@code await} in a new thread: its arrival index, or what it threw. */
    private static CompletableFuture<Object> awaitInThread(BarrierCell c, String name) {
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                outcome.complete(c.await(WAIT_NANOS));
            } catch (Throwable e) {
                outcome.complete(e);
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return outcome;
    }
}
