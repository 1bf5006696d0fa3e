package org.multiprocessing4j;

import org.multiprocessing4j.internal.sync.ArrayCell;
import org.multiprocessing4j.spi.ArrayStore;

/** A shared array of {@code long}s (Python's {@code Array('q', n)}); see {@link SharedArray}. */
public final class SharedLongArray extends SharedArray {
    private static final long serialVersionUID = 1L;

    SharedLongArray(ArrayStore store) {
        super(store);
    }

    /**
     * Makes one of {@code length} zeros.
     *
     * @throws IllegalArgumentException if {@code length} is negative or too large for one mapping
     */
    public static SharedLongArray create(int length) {
        return new SharedLongArray(ArrayCell.create(checkLength(length), 8, "a SharedLongArray"));
    }

    /** Makes one holding a copy of {@code values}. */
    public static SharedLongArray of(long... values) {
        SharedLongArray a = create(values.length);
        for (int i = 0; i < values.length; i++) {
            a.set(i, values[i]);
        }
        return a;
    }

    @Override
    Facade facade() {
        return Facade.LONG_ARRAY;
    }

    public long get(int i) {
        return store.getLong(at(i));
    }

    public void set(int i, long v) {
        store.setLong(at(i), v);
    }

    public boolean compareAndSet(int i, long expected, long v) {
        return store.compareAndSetLong(at(i), expected, v);
    }

    public long getAndAdd(int i, long delta) {
        return store.getAndAddLong(at(i), delta);
    }

    public long addAndGet(int i, long delta) {
        return store.getAndAddLong(at(i), delta) + delta;
    }

    public long incrementAndGet(int i) {
        return addAndGet(i, 1);
    }

    /** A copy of the elements (each read atomically; not a snapshot of the whole array unless the lock is held). */
    public long[] toArray() {
        long[] out = new long[length()];
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
