package org.multiprocessing4j.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import org.multiprocessing4j.JvmProcess;
import org.multiprocessing4j.ProcessLock;
import org.multiprocessing4j.SharedLongArray;

/**
 * Lock holders killed, while holding the lock and at random moments. Three children take a
 * {@link ProcessLock} (or a reentrant one) in turn, checking mutual exclusion
 * ({@link Exclusion}); the parent kills one to three of them, each time starting a replacement.
 * The first kill, and about half of the others, hit a holder that keeps the lock until killed:
 * the next holder must get the lock and be told by {@code heldAfterOwnerDied()}. The other kills
 * come after a random delay, wherever the victim is. Recovery: from the kill to the next time
 * another process takes the lock. Moved: acquisitions.
 */
final class LockScenario {
    private static final int HOLDERS = 3;
    private static final int STOP = Exclusion.WORDS;
    private static final int ACQUIRES = STOP + 1;
    private static final int LAST_ACQUIRE = STOP + 2;
    private static final int WORDS = STOP + 3;

    private LockScenario() {
    }

    static void run(Round r) throws Exception {
        ProcessLock lock = r.rng.nextBoolean() ? r.ctx.lock() : r.ctx.reentrantLock();
        SharedLongArray b = r.ctx.sharedLongArray(WORDS);
        List<JvmProcess> holders = new ArrayList<>();
        while (holders.size() < HOLDERS) {
            holders.add(startHolder(r, lock, b, holders.size()));
        }
        r.awaitSteps("acquisitions of the lock", b, ACQUIRES, 200);
        int kills = r.kills();
        for (int k = 0; k < kills; k++) {
            if (k == 0 || r.rng.nextBoolean()) {
                Exclusion.killPinnedHolder(r, b, holders);
            } else {
                r.sleepUpTo(100);
                JvmProcess victim = r.pick(Round.alive(holders));
                long at = r.kill(victim);
                r.awaitProgress(at, "another holder to take the lock after " + victim.getName() + " was killed",
                        () -> b.get(LAST_ACQUIRE), () -> false);
            }
            holders.add(startHolder(r, lock, b, holders.size()));
        }
        b.set(STOP, 1);
        r.awaitUntil("the lock holders to stop", () -> Round.alive(holders).isEmpty());
        Exclusion.checkFreeAtTheEnd(r, lock, b);
        r.tally.moved += b.get(ACQUIRES);
    }

    private static JvmProcess startHolder(Round r, ProcessLock lock, SharedLongArray b, int i) {
        long seed = r.rng.nextLong();
        String name = "holder-" + i;
        Crew crew = r.crew;
        return r.start(name, () -> hold(lock, b, crew, seed, name));
    }

    private static void hold(ProcessLock lock, SharedLongArray b, Crew crew, long seed, String name)
            throws InterruptedException {
        Random rnd = new Random(seed);
        while (b.get(STOP) == 0) {
            if (!Exclusion.lock(b, lock, crew, name)) {
                continue;
            }
            b.incrementAndGet(ACQUIRES);
            Board.stamp(b, LAST_ACQUIRE);
            Exclusion.pinIfAsked(b);
            LockSupport.parkNanos(rnd.nextInt(500_000));
            Exclusion.unlock(b, lock, crew, name);
            LockSupport.parkNanos(rnd.nextInt(500_000));
        }
    }
}
