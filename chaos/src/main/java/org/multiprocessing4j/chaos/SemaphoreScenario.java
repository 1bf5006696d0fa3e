package org.multiprocessing4j.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import org.multiprocessing4j.JvmProcess;
import org.multiprocessing4j.ProcessSemaphore;
import org.multiprocessing4j.SharedLongArray;

/**
 * Semaphore holders killed. Three children take one of two permits in turn (of a plain or a
 * bounded {@link ProcessSemaphore}), checking that at most two are inside at once. A semaphore
 * does not know who holds its permits, so a permit taken by a killed process is lost, as in
 * Python: the parent plays the supervisor a user would write. Each child says in a shared word
 * where it is ({@code 1} acquiring, {@code 2} holding, {@code 3} releasing, {@code 0} outside);
 * after a kill the parent waits for the survivors to take the remaining permit (that is the
 * recovery), pauses them outside, and checks that the permits missing are exactly those the
 * victim could hold: one if it was holding, none if it was outside, either for the two
 * in-between states. It gives them back and lets the survivors and a replacement go on. Half the
 * kills wait for the victim to hold a permit; the others come after a random delay. Moved:
 * acquisitions.
 */
final class SemaphoreScenario {
    private static final int PERMITS = 2;
    private static final int HOLDERS = 3;
    private static final int MAX_HOLDERS = HOLDERS + 3;
    private static final int STOP = 0;
    private static final int PAUSE = 1;
    private static final int INSIDE = 2;
    private static final int ACQUIRES = 3;
    private static final int LAST_ACQUIRE = 4;
    /** Per holder: where it is (0 outside, 1 acquiring, 2 holding, 3 releasing). */
    private static final int STATE = 5;
    /** Per holder: 1 unless it is paused (or stopped). */
    private static final int ACTIVE = STATE + MAX_HOLDERS;
    private static final int WORDS = ACTIVE + MAX_HOLDERS;
    private static final long HOLDING = 2;

    private SemaphoreScenario() {
    }

    static void run(Round r) throws Exception {
        boolean bounded = r.rng.nextBoolean();
        ProcessSemaphore sem = bounded ? r.ctx.boundedSemaphore(PERMITS) : r.ctx.semaphore(PERMITS);
        SharedLongArray b = r.ctx.sharedLongArray(WORDS);
        List<JvmProcess> holders = new ArrayList<>();
        while (holders.size() < HOLDERS) {
            holders.add(startHolder(r, sem, b, holders.size()));
        }
        r.awaitSteps("acquisitions of a permit", b, ACQUIRES, 200);
        int kills = r.kills();
        for (int k = 0; k < kills; k++) {
            List<JvmProcess> live = Round.alive(holders);
            JvmProcess victim = r.pick(live);
            int slot = holders.indexOf(victim);
            if (r.rng.nextBoolean()) {
                r.awaitUntil(victim.getName() + " to hold a permit", () -> b.get(STATE + slot) == HOLDING);
            } else {
                r.sleepUpTo(100);
            }
            long at = r.kill(victim);
            r.awaitProgress(at, "another holder to take a permit after " + victim.getName() + " was killed",
                    () -> b.get(LAST_ACQUIRE), () -> false);
            giveBackWhatTheVictimHeld(r, sem, b, holders, victim, slot);
            holders.add(startHolder(r, sem, b, holders.size()));
        }
        b.set(STOP, 1);
        r.awaitUntil("the semaphore holders to stop", () -> Round.alive(holders).isEmpty());
        r.check(sem.availablePermits() == PERMITS, "with every holder stopped, " + sem.availablePermits()
                + " permits are free, not " + PERMITS);
        r.check(sem.tryAcquire(PERMITS), "the parent could not take the " + PERMITS + " permits at the end");
        sem.release(PERMITS);
        r.tally.moved += b.get(ACQUIRES);
    }

    /** Pauses the survivors outside, checks the permits missing against the victim's state, gives them back. */
    private static void giveBackWhatTheVictimHeld(Round r, ProcessSemaphore sem, SharedLongArray b,
            List<JvmProcess> holders, JvmProcess victim, int slot) throws InterruptedException {
        b.set(PAUSE, 1);
        r.awaitUntil("the holders to pause outside the semaphore", () -> {
            for (int i = 0; i < holders.size(); i++) {
                if (holders.get(i).isAlive() && b.get(ACTIVE + i) != 0) {
                    return false;
                }
            }
            return true;
        });
        long state = b.get(STATE + slot);
        int missing = PERMITS - sem.availablePermits();
        int least = state == HOLDING ? 1 : 0;
        int most = state == 0 ? 0 : 1;
        r.check(missing >= least && missing <= most, missing + " permits were missing after " + victim.getName()
                + " was killed in state " + state + " (0 outside, 1 acquiring, 2 holding, 3 releasing); it could hold "
                + (least == most ? Integer.toString(least) : least + " or " + most));
        if (missing > 0 && missing <= PERMITS) {
            sem.release(missing);
        }
        b.set(INSIDE, 0);
        b.set(STATE + slot, 0);
        b.set(PAUSE, 0);
    }

    private static JvmProcess startHolder(Round r, ProcessSemaphore sem, SharedLongArray b, int slot) {
        String name = "holder-" + slot;
        Crew crew = r.crew;
        long seed = r.rng.nextLong();
        return r.start(name, () -> hold(sem, b, crew, seed, slot, name));
    }

    private static void hold(ProcessSemaphore sem, SharedLongArray b, Crew crew, long seed, int slot, String name)
            throws InterruptedException {
        Random rnd = new Random(seed);
        while (b.get(STOP) == 0) {
            // Say "active" before looking at PAUSE: the parent sets PAUSE and then reads ACTIVE,
            // so one of the two sees the other (both are volatile accesses).
            b.set(ACTIVE + slot, 1);
            if (b.get(PAUSE) != 0) {
                b.set(ACTIVE + slot, 0);
                LockSupport.parkNanos(1_000_000);
                continue;
            }
            b.set(STATE + slot, 1);
            if (!sem.tryAcquire(Round.PATIENCE)) {
                b.set(STATE + slot, 0);
                crew.violation("stuck: " + name + " waited " + Round.PATIENCE.toSeconds() + " s for a permit");
                continue;
            }
            b.set(STATE + slot, HOLDING);
            long inside = b.incrementAndGet(INSIDE);
            if (inside > PERMITS) {
                crew.violation(name + " is one of " + inside + " holders of a semaphore of " + PERMITS + " permits");
            }
            b.incrementAndGet(ACQUIRES);
            Board.stamp(b, LAST_ACQUIRE);
            LockSupport.parkNanos(rnd.nextInt(500_000));
            b.addAndGet(INSIDE, -1);
            b.set(STATE + slot, 3);
            sem.release();
            b.set(STATE + slot, 0);
            LockSupport.parkNanos(rnd.nextInt(300_000));
        }
        b.set(ACTIVE + slot, 0);
    }
}
