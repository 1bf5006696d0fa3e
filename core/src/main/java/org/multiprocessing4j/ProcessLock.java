package org.multiprocessing4j;

import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import org.multiprocessing4j.internal.sync.LockCell;
import org.multiprocessing4j.spi.LockStore;
import org.multiprocessing4j.spi.LockStore.Acquisition;

/**
 * A mutual-exclusion lock shared by the processes of a family, as Python's
 * {@code multiprocessing.Lock}, and a {@link Lock}. One thread of one process holds it at a time;
 * it is not reentrant (a thread that locks it twice gets an {@link IllegalStateException}
 * instead of waiting for itself forever: use {@link ProcessReentrantLock}). Only the holding
 * thread may unlock it.
 *
 * <p><b>A holder that dies does not block the others.</b> If the process holding the lock ends
 * (killed, crashed), the next thread that wants it takes it over within milliseconds, a WARNING
 * is logged, and {@link #heldAfterOwnerDied()} tells that thread so: what the lock guarded may be
 * half updated. (Python's lock stays locked forever.)
 *
 * <p>Pass it to a child by capturing it; it travels as a small handle to the same lock. Waiting
 * threads spin briefly, then sleep until the holder unlocks; an idle waiter uses no CPU.
 *
 * <p>Memory consistency effects: as for every {@link Lock}, a successful lock ({@code lock},
 * {@code lockInterruptibly}, a {@code tryLock} that returns true) has the memory effects of a
 * lock action and {@code unlock} those of an unlock action: actions in a thread prior to
 * {@code unlock()} happen-before actions subsequent to a later successful lock of the same lock
 * by any thread of any process of the family. Across processes this covers the memory they
 * share: writes to a {@link SharedLong}, a {@link SharedLongArray}, a {@link SharedMemory} or any
 * other shared object of this package made before {@code unlock()}, plain writes to a
 * {@code SharedMemory} buffer included, are visible after a subsequent {@code lock()} in any
 * process. (Both are compare-and-set operations on the lock's word in shared memory.) A lock
 * taken over from a process that died holding it ({@link #heldAfterOwnerDied()}) has no unlock
 * to pair with: of the writes the dead holder made while it held the lock, the new holder may
 * see any subset, so check or rebuild what the lock guarded.
 */
public class ProcessLock implements Lock, Serializable {
    private static final long serialVersionUID = 1L;

    final transient LockStore store;
    private final transient ThreadLocal<Boolean> recovered = ThreadLocal.withInitial(() -> Boolean.FALSE);

    ProcessLock(LockStore store) {
        this.store = store;
    }

    /** Makes a lock; any thread may call this. */
    public static ProcessLock create() {
        return new ProcessLock(LockCell.create(false));
    }

    /** Takes the lock, waiting as long as needed; an interrupt does not stop the wait (it is kept). */
    @Override
    public void lock() {
        boolean interrupted = false;
        while (true) {
            try {
                acquired(store.acquire(-1));
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Takes the lock, waiting as long as needed.
     *
     * @throws InterruptedException if interrupted while waiting; the lock is not taken
     */
    @Override
    public void lockInterruptibly() throws InterruptedException {
        acquired(store.acquire(-1));
    }

    /**
     * Takes the lock if it is free now, or if its holder's process has died. Returns false if
     * another holder has it, or if the calling thread does (a {@code ProcessLock} is not
     * reentrant; only {@link #lock()} refuses to wait for itself, with an exception).
     */
    @Override
    public boolean tryLock() {
        try {
            return acquired(store.acquire(0));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Takes the lock, waiting at most {@code time}. A thread that already holds the lock waits
     * its time out and gets false, as {@code Lock.tryLock} requires.
     *
     * @return false if the time ran out
     * @throws InterruptedException if interrupted while waiting
     */
    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(unit, "unit");
        return acquired(store.acquire(Math.max(0, unit.toNanos(time))));
    }

    /** As {@link #tryLock(long, TimeUnit)}, with a {@code Duration}. */
    public boolean tryLock(Duration timeout) throws InterruptedException {
        return acquired(store.acquire(ProcessQueue.nanos(timeout)));
    }

    /** For conditions: the lock was taken again after a wait, with {@code result}. */
    void reacquired(Acquisition result) {
        recovered.set(result == Acquisition.TAKEN_OVER);
    }

    private boolean acquired(Acquisition result) {
        if (result == Acquisition.TIMED_OUT) {
            return false;
        }
        if (store.holdCount() <= 1) {
            recovered.set(result == Acquisition.TAKEN_OVER);
        }
        return true;
    }

    /**
     * Releases the lock.
     *
     * @throws IllegalMonitorStateException if the calling thread does not hold it
     */
    @Override
    public void unlock() {
        store.release();
    }

    /**
     * A condition of this lock, shared by the processes as the lock is; see {@link ProcessCondition}.
     */
    @Override
    public ProcessCondition newCondition() {
        return new ProcessCondition(store.newCondition(), this);
    }

    /**
     * Whether the calling thread holds the lock and took it over from a process that died
     * holding it, so that what the lock guards may be half updated.
     */
    public boolean heldAfterOwnerDied() {
        return store.isHeldByCurrentThread() && recovered.get();
    }

    /** Whether some thread of some process holds the lock now. */
    public boolean isLocked() {
        return store.isLocked();
    }

    /** Whether the calling thread holds the lock. */
    public boolean isHeldByCurrentThread() {
        return store.isHeldByCurrentThread();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + (isLocked() ? "locked" : "unlocked") + "]";
    }

    Object writeReplace() throws ObjectStreamException {
        return (this instanceof ProcessReentrantLock ? Facade.REENTRANT_LOCK : Facade.LOCK).handle(store.handle());
    }

    private void readObject(ObjectInputStream in) throws InvalidObjectException {
        throw new InvalidObjectException("a lock travels as its handle");
    }
}
