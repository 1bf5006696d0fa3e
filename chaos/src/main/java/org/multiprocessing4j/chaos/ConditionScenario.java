package org.multiprocessing4j.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import org.multiprocessing4j.JvmProcess;
import org.multiprocessing4j.ProcessCondition;
import org.multiprocessing4j.ProcessLock;
import org.multiprocessing4j.SharedLongArray;

/**
 * Condition waiters and notifiers killed. Three children wait on a {@link ProcessCondition} for
 * a generation count to move; two notifiers move it under the lock and wake them, with
 * {@code signal()} or {@code signalAll()} at random. Mutual exclusion is checked as for a lock
 * ({@link Exclusion}), and a waiter whose {@code await} times out while the notifiers run is
 * stuck (a signal lost, or given to a dead waiter's slot). The parent kills one to three children:
 * a notifier that keeps the lock until killed (the lock must be taken over), or a waiter or
 * notifier after a random delay; each gets a replacement. Recovery: from the kill to the next
 * wake-up of a waiter (or, for a notifier killed holding the lock, to the take-over). Moved:
 * wake-ups.
 */
final class ConditionScenario {
    private static final int WAITERS = 3;
    private static final int NOTIFIERS = 2;
    private static final int STOP = Exclusion.WORDS;
    private static final int GENERATION = STOP + 1;
    private static final int WAKEUPS = STOP + 2;
    private static final int LAST_WAKE = STOP + 3;
    private static final int WORDS = STOP + 4;

    private ConditionScenario() {
    }

    static void run(Round r) throws Exception {
        ProcessCondition cond = r.rng.nextBoolean() ? r.ctx.condition() : r.ctx.lock().newCondition();
        ProcessLock lock = cond.getLock();
        SharedLongArray b = r.ctx.sharedLongArray(WORDS);
        List<JvmProcess> waiters = new ArrayList<>();
        List<JvmProcess> notifiers = new ArrayList<>();
        int started = 0;
        while (waiters.size() < WAITERS) {
            waiters.add(startWaiter(r, cond, b, started++));
        }
        while (notifiers.size() < NOTIFIERS) {
            notifiers.add(startNotifier(r, cond, b, started++));
        }
        r.awaitSteps("wake-ups of the waiters", b, WAKEUPS, 100);
        int kills = r.kills();
        for (int k = 0; k < kills; k++) {
            boolean notifier;
            if (r.rng.nextInt(3) == 0) {
                Exclusion.killPinnedHolder(r, b, notifiers);
                notifier = true;
            } else {
                r.sleepUpTo(100);
                List<JvmProcess> live = Round.alive(waiters);
                live.addAll(Round.alive(notifiers));
                JvmProcess victim = r.pick(live);
                notifier = notifiers.contains(victim);
                long at = r.kill(victim);
                r.awaitProgress(at, "a waiter to wake after " + victim.getName() + " was killed",
                        () -> b.get(LAST_WAKE), () -> false);
            }
            if (notifier) {
                notifiers.add(startNotifier(r, cond, b, started++));
            } else {
                waiters.add(startWaiter(r, cond, b, started++));
            }
        }
        b.set(STOP, 1);
        r.awaitUntil("the notifiers to stop", () -> Round.alive(notifiers).isEmpty());
        if (!lock.tryLock(Round.PATIENCE)) {
            throw Round.stuck("the condition's lock, to wake the last waiters");
        }
        try {
            b.incrementAndGet(GENERATION);
            cond.signalAll();
        } finally {
            lock.unlock();
        }
        r.awaitUntil("the waiters to stop", () -> Round.alive(waiters).isEmpty());
        Exclusion.checkFreeAtTheEnd(r, lock, b);
        r.tally.moved += b.get(WAKEUPS);
    }

    private static JvmProcess startWaiter(Round r, ProcessCondition cond, SharedLongArray b, int i) {
        String name = "waiter-" + i;
        Crew crew = r.crew;
        return r.start(name, () -> awaitGenerations(cond, b, crew, name));
    }

    private static JvmProcess startNotifier(Round r, ProcessCondition cond, SharedLongArray b, int i) {
        String name = "notifier-" + i;
        Crew crew = r.crew;
        long seed = r.rng.nextLong();
        return r.start(name, () -> notifyGenerations(cond, b, crew, seed, name));
    }

    private static void awaitGenerations(ProcessCondition cond, SharedLongArray b, Crew crew, String name)
            throws InterruptedException {
        ProcessLock lock = cond.getLock();
        while (b.get(STOP) == 0) {
            if (!Exclusion.lock(b, lock, crew, name)) {
                continue;
            }
            long seen = b.get(GENERATION);
            while (b.get(GENERATION) == seen && b.get(STOP) == 0) {
                Exclusion.leaving(b, crew, name);
                boolean signalled = cond.await(Round.PATIENCE);
                Exclusion.entered(b, lock, crew, name);
                if (!signalled && b.get(STOP) == 0) {
                    crew.violation("stuck: " + name + " waited " + Round.PATIENCE.toSeconds()
                            + " s on the condition without a signal while the generation went from " + seen + " to "
                            + b.get(GENERATION));
                }
            }
            b.incrementAndGet(WAKEUPS);
            Board.stamp(b, LAST_WAKE);
            Exclusion.unlock(b, lock, crew, name);
        }
    }

    private static void notifyGenerations(ProcessCondition cond, SharedLongArray b, Crew crew, long seed, String name)
            throws InterruptedException {
        ProcessLock lock = cond.getLock();
        Random rnd = new Random(seed);
        while (b.get(STOP) == 0) {
            if (!Exclusion.lock(b, lock, crew, name)) {
                continue;
            }
            Exclusion.pinIfAsked(b);
            b.incrementAndGet(GENERATION);
            if (rnd.nextBoolean()) {
                cond.signal();
            } else {
                cond.signalAll();
            }
            Exclusion.unlock(b, lock, crew, name);
            LockSupport.parkNanos(rnd.nextInt(1_000_000));
        }
    }
}
