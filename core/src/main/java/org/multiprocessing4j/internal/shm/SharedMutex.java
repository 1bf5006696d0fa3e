package org.multiprocessing4j.internal.shm;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.multiprocessing4j.internal.platform.ProcessToken;

/**
 * The one mutex shared by processes, under rings and {@code ProcessLock} alike: a word in shared
 * memory that holds the {@link ProcessToken} of the process that holds it, or 0. A waiter that
 * finds the holder's process dead takes the mutex over with a CAS and is told so
 * ({@link Acquisition#TAKEN_OVER}), to repair what the holder left half done: a holder that
 * dies never leaves the others blocked. Release is a CAS from the releaser's own token, so a
 * process wrongly taken for dead cannot free a mutex that another took over.
 *
 * <p>With {@code queueLocally}, threads of one JVM first take a local lock, so that only one of
 * them at a time competes in shared memory; rings use this, because a consumer blocked in
 * {@code take()} holds the mutex while it waits for data. The mutex itself does not know which
 * thread holds it: reentrancy and thread ownership are the caller's business.
 *
 * <p>Memory consistency: the acquiring CAS and the releasing CAS are full fences, so writes a
 * holder made before {@link #release()} are visible to the next holder in any process after its
 * acquire returns.
 */
public final class SharedMutex {
    /** How an acquire ended. */
    public enum Acquisition {
        /** The time ran out; the mutex is not held. */
        TIMED_OUT,
        /** Taken from nobody. */
        ACQUIRED,
        /** Taken from a process that died holding it: what it guarded may be half done. */
        TAKEN_OVER;

        /** Whether the caller now holds the mutex. */
        public boolean held() {
            return this != TIMED_OUT;
        }
    }

    private static final long FREE = 0;

    private final ByteBuffer buffer;
    private final int ownerOffset;
    private final SleeperTable waiters;
    private final ReentrantLock local;
    /** The dead holder of the last take-over; read by the new holder while it holds the mutex. */
    private long takenFrom;

    /**
     * A mutex whose owner word is at {@code ownerOffset} of {@code buffer}, whose sleepers wait
     * on {@code waiters}.
     */
    public SharedMutex(ByteBuffer buffer, int ownerOffset, SleeperTable waiters, boolean queueLocally) {
        this.buffer = buffer;
        this.ownerOffset = ownerOffset;
        this.waiters = waiters;
        this.local = queueLocally ? new ReentrantLock() : null;
    }

    /** Takes the mutex if nobody holds it now; no wait, no look for a dead holder. */
    public boolean tryAcquireFree() {
        if (local != null && !local.tryLock()) {
            return false;
        }
        if (Words.cas(buffer, ownerOffset, FREE, ProcessToken.current())) {
            return true;
        }
        if (local != null) {
            local.unlock();
        }
        return false;
    }

    /**
     * Takes the mutex, waiting as {@code backoff} allows, and taking it over from a dead holder
     * (looked for at {@link Backoff#slowCheckDue()}, and once more before a timed wait gives up).
     *
     * @return how it was taken, or {@link Acquisition#TIMED_OUT}
     * @throws InterruptedException if interrupted while waiting (the mutex is not held)
     */
    public Acquisition acquire(Backoff backoff, Guard guard) throws InterruptedException {
        if (local != null && !local.tryLock()) {
            // Another thread of this JVM has it (perhaps waiting for data while holding it):
            // wait in steps, so that a close() or a dead peer still ends this wait.
            while (true) {
                long left = backoff.remainingNanos();
                if (left <= 0) {
                    return Acquisition.TIMED_OUT;
                }
                if (local.tryLock(Math.min(left, Backoff.FIRST_SLEEP_NANOS), TimeUnit.NANOSECONDS)) {
                    break;
                }
                guard.check(true);
            }
        }
        boolean held = false;
        backoff.on(waiters);
        try {
            long me = ProcessToken.current();
            while (true) {
                long owner = Words.getVolatile(buffer, ownerOffset);
                if (owner == FREE) {
                    if (Words.cas(buffer, ownerOffset, FREE, me)) {
                        held = true;
                        return Acquisition.ACQUIRED;
                    }
                    continue;
                }
                boolean slow = backoff.slowCheckDue();
                guard.check(slow);
                if (slow && takeOverIfDead(owner, me)) {
                    held = true;
                    return Acquisition.TAKEN_OVER;
                }
                if (!backoff.idle()) {
                    if (Words.cas(buffer, ownerOffset, FREE, me)) {
                        held = true;
                        return Acquisition.ACQUIRED;
                    }
                    // Out of time, perhaps before the first slow check came due (a short wait
                    // on a busy machine can spend it all spinning and yielding): a dead holder
                    // must not make a poll(), offer() or tryLock() fail, so look once more.
                    if (takeOverIfDead(Words.getVolatile(buffer, ownerOffset), me)) {
                        held = true;
                        return Acquisition.TAKEN_OVER;
                    }
                    return Acquisition.TIMED_OUT;
                }
            }
        } finally {
            if (!held && local != null) {
                local.unlock();
            }
        }
    }

    private boolean takeOverIfDead(long owner, long me) {
        if (owner != FREE && owner != me && !ProcessToken.isAlive(owner)
                && Words.cas(buffer, ownerOffset, owner, me)) {
            takenFrom = owner;
            return true;
        }
        return false;
    }

    /** For the holder after {@link Acquisition#TAKEN_OVER}: the token of the dead holder. */
    public long takenOverFrom() {
        return takenFrom;
    }

    /** The token of the process holding the mutex, or 0. */
    public long holder() {
        return Words.getVolatile(buffer, ownerOffset);
    }

    /** Whether some thread of this process holds the mutex. */
    public boolean isHeldByThisProcess() {
        return holder() == ProcessToken.current();
    }

    /** Releases the mutex and wakes one sleeper; the caller holds it. */
    public void release() {
        Words.cas(buffer, ownerOffset, ProcessToken.current(), FREE);
        if (local != null) {
            local.unlock();
        }
        waiters.wakeOne();
    }
}
