package org.multiprocessing4j;

import java.util.Objects;
import java.util.function.IntUnaryOperator;
import org.multiprocessing4j.internal.sync.ValueCell;
import org.multiprocessing4j.spi.ValueStore;

/**
 * An {@code int} in shared memory with the atomic operations of
 * {@link java.util.concurrent.atomic.AtomicInteger}, shared by the processes of a family
 * (Python's {@code Value('i')}). See {@link SharedValue}, which also gives the memory
 * consistency effects of each method.
 */
public final class SharedInt extends SharedValue {
    private static final long serialVersionUID = 1L;

    SharedInt(ValueStore store) {
        super(store);
    }

    /** Makes one holding {@code initialValue}. */
    public static SharedInt create(int initialValue) {
        ValueCell c = ValueCell.create(0);
        c.setInt(initialValue);
        return new SharedInt(c);
    }

    @Override
    Facade facade() {
        return Facade.INT;
    }

    /** The value: a volatile read of shared memory. */
    public int get() {
        return store.getInt();
    }

    /** Sets the value: a volatile write of shared memory. */
    public void set(int value) {
        store.setInt(value);
    }

    public int getAndSet(int value) {
        return store.getAndSetInt(value);
    }

    public boolean compareAndSet(int expected, int value) {
        return store.compareAndSetInt(expected, value);
    }

    public int getAndAdd(int delta) {
        return store.getAndAddInt(delta);
    }

    public int addAndGet(int delta) {
        return store.getAndAddInt(delta) + delta;
    }

    public int incrementAndGet() {
        return addAndGet(1);
    }

    public int decrementAndGet() {
        return addAndGet(-1);
    }

    public int getAndIncrement() {
        return getAndAdd(1);
    }

    public int getAndDecrement() {
        return getAndAdd(-1);
    }

    /** Applies {@code fn} atomically (retrying on a race; no side effects please); returns the new value. */
    public int updateAndGet(IntUnaryOperator fn) {
        Objects.requireNonNull(fn, "fn");
        while (true) {
            int prev = get();
            int next = fn.applyAsInt(prev);
            if (compareAndSet(prev, next)) {
                return next;
            }
        }
    }

    @Override
    public String toString() {
        return Integer.toString(get());
    }
}
