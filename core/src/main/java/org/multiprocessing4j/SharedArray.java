package org.multiprocessing4j;

import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.ObjectStreamException;
import java.io.Serializable;
import org.multiprocessing4j.internal.sync.ArrayCell;

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

    final transient ArrayCell cell;
    private final transient ProcessReentrantLock lock;

    SharedArray(ArrayCell cell) {
        this.cell = cell;
        this.lock = new ProcessReentrantLock(cell.lock());
    }

    static int checkLength(int length) {
        if (length < 0) {
            throw new IllegalArgumentException("length must not be negative: " + length);
        }
        return length;
    }

    /** The number of elements. */
    public int length() {
        return cell.length;
    }

    /** The reentrant lock that goes with this array (Python's {@code get_lock()}). */
    public ProcessReentrantLock getLock() {
        return lock;
    }

    abstract int kind();

    Object writeReplace() throws ObjectStreamException {
        return new Handle(cell.handle(), kind());
    }

    private void readObject(ObjectInputStream in) throws InvalidObjectException {
        throw new InvalidObjectException("a shared array travels as its handle");
    }

    private static final class Handle implements Serializable {
        private static final long serialVersionUID = 1L;
        private final Serializable cell;
        private final int kind;

        Handle(Serializable cell, int kind) {
            this.cell = cell;
            this.kind = kind;
        }

        private Object readResolve() {
            ArrayCell c = ArrayCell.attach(cell);
            switch (kind) {
                case SharedLongArray.KIND:
                    return new SharedLongArray(c);
                case SharedIntArray.KIND:
                    return new SharedIntArray(c);
                case SharedDoubleArray.KIND:
                    return new SharedDoubleArray(c);
                default:
                    return new SharedByteArray(c);
            }
        }
    }
}
