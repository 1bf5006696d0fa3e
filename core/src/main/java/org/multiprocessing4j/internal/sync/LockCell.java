package org.multiprocessing4j.internal.sync;

import java.io.Serializable;
import org.multiprocessing4j.internal.jfr.Jfr;
import org.multiprocessing4j.internal.jfr.JfrEvents;
import org.multiprocessing4j.internal.log.LibraryLog;
import org.multiprocessing4j.internal.platform.ProcessToken;
import org.multiprocessing4j.internal.shm.Backoff;
import org.multiprocessing4j.internal.shm.Guard;
import org.multiprocessing4j.internal.shm.SharedMutex;
import org.multiprocessing4j.internal.shm.SharedSegment;
import org.multiprocessing4j.internal.shm.SleeperTable;
import org.multiprocessing4j.spi.ConditionStore;
import org.multiprocessing4j.spi.LockStore;
import org.multiprocessing4j.spi.StoreHandle;

/**
 * A lock in shared memory, held by one thread of one process: a {@link SharedMutex} (the
 * holder's {@link ProcessToken} and a sleeper table), and a count of recoveries; the holding
 * thread and its hold count are kept in the holder's JVM. A waiter that finds the holder's
 * process dead takes the lock over (the holder's work under the lock may be half done: the
 * caller is told, and a WARNING is logged).
 */
public final class LockCell extends SyncCell implements LockStore {
    final int base;
    private final boolean reentrant;
    private final SharedMutex mutex;
    private final SleeperTable waiters;
    private final String what;
    /**
     * The thread of this JVM that holds the lock, and its hold count. Kept here, not in shared
     * memory: thread ids repeat across JVMs (every main thread is 1), and this object is the one
     * {@code LockCell} of this JVM for the lock.
     */
    private volatile Thread holder;
    private int holds; // written only by the holder
    /** What owns the segment: 0 for a lock of its own, else the type of the value or array. */
    private final int ownerType;

    LockCell(SharedSegment segment, int base, boolean reentrant, String what, int ownerType) {
        super(segment);
        this.base = base;
        this.reentrant = reentrant;
        this.waiters = new SleeperTable(buffer, base + SyncLayout.LOCK_WAITERS_OFFSET);
        // No local queue: threads of one JVM compete in shared memory as processes do, and the
        // uncontended lock() is one CAS.
        this.mutex = new SharedMutex(buffer, base + SyncLayout.LOCK_OWNER_OFFSET, waiters, false);
        this.what = what;
        this.ownerType = ownerType;
    }

    /** Makes a lock. */
    public static LockCell create(boolean reentrant) {
        String what = reentrant ? "a ProcessReentrantLock" : "a ProcessLock";
        SharedSegment s = newSegment(reentrant ? SyncLayout.TYPE_REENTRANT_LOCK : SyncLayout.TYPE_LOCK, what);
        return s.channel(seg -> new LockCell(seg, SyncLayout.MAIN_OFFSET, reentrant, what, 0));
    }

    /** The lock of its own segment that {@code handle} names, in this JVM. */
    static LockCell attach(Serializable handle, boolean reentrant) {
        String what = reentrant ? "a ProcessReentrantLock" : "a ProcessLock";
        SharedSegment s = attached(handle, reentrant ? SyncLayout.TYPE_REENTRANT_LOCK : SyncLayout.TYPE_LOCK);
        return s.channel(seg -> new LockCell(seg, SyncLayout.MAIN_OFFSET, reentrant, what, 0));
    }

    /** The lock of a shared value or array, in its segment. */
    static LockCell ofValue(SharedSegment s, int ownerType) {
        return new LockCell(s, SyncLayout.VALUE_LOCK_OFFSET, true, "the lock of a shared value", ownerType);
    }

    /** Names the lock wherever it lives: its own segment, or beside a value or an array. */
    @Override
    public StoreHandle<LockStore> handle() {
        if (ownerType != 0) {
            return new CellHandle<>(locator(), ownerType, true);
        }
        return new CellHandle<>(locator(), reentrant ? SyncLayout.TYPE_REENTRANT_LOCK : SyncLayout.TYPE_LOCK, false);
    }

    @Override
    public ConditionStore newCondition() {
        return ConditionCell.create(this);
    }

    @Override
    public ConditionStore attachCondition(Serializable conditionHandle) {
        return ConditionCell.attach(conditionHandle, this);
    }

