package org.multiprocessing4j.internal.channel;

import java.io.Serializable;
import org.multiprocessing4j.internal.log.LibraryLog;
import org.multiprocessing4j.internal.platform.ProcessToken;

/**
 * A lock in shared memory, held by one thread of one process: the holder's
 * {@link ProcessToken} and thread id, a hold count (for the reentrant kind), a count of
 * recoveries, and a sleeper table. A waiter that finds the holder's process dead takes the
 * lock over (the holder's work under the lock may be half done: the caller is told, and a
 * WARNING is logged).
 */
public final class LockCell extends SyncCell {
    /** What {@link #acquire} returns. */
    public static final int TIMED_OUT = 0;
    public static final int ACQUIRED = 1;
    /** Acquired from a process that died holding it. */
    public static final int RECOVERED = 2;

    private final int base;
    private final boolean reentrant;
    private final SleeperTable waiters;
    private final String what;

    LockCell(SharedSegment segment, int base, boolean reentrant, String what) {
        super(segment);
        this.base = base;
        this.reentrant = reentrant;
        this.waiters = new SleeperTable(buffer, base + SyncLayout.LOCK_WAITERS);
        this.what = what;
    }

    /** Makes a lock. */
    public static LockCell create(boolean reentrant) {
        String what = reentrant ? "a ProcessReentrantLock" : "a ProcessLock";
        SharedSegment s = newSegment(reentrant ? SyncLayout.TYPE_REENTRANT_LOCK : SyncLayout.TYPE_LOCK, what);
        return s.channel(seg -> new LockCell(seg, SyncLayout.MAIN, reentrant, what));
    }

    /** The lock a handle from {@link #handle()} names, in this JVM. */
    public static LockCell attach(Serializable handle, boolean reentrant) {
        String what = reentrant ? "a ProcessReentrantLock" : "a ProcessLock";
        SharedSegment s = attached(handle, reentrant ? SyncLayout.TYPE_REENTRANT_LOCK : SyncLayout.TYPE_LOCK);
        return s.channel(seg -> new LockCell(seg, SyncLayout.MAIN, reentrant, what));
    }

    /** The lock of a shared value, in the value's segment. */
    static LockCell ofValue(SharedSegment s) {
        return new LockCell(s, SyncLayout.VALUE_LOCK, true, "the lock of a shared value");
    }

    private static long thread() {
        return Thread.currentThread().getId();
    }

    /** Whether the calling thread holds the lock. */
    public boolean isHeldByCurrentThread() {
        return getVolatile(base + SyncLayout.LOCK_OWNER) == ProcessToken.current()
                && getVolatile(base + SyncLayout.LOCK_THREAD) == thread();
    }

    /** Whether some thread of some process holds the lock. */
    public boolean isLocked() {
        return getVolatile(base + SyncLayout.LOCK_OWNER) != 0;
    }

    /** The calling thread's hold count (0 if it does not hold the lock). */
    public int holdCount() {
        return isHeldByCurrentThread() ? (int) getVolatile(base + SyncLayout.LOCK_HOLDS) : 0;
    }

    /** How many times a lock left by a dead process was taken over. */
    public long recoveries() {
        return getVolatile(base + SyncLayout.LOCK_RECOVERIES);
    }

    /**
     * Takes the lock, waiting at most {@code timeoutNanos} (negative: no limit; zero: not at all).
     *
     * @return {@link #ACQUIRED}, {@link #RECOVERED} or {@link #TIMED_OUT}
     * @throws IllegalStateException if the calling thread already holds a non-reentrant lock
     *         (it would wait for itself forever)
     * @throws InterruptedException if interrupted while waiting; the lock is not taken
     */
    public int acquire(long timeoutNanos) throws InterruptedException {
        long me = ProcessToken.current();
        long thread = thread();
        int owner = base + SyncLayout.LOCK_OWNER;
        if (getVolatile(owner) == me && getVolatile(base + SyncLayout.LOCK_THREAD) == thread) {
            if (!reentrant) {
                throw new IllegalStateException("this thread already holds " + what
                        + ", which is not reentrant: it would wait for itself forever (use ProcessReentrantLock)");
            }
            getAndAdd(base + SyncLayout.LOCK_HOLDS, 1);
            return ACQUIRED;
        }
        if (cas(owner, 0, me)) {
            return took(thread, ACQUIRED);
        }
        try (Backoff b = (timeoutNanos < 0 ? Backoff.untimed() : Backoff.timed(timeoutNanos)).on(waiters)) {
            while (true) {
                long holder = getVolatile(owner);
                if (holder == 0) {
                    if (cas(owner, 0, me)) {
                        return took(thread, ACQUIRED);
                    }
                    continue;
                }
                if (b.slowCheckDue() && holder != me && !ProcessToken.isAlive(holder) && cas(owner, holder, me)) {
                    getAndAdd(base + SyncLayout.LOCK_RECOVERIES, 1);
                    LibraryLog.warning("took over " + what + " from process " + ProcessToken.pid(holder)
                            + ", which died holding it: what it guarded may be half updated");
                    return took(thread, RECOVERED);
                }
                if (!b.idle()) {
                    if (cas(owner, 0, me)) {
                        return took(thread, ACQUIRED);
                    }
                    return TIMED_OUT;
                }
            }
        }
    }

    private int took(long thread, int how) {
        setVolatile(base + SyncLayout.LOCK_THREAD, thread);
        setVolatile(base + SyncLayout.LOCK_HOLDS, 1);
        return how;
    }

    /**
     * Releases one hold; the last one frees the lock and wakes a waiter.
     *
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock
     */
    public void release() {
        if (!isHeldByCurrentThread()) {
            throw new IllegalMonitorStateException("the calling thread does not hold " + what
                    + (isLocked() ? " (process " + ProcessToken.pid(getVolatile(base + SyncLayout.LOCK_OWNER))
                    + " does)" : " (nobody does)"));
        }
        if (getAndAdd(base + SyncLayout.LOCK_HOLDS, -1) > 1) {
            return;
        }
        setVolatile(base + SyncLayout.LOCK_THREAD, 0);
        cas(base + SyncLayout.LOCK_OWNER, ProcessToken.current(), 0);
        waiters.wakeOne();
    }

    /** For conditions: releases every hold of the calling thread; returns how many it had. */
    int releaseFully() {
        int holds = holdCount();
        if (holds == 0) {
            throw new IllegalMonitorStateException("the calling thread does not hold " + what);
        }
        setVolatile(base + SyncLayout.LOCK_HOLDS, 1);
        release();
        return holds;
    }

    /** For conditions: takes the lock again with {@code holds} holds, however long it takes. */
    void reacquire(int holds) {
        boolean interrupted = false;
        while (true) {
            try {
                acquire(-1);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        setVolatile(base + SyncLayout.LOCK_HOLDS, holds);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
