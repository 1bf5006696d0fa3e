package org.multiprocessing4j;

import java.util.Objects;
import java.util.function.LongBinaryOperator;
import java.util.function.LongUnaryOperator;
import org.multiprocessing4j.internal.sync.ValueCell;
import org.multiprocessing4j.spi.ValueStore;

/**
 * A {@code long} in shared memory with the atomic operations of
 * {@link java.util.concurrent.atomic.AtomicLong}, shared by the processes of a family (Python's
 * {@code Value('q')}, but atomic without its lock). See {@link SharedValue}, which also gives
 * the memory consistency effects of each method.
 */
public final class SharedLong extends SharedValue implements LongValue {
    private static final long serialVersionUID = 1L;

    SharedLong(ValueStore store) {
        super(store);
    }

    /** Makes one holding {@code initialValue}. */
    public static SharedLong create(long initialValue) {
        return new SharedLong(ValueCell.create(initialValue));
    }

    @Override
    Facade facade() {
        return Facade.LONG;
    }

    /** The value: a volatile read of shared memory. */
    public long get() {
        return store.getLong();
    }

    /** Sets the value: a volatile write of shared memory. */
    public void set(long value) {
        store.setLong(value);
    }

    public long getAndSet(long value) {
        return store.getAndSetLong(value);
    }

    public boolean compareAndSet(long expected, long value) {
        return store.compareAndSetLong(expected, value);
    }

    public long getAndAdd(long delta) {
        return store.getAndAddLong(delta);
    }

    public long addAndGet(long delta) {
        return store.getAndAddLong(delta) + delta;
    }

    public long incrementAndGet() {
        return addAndGet(1);
    }

    public long decrementAndGet() {
        return addAndGet(-1);
    }

    public long getAndIncrement() {
        return getAndAdd(1);
    }

    public long getAndDecrement() {
        return getAndAdd(-1);
    }

    /**
     * Applies {@code fn} atomically (retrying if another thread or process changed the value
     * meanwhile, so {@code fn} should have no side effects) and returns the new value. {@code fn}
     * runs in the calling thread.
     */
    public long updateAndGet(LongUnaryOperator fn) {
        Objects.requireNonNull(fn, "fn");
        while (true) {
            long prev = get();
            long next = fn.applyAsLong(prev);
            if (compareAndSet(prev, next)) {
                return next;
            }
        }
    }

    /** As {@link #updateAndGet}, returning the previous value. */
    public long getAndUpdate(LongUnaryOperator fn) {
        Objects.requireNonNull(fn, "fn");
        while (true) {
            long prev = get();
            if (compareAndSet(prev, fn.applyAsLong(prev))) {
                return prev;
            }
        }
    }

    /** Combines the value with {@code x} atomically; returns the new value. */
    public long accumulateAndGet(long x, LongBinaryOperator fn) {
        Objects.requireNonNull(fn, "fn");
        return updateAndGet(v -> fn.applyAsLong(v, x));
    }

    @Override
    public String toString() {
        return Long.toString(get());
    }
}