    /** Whether the calling thread holds the lock. */
    @Override
    public boolean isHeldByCurrentThread() {
        return holder == Thread.currentThread() && mutex.isHeldByThisProcess();
    }

    /** Whether some thread of some process holds the lock. */
    @Override
    public boolean isLocked() {
        return mutex.holder() != 0;
    }

    /** The calling thread's hold count (0 if it does not hold the lock). */
    @Override
    public int holdCount() {
        return isHeldByCurrentThread() ? holds : 0;
    }

    /** How many times a lock left by a dead process was taken over. */
    public long recoveries() {
        return getVolatile(base + SyncLayout.LOCK_RECOVERIES_OFFSET);
    }

    /**
     * Takes the lock, waiting at most {@code timeoutNanos} (negative: no limit; zero: not at all,
     * though a dead holder's lock is still taken over).
     *
     * @return how it was taken, or {@link Acquisition#TIMED_OUT}
     * @throws IllegalStateException if the calling thread already holds a non-reentrant lock
     *         and asks to wait without a limit (it would wait for itself forever); with a limit
     *         it waits it out and gets {@link Acquisition#TIMED_OUT}, as {@code Lock.tryLock}
     *         requires
     * @throws InterruptedException if interrupted while waiting; the lock is not taken
     */
    @Override
    public Acquisition acquire(long timeoutNanos) throws InterruptedException {
        if (isHeldByCurrentThread()) {
            if (reentrant) {
                holds++;
                return Acquisition.ACQUIRED;
            }
            if (timeoutNanos < 0) {
                throw new IllegalStateException("this thread already holds " + what
                        + ", which is not reentrant: it would wait for itself forever (use ProcessReentrantLock)");
            }
            waitOut(timeoutNanos);
            return Acquisition.TIMED_OUT;
        }
        if (mutex.tryAcquireFree()) {
            return took(Acquisition.ACQUIRED);
        }
        SharedMutex.Acquisition how;
        try (Backoff b = timeoutNanos < 0 ? Backoff.untimed() : Backoff.timed(timeoutNanos)) {
            how = mutex.acquire(b, Guard.NONE);
        }
        if (!how.held()) {
            return Acquisition.TIMED_OUT;
        }
        if (how == SharedMutex.Acquisition.TAKEN_OVER) {
            getAndAdd(base + SyncLayout.LOCK_RECOVERIES_OFFSET, 1);
            long deadHolder = ProcessToken.pid(mutex.takenOverFrom());
            LibraryLog.warning("took over " + what + " from process " + deadHolder
                    + ", which died holding it: what it guarded may be half updated");
            if (Jfr.on()) {
                JfrEvents.lockTakenOver(what, deadHolder);
            }
            return took(Acquisition.TAKEN_OVER);
        }
        return took(Acquisition.ACQUIRED);
    }

    /** A timed wait for a lock this thread holds: nothing can end it early but an interrupt. */
    private static void waitOut(long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        for (long left = nanos; left > 0; left = deadline - System.nanoTime()) {
            java.util.concurrent.locks.LockSupport.parkNanos(left);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    private Acquisition took(Acquisition how) {
        holder = Thread.currentThread();
        holds = 1;
        return how;
    }

    /**
     * Releases one hold; the last one frees the lock and wakes a waiter. A CAS from this
     * process's token: a process wrongly taken for dead cannot free a lock another took over.
     *
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock
     */
    @Override
    public void release() {
        if (!isHeldByCurrentThread()) {
            throw new IllegalMonitorStateException("the calling thread does not hold " + what
                    + (isLocked() ? " (process " + ProcessToken.pid(mutex.holder())
                    + " does)" : " (nobody does)"));
        }
        if (--holds > 0) {
            return;
        }
        holder = null;
        mutex.release();
    }

    /** For conditions: releases every hold of the calling thread; returns how many it had. */
    int releaseFully() {
        int h = holdCount();
        if (h == 0) {
            throw new IllegalMonitorStateException("the calling thread does not hold " + what);
        }
        holds = 1;
        release();
        return h;
    }

    /**
     * For conditions: takes the lock again with {@code h} holds, however long it takes.
     *
     * @return {@link Acquisition#ACQUIRED} or {@link Acquisition#TAKEN_OVER}
     */
    Acquisition reacquire(int h) {
        boolean interrupted = false;
        Acquisition result;
        while (true) {
            try {
                result = acquire(-1);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        holds = h;
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return result;
    }
}
