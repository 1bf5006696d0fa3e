package org.multiprocessing4j;

import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.ObjectStreamException;
import java.io.Serializable;
import org.multiprocessing4j.spi.ArrayStore;

/**
 * A fixed-length array in shared memory that every process of a family sees, as Python's
 * {@code multiprocessing.Array}: {@link SharedLongArray}, {@link SharedIntArray},
 * {@link SharedDoubleArray}, {@link SharedByteArray}. Each element read and write is atomic, and
 * {@code long}, {@code int} and {@code double} elements have compare-and-set (and add, for the
 * integers); for updates across several elements hold {@link #getLock()}, as in Python. An index
 * outside the array throws {@link IndexOutOfBoundsException}. Passed to a child by capture, as a
 * handle to the same memory.
 *
 * <p>Memory consistency effects, across processes too: the elements of a {@link SharedLongArray},
 * {@link SharedIntArray} or {@link SharedDoubleArray} behave as those of
 * {@link java.util.concurrent.atomic.AtomicLongArray}: {@code get(i)} is a volatile read of the
 * element, {@code set(i, v)} a volatile write, and {@code compareAndSet}, {@code getAndAdd}
 * and the adds built on them (for doubles, a compare-and-set loop) have the effects of both.
 * {@code toArray()} reads the elements one by one, each with a volatile read: not a snapshot of
 * the array. For a {@link SharedByteArray}, {@code get(i)} is a plain read followed by an
 * acquire fence (the effects of an acquire read) and {@code set(i, v)} a release fence, a plain
 * write and a full fence (the effects of a volatile write); its bulk {@code get} is an acquire
 * fence followed by a plain copy and its bulk {@code set} a plain copy followed by a full fence,
 * so neither copy is atomic and a concurrent reader may see any mix of old and new bytes. To
 * hand over several elements as one, hold {@link #getLock()} (a {@link ProcessReentrantLock},
 * with a lock's memory effects; the element methods do not take it), or write them first and
 * then publish with a volatile write that the reader reads before it reads them (a
 * {@link SharedInt} flag, say).
 */
public abstract class SharedArray implements Serializable {
    private static final long serialVersionUID = 1L;

    final transient ArrayStore store;
    private final transient ProcessReentrantLock lock;
    private final transient int length;

    SharedArray(ArrayStore store) {
        this.store = store;
        this.lock = new ProcessReentrantLock(store.lock());
        this.length = store.length();
    }

    static int checkLength(int length) {
        if (length < 0) {
            throw new IllegalArgumentException("length must not be negative: " + length);
        }
        return length;
    }

    /** The number of elements. */
    public int length() {
        return length;
    }

    /** {@code i}, checked to be an index of this array: a store does not check (see {@link ArrayStore}). */
    final int at(int i) {
        if (i < 0 || i >= length) {
            throw new IndexOutOfBoundsException("index " + i + " is outside an array of " + length);
        }
        return i;
    }

    /** The reentrant lock that goes with this array (Python's {@code get_lock()}). */
    public ProcessReentrantLock getLock() {
        return lock;
    }

    /** Which of the public classes this is, so that it arrives as the same. */
    abstract Facade facade();

    Object writeReplace() throws ObjectStreamException {
        return facade().handle(store.handle());
    }

    private void readObject(ObjectInputStream in) throws InvalidObjectException {
        throw new InvalidObjectException("a shared array travels as its handle");
    }
}
