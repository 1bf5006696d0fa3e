package org.multiprocessing4j;

import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.time.Duration;
import java.util.Date;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import org.multiprocessing4j.spi.ConditionStore;
import org.multiprocessing4j.spi.LockStore.Acquisition;

/**
 * A condition variable shared by the processes of a family, as Python's
 * {@code multiprocessing.Condition}, and a {@link Condition} of a {@link ProcessLock}
 * ({@link #getLock()}). {@code await} releases the lock, waits for a {@code signal} from any
 * process, and holds the lock again before it returns. A signal goes to the thread that has
 * waited longest (in any process), never to one that starts waiting after it; still, as with
 * every {@code Condition}, wait in a loop that checks what you wait for. At most 64 threads may
 * wait on one condition at once.
 *
 * <p>Make one with {@link ProcessContext#condition()} (with its own reentrant lock, as Python's
 * {@code Condition()}) or {@link ProcessLock#newCondition()}.
 *
 * <p>Memory consistency effects: those of its lock ({@link ProcessLock}). Every form of
 * {@code await} releases the lock and takes it again before it returns, however it returns, so
 * actions of a thread, in any process, prior to its unlocking the lock after a {@code signal}
 * happen-before actions subsequent to the return of the {@code await} it woke. {@code signal}
 * and {@code signalAll} promise nothing of their own beyond that; check the state you wait for,
 * under the lock, after {@code await} returns. If {@code await} took the lock back from a process
 * that died holding it, {@code getLock().heldAfterOwnerDied()} says so, with the caveat given
 * there.
 */
public final class ProcessCondition implements Condition, Serializable {
    private static final long serialVersionUID = 1L;

    private final transient ConditionStore store;
    private final transient ProcessLock lock;

    ProcessCondition(ConditionStore store, ProcessLock lock) {
        this.store = store;
        this.lock = lock;
    }

    /** Makes a condition with a new {@link ProcessReentrantLock}. */
    public static ProcessCondition create() {
        return ProcessReentrantLock.create().newCondition();
    }

    /** The lock a thread must hold to await or signal. */
    public ProcessLock getLock() {
        return lock;
    }

    /**
     * Waits for a signal, releasing the lock meanwhile.
     *
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock
     * @throws InterruptedException if interrupted while waiting (the lock is held again)
     */
    @Override
    public void await() throws InterruptedException {
        awaitNanos0(-1);
    }

    /** Waits, and tells the lock's facade whether it was taken back from a dead process. */
    private boolean awaitNanos0(long nanos) throws InterruptedException {
        int r;
        try {
            r = store.await(nanos);
        } catch (InterruptedException e) {
            lock.reacquired(store.lastAwaitRecovered() ? Acquisition.TAKEN_OVER : Acquisition.ACQUIRED);
            throw e;
        }
        reacquired(r);
        return (r & ConditionStore.SIGNALLED) != 0;
    }

    /** Tells the lock's facade how an await that returned {@code r} took the lock back. */
    private void reacquired(int r) {
        lock.reacquired((r & ConditionStore.RECOVERED) != 0 ? Acquisition.TAKEN_OVER : Acquisition.ACQUIRED);
    }

    /**
     * Waits for a signal; an interrupt does not end the wait, nor lose a signal given meanwhile
     * (the interrupt status is set again when it returns).
     *
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock
     */
    @Override
    public void awaitUninterruptibly() {
        reacquired(store.awaitUninterruptibly());
    }

    /** Waits at most {@code nanosTimeout}; returns an estimate of the time left (≤ 0: none). */
    @Override
    public long awaitNanos(long nanosTimeout) throws InterruptedException {
        long start = System.nanoTime();
        awaitNanos0(Math.max(0, nanosTimeout));
        return nanosTimeout - (System.nanoTime() - start);
    }

    /** Waits at most {@code time}; false if it ran out (the lock is held again either way). */
    @Override
    public boolean await(long time, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(unit, "unit");
        return awaitNanos0(Math.max(0, unit.toNanos(time)));
    }

    /** As {@link #await(long, TimeUnit)}, with a {@code Duration}. */
    public boolean await(Duration timeout) throws InterruptedException {
        return awaitNanos0(ProcessQueue.nanos(timeout));
    }

    /** Waits until {@code deadline}; false if it passed. */
    @Override
    public boolean awaitUntil(Date deadline) throws InterruptedException {
        Objects.requireNonNull(deadline, "deadline");
        return awaitNanos0(Math.max(0, TimeUnit.MILLISECONDS.toNanos(deadline.getTime() - System.currentTimeMillis())));
    }

    /**
     * Wakes one waiter, in whatever process.
     *
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock
     */
    @Override
    public void signal() {
        store.signal();
    }

    /**
     * Wakes every waiter.
     *
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock
     */
    @Override
    public void signalAll() {
        store.signalAll();
    }

    /**
     * A condition travels with its lock, whose store attaches it again, so that both share the
     * lock's notion of which thread holds it (see {@link org.multiprocessing4j.spi.LockStore#attachCondition}).
     */
    Object writeReplace() throws ObjectStreamException {
        return new Handle(store.handle(), lock);
    }

    private void readObject(ObjectInputStream in) throws InvalidObjectException {
        throw new InvalidObjectException("a condition travels as its handle");
    }

    private static final class Handle implements Serializable {
        private static final long serialVersionUID = 1L;
        private final Serializable condition;
        private final ProcessLock lock;

        Handle(Serializable condition, ProcessLock lock) {
            this.condition = condition;
            this.lock = lock;
        }

        private Object readResolve() {
            return new ProcessCondition(lock.store.attachCondition(condition), lock);
        }
    }
}
