package org.multiprocessing4j.chaos;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.multiprocessing4j.JvmProcess;
import org.multiprocessing4j.ProcessLock;
import org.multiprocessing4j.ProcessQueue;
import org.multiprocessing4j.SharedLongArray;

/**
 * Processes killed while they start. Four to eight children, each capturing a queue, a lock and
 * a board, are started one after the other; each takes the lock, puts its number on the queue,
 * says so on the board, unlocks and ends. The parent kills each at a random moment 0–1.5 s after
 * its {@code start()}: before its JVM runs anything (while it boots, or while a FORKSERVER JVM
 * reads its handshake), in the middle of its work, or after it ended (then nothing is sent). The
 * lock must be free or taken over, the queue must hold each number at most once and every number
 * whose put returned, and it must still work; the leak check after the round finds the files and
 * descriptors a child killed while it started could leave. No survivors, so no recovery time.
 * Moved: items.
 */
final class StartupScenario {
    private static final int MAX_CHILDREN = 8;
    /** Per child: 1 once its put returned. */
    private static final int PUT = 0;
    private static final int WORDS = PUT + MAX_CHILDREN;
    private static final int KILL_WITHIN_MILLIS = 1500;

    private StartupScenario() {
    }

    static void run(Round r) throws Exception {
        int n = 4 + r.rng.nextInt(MAX_CHILDREN - 4 + 1);
        ProcessQueue<Integer> q = r.ctx.queue();
        ProcessLock lock = r.ctx.lock();
        SharedLongArray b = r.ctx.sharedLongArray(WORDS);
        try {
            List<JvmProcess> children = new ArrayList<>();
            long[] killAt = new long[n];
            for (int i = 0; i < n; i++) {
                int index = i;
                children.add(r.start("child-" + i, () -> putOnce(q, lock, b, index)));
                killAt[i] = System.nanoTime() + r.rng.nextInt(KILL_WITHIN_MILLIS) * 1_000_000L;
            }
            for (int i = 0; i < n; i++) {
                long wait = killAt[i] - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                r.kill(children.get(i));
            }
            r.awaitUntil("the children to end", () -> Round.alive(children).isEmpty());
            if (!lock.tryLock(Round.PATIENCE)) {
                throw Round.stuck("the lock, with every child ended");
            }
            lock.unlock();
            BitSet seen = new BitSet();
            for (Integer x = q.poll(); x != null; x = q.poll()) {
                if (x < 0 || x >= n) {
                    r.fail("the queue held " + x + ", which no child put");
                } else {
                    r.check(!seen.get(x), "child-" + x + "'s item was in the queue twice");
                    seen.set(x);
                    r.tally.moved++;
                }
            }
            for (int i = 0; i < n; i++) {
                r.check(seen.get(i) || b.get(PUT + i) == 0, "child-" + i + "'s put returned, but its item is not in the queue");
            }
            r.check(q.offer(-1) && Integer.valueOf(-1).equals(q.poll()), "the queue does not work after the kills");
        } finally {
            q.close();
        }
    }

    private static void putOnce(ProcessQueue<Integer> q, ProcessLock lock, SharedLongArray b, int i)
            throws InterruptedException {
        lock.lockInterruptibly();
        try {
            q.put(i);
            b.set(PUT + i, 1);
        } finally {
            lock.unlock();
        }
    }
}
