package org.multiprocessing4j.chaos;

import java.util.List;
import org.multiprocessing4j.JvmProcess;
import org.multiprocessing4j.ProcessLock;
import org.multiprocessing4j.SharedLongArray;

/**
 * Mutual exclusion checked from outside a {@link ProcessLock}: whoever takes the lock writes its
 * pid in a shared word, and must find the word empty, or find a holder that died, in which case
 * the lock must say so with {@link ProcessLock#heldAfterOwnerDied()}. It clears the word before
 * unlocking, and must find its own pid there. The first {@link #WORDS} words of a scenario's
 * board are these.
 *
 * <p>A holder killed between taking the lock and writing the word, or between clearing it and
 * unlocking, leaves the word empty: the next holder is told of a dead owner while the word is
 * empty, which is allowed. A word that is not empty while the lock says nobody died means two
 * holders at once.
 */
final class Exclusion {
    /** The pid inside the critical section, 0 if none. */
    static final int OWNER = 0;
    /** How many takers were told the previous holder died; when the last one was; whom the word named then. */
    static final int TAKEOVERS = 1;
    static final int LAST_TAKEOVER = 2;
    static final int TAKEOVER_FROM = 3;
    /** 1: the parent asks the next holder to keep the lock until killed; 2: one does. */
    static final int PIN = 4;
    /** The pid of the holder that keeps the lock until killed. */
    static final int PINNED = 5;
    static final int WORDS = 6;

    private Exclusion() {
    }

    /**
     * In a child: takes {@code lock} (waiting at most {@link Round#PATIENCE}, a violation if that
     * runs out) and checks who was inside; false if it could not take it.
     */
    static boolean lock(SharedLongArray b, ProcessLock lock, Crew crew, String who) throws InterruptedException {
        if (!lock.tryLock(Round.PATIENCE)) {
            crew.violation("stuck: " + who + " waited " + Round.PATIENCE.toSeconds() + " s for the lock");
            return false;
        }
        entered(b, lock, crew, who);
        return true;
    }

    /** In a child: checks it is still the one inside, and unlocks. */
    static void unlock(SharedLongArray b, ProcessLock lock, Crew crew, String who) {
        leaving(b, crew, who);
        lock.unlock();
    }

    /** Called by a child right after it has taken {@code lock}. */
    static void entered(SharedLongArray b, ProcessLock lock, Crew crew, String who) {
        boolean died = lock.heldAfterOwnerDied();
        long me = ProcessHandle.current().pid();
        long prev = Board.getAndSet(b, OWNER, me);
        if (died) {
            b.set(TAKEOVER_FROM, prev);
            b.incrementAndGet(TAKEOVERS);
            Board.stamp(b, LAST_TAKEOVER);
        } else if (prev != 0) {
            crew.violation(who + " (pid " + me + ") took the lock while pid " + prev
                    + " was inside, and heldAfterOwnerDied() said no holder had died");
        }
    }

    /** Called by a child right before it unlocks (or awaits a condition, which unlocks). */
    static void leaving(SharedLongArray b, Crew crew, String who) {
        long me = ProcessHandle.current().pid();
        if (!b.compareAndSet(OWNER, me, 0)) {
            crew.violation(who + " (pid " + me + ") found pid " + b.get(OWNER) + " inside while it held the lock");
        }
    }

    /** In a child holding the lock: if the parent asked for it, keep the lock until killed. */
    static void pinIfAsked(SharedLongArray b) {
        if (b.compareAndSet(PIN, 1, 2)) {
            b.set(PINNED, ProcessHandle.current().pid());
            Crew.waitForTheKill();
        }
    }

    /**
     * In the parent: asks a holder among {@code candidates} to keep the lock, kills it after a
     * random moment, and waits for the next holder, which must be told the holder died. The
     * recovery time is from the kill to that take-over.
     */
    static JvmProcess killPinnedHolder(Round r, SharedLongArray b, List<JvmProcess> candidates)
            throws InterruptedException {
        b.set(PINNED, 0);
        b.set(PIN, 1);
        r.awaitUntil("a holder to keep the lock until it is killed", () -> b.get(PINNED) != 0);
        long pid = b.get(PINNED);
        JvmProcess victim = candidates.stream().filter(p -> p.pid() == pid).findFirst()
                .orElseThrow(() -> new IllegalStateException("pid " + pid + " pinned the lock, but the round did not start it"));
        r.sleepUpTo(20);
        long before = b.get(TAKEOVERS);
        long at = r.kill(victim);
        r.awaitUntil("another process to take over the lock that " + victim.getName() + " held when it was killed",
                () -> b.get(TAKEOVERS) > before);
        r.tally.recovered(b.get(LAST_TAKEOVER) - at);
        long from = b.get(TAKEOVER_FROM);
        r.check(from == pid, "the lock was taken over from pid " + from + ", not from the killed holder " + victim.getName()
                + " (pid " + pid + ")");
        b.set(PIN, 0);
        return victim;
    }

    /**
     * In the parent, once every child has ended: the lock can be taken (over, if its last holder
     * was killed), nobody is inside, and once unlocked it is free.
     */
    static void checkFreeAtTheEnd(Round r, ProcessLock lock, SharedLongArray b) throws InterruptedException {
        if (!lock.tryLock(Round.PATIENCE)) {
            throw Round.stuck("the lock, with every child ended");
        }
        try {
            long inside = b.get(OWNER);
            r.check(inside == 0 || lock.heldAfterOwnerDied(), "pid " + inside
                    + " was inside the critical section at the end, yet the lock was free without a take-over");
            b.set(OWNER, 0);
        } finally {
            lock.unlock();
        }
        r.check(!lock.isLocked(), "the lock is still locked after the parent unlocked it");
    }
}
