package org.multiprocessing4j;

import java.util.Objects;
import java.util.function.DoubleUnaryOperator;
import org.multiprocessing4j.internal.sync.ValueCell;
import org.multiprocessing4j.spi.ValueStore;

/**
 * A {@code double} in shared memory, shared by the processes of a family (Python's
 * {@code Value('d')}): atomic get, set, compare-and-set (on the exact bits) and add. See
 * {@link SharedValue}, which also gives the memory consistency effects of each method (the adds
 * and {@code updateAndGet} are compare-and-set loops on the value's bits).
 */
public final class SharedDouble extends SharedValue {
    private static final long serialVersionUID = 1L;

    SharedDouble(ValueStore store) {
        super(store);
    }

    /** Makes one holding {@code initialValue}. */
    public static SharedDouble create(double initialValue) {
        return new SharedDouble(ValueCell.create(Double.doubleToRawLongBits(initialValue)));
    }

    @Override
    Facade facade() {
        return Facade.DOUBLE;
    }

    /** The value: a volatile read of shared memory. */
    public double get() {
        return Double.longBitsToDouble(store.getLong());
    }

    /** Sets the value: a volatile write of shared memory. */
    public void set(double value) {
        store.setLong(Double.doubleToRawLongBits(value));
    }

    public double getAndSet(double value) {
        return Double.longBitsToDouble(store.getAndSetLong(Double.doubleToRawLongBits(value)));
    }

    /** Sets {@code value} if the current value has exactly the bits of {@code expected}. */
    public boolean compareAndSet(double expected, double value) {
        return store.compareAndSetLong(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(value));
    }

    public double addAndGet(double delta) {
        return updateAndGet(v -> v + delta);
    }

    public double getAndAdd(double delta) {
        while (true) {
            long bits = store.getLong();
            double prev = Double.longBitsToDouble(bits);
            if (store.compareAndSetLong(bits, Double.doubleToRawLongBits(prev + delta))) {
                return prev;
            }
        }
    }

    /** Applies {@code fn} atomically (retrying on a race; no side effects please); returns the new value. */
    public double updateAndGet(DoubleUnaryOperator fn) {
        Objects.requireNonNull(fn, "fn");
        while (true) {
            long bits = store.getLong();
            double next = fn.applyAsDouble(Double.longBitsToDouble(bits));
            if (store.compareAndSetLong(bits, Double.doubleToRawLongBits(next))) {
                return next;
            }
        }
    }

    @Override
    public String toString() {
        return Double.toString(get());
    }
}
