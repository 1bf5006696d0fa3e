package org.multiprocessing4j;

import org.multiprocessing4j.internal.sync.ArrayCell;
import org.multiprocessing4j.spi.ArrayStore;

/** A shared array of {@code double}s (Python's {@code Array('d', n)}); see {@link SharedArray}. */
public final class SharedDoubleArray extends SharedArray {
    private static final long serialVersionUID = 1L;

    SharedDoubleArray(ArrayStore store) {
        super(store);
    }

    /**
     * Makes one of {@code length} zeros.
     *
     * @throws IllegalArgumentException if {@code length} is negative or too large for one mapping
     */
    public static SharedDoubleArray create(int length) {
        return new SharedDoubleArray(ArrayCell.create(checkLength(length), 8, "a SharedDoubleArray"));
    }

    /** Makes one holding a copy of {@code values}. */
    public static SharedDoubleArray of(double... values) {
        SharedDoubleArray a = create(values.length);
        for (int i = 0; i < values.length; i++) {
            a.set(i, values[i]);
        }
        return a;
    }

    @Override
    Facade facade() {
        return Facade.DOUBLE_ARRAY;
    }

    public double get(int i) {
        return store.getDouble(at(i));
    }

    public void set(int i, double v) {
        store.setDouble(at(i), v);
    }

    /** Sets {@code v} if element {@code i} has exactly the bits of {@code expected}. */
    public boolean compareAndSet(int i, double expected, double v) {
        return store.compareAndSetDouble(at(i), expected, v);
    }

    /** Adds {@code delta} to element {@code i} atomically; returns the new value. */
    public double addAndGet(int i, double delta) {
        while (true) {
            double prev = get(i);
            double next = prev + delta;
            if (compareAndSet(i, prev, next)) {
                return next;
            }
        }
    }

    /** A copy of the elements (each read atomically). */
    public double[] toArray() {
        double[] out = new double[length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = get(i);
        }
        return out;
    }

    @Override
    public String toString() {
        return java.util.Arrays.toString(toArray());
    }
}
