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
