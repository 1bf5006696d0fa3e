package org.multiprocessing4j.internal.manager;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * The object behind a manager's {@code lock()}: a lock held by a server thread, that is, by one
 * thread of one client (each has a connection, served by a thread of its own). Not reentrant, as
 * Python's {@code Lock}; a holder that locks it again is told so rather than left waiting for
 * itself. When a client's connection ends (it closed it, or died), the server releases every lock
 * that client still held ({@link #releaseAllHeldByCurrentThread}), so that nobody waits for a
 * dead holder. Waits are cut into slices that check that the waiting client is still there, so
 * a lock is never granted to a client that has gone.
 */
final class ServerLock implements Lock {
    private static final ThreadLocal<Set<ServerLock>> HELD = ThreadLocal.withInitial(HashSet::new);

    private Thread owner;

    @Override
    public void lock() {
        try {
            lockInterruptibly();
        } catch (InterruptedException e) {
            // Nothing in the library interrupts a serving thread; if something does, answer the
            // call as for a client that has gone, and keep the status for the serving loop.
            Thread.currentThread().interrupt();
            throw new CallerWatch.CallerGoneException();
        }
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
        acquire(-1);
    }

    @Override
    public boolean tryLock() {
        synchronized (this) {
            checkNotHeld();
            return grab();
        }
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        return acquire(Math.max(0, unit.toNanos(time)));
    }

    private boolean acquire(long timeoutNanos) throws InterruptedException {
        synchronized (this) {
            checkNotHeld();
            return CallerWatch.awaitOn(this, timeoutNanos, this::grab);
        }
    }

    private void checkNotHeld() {
        if (owner == Thread.currentThread()) {
            throw new IllegalStateException("this thread holds the manager's lock already; it is not reentrant");
        }
    }

    private boolean grab() {
        if (owner != null) {
            return false;
        }
        owner = Thread.currentThread();
        HELD.get().add(this);
        return true;
    }

    @Override
    public synchronized void unlock() {
        if (owner != Thread.currentThread()) {
            throw new IllegalMonitorStateException(owner == null ? "the manager's lock is not locked"
                    : "the manager's lock is held by another thread");
        }
        release();
    }

    private synchronized void release() {
        owner = null;
        HELD.get().remove(this);
        notifyAll();
    }

    @Override
    public Condition newCondition() {
        throw new UnsupportedOperationException("a manager's lock has no conditions");
    }

    @Override
    public synchronized String toString() {
        return owner == null ? "manager lock[unlocked]" : "manager lock[locked]";
    }

    /**
     * Releases every lock the calling server thread holds, because its client is gone.
     *
     * @return how many it released
     */
    static int releaseAllHeldByCurrentThread() {
        Set<ServerLock> held = HELD.get();
        int n = held.size();
        for (ServerLock lock : held.toArray(new ServerLock[0])) {
            lock.release();
        }
        HELD.remove();
        return n;
    }
}
