package org.multiprocessing4j;

import org.multiprocessing4j.internal.sync.ArrayCell;
import org.multiprocessing4j.spi.ArrayStore;

/** A shared array of {@code int}s (Python's {@code Array('i', n)}); see {@link SharedArray}. */
public final class SharedIntArray extends SharedArray {
    private static final long serialVersionUID = 1L;

    SharedIntArray(ArrayStore store) {
        super(store);
    }

    /**
     * Makes one of {@code length} zeros.
     *
     * @throws IllegalArgumentException if {@code length} is negative or too large for one mapping
     */
    public static SharedIntArray create(int length) {
        return new SharedIntArray(ArrayCell.create(checkLength(length), 4, "a SharedIntArray"));
    }

    /** Makes one holding a copy of {@code values}. */
    public static SharedIntArray of(int... values) {
        SharedIntArray a = create(values.length);
        for (int i = 0; i < values.length; i++) {
            a.set(i, values[i]);
        }
        return a;
    }

    @Override
    Facade facade() {
        return Facade.INT_ARRAY;
    }

    public int get(int i) {
        return store.getInt(at(i));
    }

    public void set(int i, int v) {
        store.setInt(at(i), v);
    }

    public boolean compareAndSet(int i, int expected, int v) {
        return store.compareAndSetInt(at(i), expected, v);
    }

    public int getAndAdd(int i, int delta) {
        return store.getAndAddInt(at(i), delta);
    }

    public int addAndGet(int i, int delta) {
        return store.getAndAddInt(at(i), delta) + delta;
    }

    public int incrementAndGet(int i) {
        return addAndGet(i, 1);
    }

    /** A copy of the elements (each read atomically; not a snapshot of the whole array unless the lock is held). */
    public int[] toArray() {
        int[] out = new int[length()];
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
