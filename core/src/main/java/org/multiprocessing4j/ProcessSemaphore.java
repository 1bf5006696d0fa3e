package org.multiprocessing4j;

import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.internal.sync.SemaphoreCell;
import org.multiprocessing4j.spi.SemaphoreStore;

/**
 * A counting semaphore shared by the processes of a family, as Python's
 * {@code multiprocessing.Semaphore} and {@code BoundedSemaphore}, with the methods of
 * {@link java.util.concurrent.Semaphore}. A bounded one ({@link ProcessContext#boundedSemaphore})
 * refuses a release that would take it above its initial permits. Any thread of any process may
 * release. Permits taken by a process that dies are not given back (a semaphore does not know
 * who holds its permits; use a {@link ProcessLock} where that matters).
 *
 * <p>Memory consistency effects: as in {@link java.util.concurrent.Semaphore}, actions in a
 * thread prior to calling a release method such as {@code release()} happen-before actions
 * following a successful acquire method such as {@code acquire()} (or a {@code tryAcquire} that
 * returns true) in another thread, of this process or, for the memory they share, of another
 * process of the family. Both are compare-and-set operations on the permit count in shared
 * memory. A {@code tryAcquire} that returns false, and {@code availablePermits()}, give no such
 * guarantee.
 */
public final class ProcessSemaphore implements Serializable {
    private static final long serialVersionUID = 1L;

    private final transient SemaphoreStore store;

    ProcessSemaphore(SemaphoreStore store) {
        this.store = store;
    }

    /**
     * Makes a semaphore with {@code permits}.
     *
     * @throws IllegalArgumentException if {@code permits} is negative
     */
    public static ProcessSemaphore create(int permits) {
        return new ProcessSemaphore(SemaphoreCell.create(check(permits), false));
    }

    /**
     * Makes a bounded semaphore: it may never hold more than {@code permits}.
     *
     * @throws IllegalArgumentException if {@code permits} is negative
     */
    public static ProcessSemaphore createBounded(int permits) {
        return new ProcessSemaphore(SemaphoreCell.create(check(permits), true));
    }

    private static int check(int permits) {
        if (permits < 0) {
            throw new IllegalArgumentException("permits must not be negative: " + permits);
        }
        return permits;
    }

    private static int checkCount(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("the number of permits must be at least 1, not " + n);
        }
        return n;
    }

    /** Takes a permit, waiting as long as needed. @throws InterruptedException if interrupted while waiting */
    public void acquire() throws InterruptedException {
        store.acquire(1, -1);
    }

    /**
     * Takes {@code permits} at once, waiting as long as needed.
     *
     * @throws IllegalArgumentException if {@code permits} is less than 1
     * @throws InterruptedException if interrupted while waiting; none is taken
     */
    public void acquire(int permits) throws InterruptedException {
        store.acquire(checkCount(permits), -1);
    }

    /** Takes a permit if one is free now. */
    public boolean tryAcquire() {
        try {
            return store.acquire(1, 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Takes {@code permits} if they are free now. @throws IllegalArgumentException if less than 1 */
    public boolean tryAcquire(int permits) {
        checkCount(permits);
        try {
            return store.acquire(permits, 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Takes a permit, waiting at most {@code timeout}; false if it ran out. */
    public boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(unit, "unit");
        return store.acquire(1, Math.max(0, unit.toNanos(timeout)));
    }

    /** Takes {@code permits}, waiting at most {@code timeout}; false if it ran out (none is taken). */
    public boolean tryAcquire(int permits, long timeout, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(unit, "unit");
        return store.acquire(checkCount(permits), Math.max(0, unit.toNanos(timeout)));
    }

    /** As {@link #tryAcquire(long, TimeUnit)}, with a {@code Duration}. */
    public boolean tryAcquire(Duration timeout) throws InterruptedException {
        return store.acquire(1, ProcessQueue.nanos(timeout));
    }

    /**
     * Gives a permit back.
     *
     * @throws IllegalStateException if the semaphore is bounded and would exceed its bound
     */
    public void release() {
        store.release(1);
    }

    /**
     * Gives {@code permits} back.
     *
     * @throws IllegalArgumentException if {@code permits} is less than 1
     * @throws IllegalStateException if the semaphore is bounded and would exceed its bound
     */
    public void release(int permits) {
        store.release(checkCount(permits));
    }

    /** The permits free now. */
    public int availablePermits() {
        return store.available();
    }

    /** Takes every free permit; returns how many. */
    public int drainPermits() {
        return store.drain();
    }

    /** Whether releases above the initial permits are refused. */
    public boolean isBounded() {
        return store.isBounded();
    }

    @Override
    public String toString() {
        return "ProcessSemaphore[permits=" + availablePermits() + (isBounded() ? ", bounded" : "") + "]";
    }

    Object writeReplace() throws ObjectStreamException {
        return Facade.SEMAPHORE.handle(store.handle());
    }

    private void readObject(ObjectInputStream in) throws InvalidObjectException {
        throw new InvalidObjectException("a semaphore travels as its handle");
    }
}
