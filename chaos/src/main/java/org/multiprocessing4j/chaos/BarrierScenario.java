package org.multiprocessing4j.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.multiprocessing4j.JvmProcess;
import org.multiprocessing4j.ProcessBarrier;
import org.multiprocessing4j.SharedLongArray;

/**
 * A barrier party killed. Three children trip a {@link ProcessBarrier} of three parties round
 * after round; once every party has passed a random number of rounds, the parent kills one of
 * them at a random moment. The two survivors must see the barrier broken
 * ({@link BrokenBarrierException}), not hang and not time out; the barrier gives a dead party 2 s
 * to be replaced, so recovery, from the kill until the last survivor sees the break, is at least
 * that. Then the parent resets the barrier and trips it once with the two survivors: it works
 * again. Moved: barrier trips.
 */
final class BarrierScenario {
    private static final int PARTIES = 3;
    private static final int RESET_DONE = 0;
    /** Per party: rounds passed. */
    private static final int ROUNDS = 1;
    /** Per party: when it saw the barrier broken ({@link System#nanoTime}), 0 until then. */
    private static final int BROKEN_AT = ROUNDS + PARTIES;
    /** Per party: 1 once it passed the barrier after the reset. */
    private static final int REUSED = BROKEN_AT + PARTIES;
    private static final int WORDS = REUSED + PARTIES;

    private BarrierScenario() {
    }

    static void run(Round r) throws Exception {
        ProcessBarrier barrier = r.ctx.barrier(PARTIES);
        SharedLongArray b = r.ctx.sharedLongArray(WORDS);
        Crew crew = r.crew;
        List<JvmProcess> parties = new ArrayList<>();
        for (int i = 0; i < PARTIES; i++) {
            int slot = i;
            String name = "party-" + i;
            parties.add(r.start(name, () -> party(barrier, b, crew, slot, name)));
        }
        long rounds = 1 + r.rng.nextInt(30);
        r.awaitUntil("every party to pass " + rounds + " barrier rounds", () -> {
            for (int i = 0; i < PARTIES; i++) {
                if (b.get(ROUNDS + i) < rounds) {
                    return false;
                }
            }
            return true;
        });
        r.sleepUpTo(50);
        int victimSlot = r.rng.nextInt(PARTIES);
        JvmProcess victim = parties.get(victimSlot);
        long at = r.kill(victim);
        r.awaitUntil("the survivors to see the barrier broken after " + victim.getName() + " was killed", () -> {
            for (int i = 0; i < PARTIES; i++) {
                if (i != victimSlot && b.get(BROKEN_AT + i) == 0) {
                    return false;
                }
            }
            return true;
        });
        long last = 0;
        for (int i = 0; i < PARTIES; i++) {
            if (i != victimSlot) {
                last = Math.max(last, b.get(BROKEN_AT + i) - at);
            }
        }
        r.tally.recovered(last);
        r.check(barrier.isBroken(), "the survivors saw the barrier broken, but isBroken() says no");
        barrier.reset();
        r.check(!barrier.isBroken(), "isBroken() after reset()");
        b.set(RESET_DONE, 1);
        try {
            barrier.await(Round.PATIENCE);
        } catch (TimeoutException e) {
            throw Round.stuck("the survivors at the barrier after its reset");
        } catch (BrokenBarrierException e) {
            r.fail("the barrier broke again after its reset, with both survivors and the parent coming");
        }
        r.awaitUntil("the survivors to stop", () -> Round.alive(parties).isEmpty());
        long trips = 0;
        for (int i = 0; i < PARTIES; i++) {
            trips = Math.max(trips, b.get(ROUNDS + i));
            r.check(i == victimSlot || b.get(REUSED + i) == 1, parties.get(i).getName() + " did not pass the reset barrier");
        }
        r.tally.moved += trips + 1;
    }

    private static void party(ProcessBarrier barrier, SharedLongArray b, Crew crew, int slot, String name)
            throws InterruptedException {
        while (true) {
            try {
                barrier.await(Round.PATIENCE);
                b.incrementAndGet(ROUNDS + slot);
            } catch (BrokenBarrierException e) {
                b.set(BROKEN_AT + slot, System.nanoTime());
                break;
            } catch (TimeoutException e) {
                crew.violation("stuck: " + name + " waited " + Round.PATIENCE.toSeconds()
                        + " s at the barrier: a killed party did not break it");
                return;
            }
        }
        long deadline = System.nanoTime() + Round.PATIENCE.toNanos();
        while (b.get(RESET_DONE) == 0) {
            if (System.nanoTime() - deadline > 0) {
                crew.violation("stuck: " + name + " waited " + Round.PATIENCE.toSeconds() + " s for the parent's reset");
                return;
            }
            LockSupport.parkNanos(1_000_000);
        }
        try {
            barrier.await(Round.PATIENCE);
            b.set(REUSED + slot, 1);
        } catch (BrokenBarrierException | TimeoutException e) {
            crew.violation(name + " could not pass the barrier after its reset: " + e);
        }
    }
}
