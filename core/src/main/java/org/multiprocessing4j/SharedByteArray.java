package org.multiprocessing4j;

import java.util.Objects;
import org.multiprocessing4j.internal.sync.ArrayCell;
import org.multiprocessing4j.spi.ArrayStore;

/**
 * A shared array of {@code byte}s (Python's {@code Array('b', n)}): element get and set, and bulk
 * copies in and out; no compare-and-set (hold {@link #getLock()} for read-modify-write). See
 * {@link SharedArray}, which also gives the memory consistency effects of each method: the bulk
 * copies are not atomic.
 */
public final class SharedByteArray extends SharedArray {
    private static final long serialVersionUID = 1L;

    SharedByteArray(ArrayStore store) {
        super(store);
    }

    /**
     * Makes one of {@code length} zeros.
     *
     * @throws IllegalArgumentException if {@code length} is negative or too large for one mapping
     */
    public static SharedByteArray create(int length) {
        return new SharedByteArray(ArrayCell.create(checkLength(length), 1, "a SharedByteArray"));
    }

    /** Makes one holding a copy of {@code values}. */
    public static SharedByteArray of(byte... values) {
        SharedByteArray a = create(values.length);
        a.set(0, values, 0, values.length);
        return a;
    }

    @Override
    Facade facade() {
        return Facade.BYTE_ARRAY;
    }

    public byte get(int i) {
        return store.getByte(at(i));
    }

    public void set(int i, byte v) {
        store.setByte(at(i), v);
    }

    /** Copies {@code count} elements from {@code from} into {@code dst} at {@code offset}. */
    public void get(int from, byte[] dst, int offset, int count) {
        Objects.requireNonNull(dst, "dst");
        Objects.checkFromIndexSize(offset, count, dst.length);
        Objects.checkFromIndexSize(from, count, length());
        store.getBytes(from, dst, offset, count);
    }

    /** Copies {@code count} bytes of {@code src} from {@code offset} to the elements from {@code to}. */
    public void set(int to, byte[] src, int offset, int count) {
        Objects.requireNonNull(src, "src");
        Objects.checkFromIndexSize(offset, count, src.length);
        Objects.checkFromIndexSize(to, count, length());
        store.setBytes(to, src, offset, count);
    }

    /** A copy of the elements. */
    public byte[] toArray() {
        byte[] out = new byte[length()];
        get(0, out, 0, out.length);
        return out;
    }

    @Override
    public String toString() {
        return java.util.Arrays.toString(toArray());
    }
}
