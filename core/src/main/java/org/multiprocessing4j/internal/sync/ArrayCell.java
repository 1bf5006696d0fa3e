package org.multiprocessing4j.internal.sync;

import java.io.Serializable;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import org.multiprocessing4j.internal.shm.SharedSegment;

/**
 * A fixed-length array in shared memory (Python's {@code multiprocessing.Array}): its length and
 * element size, a reentrant lock beside it, and the elements from {@link SyncLayout#ARRAY_DATA},
 * each aligned to its size so that {@code long}, {@code int} and {@code double} elements have
 * atomic operations.
 */
public final class ArrayCell extends SyncCell {
    private static final int LENGTH = SyncLayout.MAIN + SyncLayout.ARRAY_LENGTH;
    private static final int ELEMENT = SyncLayout.MAIN + SyncLayout.ARRAY_ELEMENT_BYTES;
    private static final VarHandle DOUBLES =
            MethodHandles.byteBufferViewVarHandle(double[].class, ByteOrder.nativeOrder());

    private final LockCell lock;
    public final int length;
    private final int elementBytes;

    private ArrayCell(SharedSegment segment) {
        super(segment);
        this.lock = LockCell.ofValue(segment, SyncLayout.TYPE_ARRAY);
        this.length = (int) getVolatile(LENGTH);
        this.elementBytes = (int) getVolatile(ELEMENT);
    }

    /**
     * Makes an array of {@code length} elements of {@code elementBytes} (1, 4 or 8), zeroed.
     *
     * @throws IllegalArgumentException if it would not fit in one mapping
     */
    public static ArrayCell create(int length, int elementBytes, String what) {
        long size = SyncLayout.ARRAY_DATA + (long) length * elementBytes;
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + " of " + length + " elements needs " + size
                    + " bytes; the most is " + Integer.MAX_VALUE);
        }
        SharedSegment s = SharedSegment.create(SyncLayout.KIND, size, what);
        SharedSegment.INTS.setRelease(s.buffer, SyncLayout.TYPE, SyncLayout.TYPE_ARRAY);
        SharedSegment.LONGS.setVolatile(s.buffer, LENGTH, (long) length);
        SharedSegment.LONGS.setVolatile(s.buffer, ELEMENT, (long) elementBytes);
        return s.channel(ArrayCell::new);
    }

    public static ArrayCell attach(Serializable handle) {
        return attached(handle, SyncLayout.TYPE_ARRAY).channel(ArrayCell::new);
    }

    public LockCell lock() {
        return lock;
    }

    private int at(int index) {
        if (index < 0 || index >= length) {
            throw new IndexOutOfBoundsException("index " + index + " is outside an array of " + length);
        }
        return SyncLayout.ARRAY_DATA + index * elementBytes;
    }

    public long getLong(int i) {
        return (long) SharedSegment.LONGS.getVolatile(buffer, at(i));
    }

    public void setLong(int i, long v) {
        SharedSegment.LONGS.setVolatile(buffer, at(i), v);
    }

    public boolean compareAndSetLong(int i, long e, long v) {
        return SharedSegment.LONGS.compareAndSet(buffer, at(i), e, v);
    }

    public long getAndAddLong(int i, long d) {
        return (long) SharedSegment.LONGS.getAndAdd(buffer, at(i), d);
    }

    public int getInt(int i) {
        return (int) SharedSegment.INTS.getVolatile(buffer, at(i));
    }

    public void setInt(int i, int v) {
        SharedSegment.INTS.setVolatile(buffer, at(i), v);
    }

    public boolean compareAndSetInt(int i, int e, int v) {
        return SharedSegment.INTS.compareAndSet(buffer, at(i), e, v);
    }

    public int getAndAddInt(int i, int d) {
        return (int) SharedSegment.INTS.getAndAdd(buffer, at(i), d);
    }

    public double getDouble(int i) {
        return (double) DOUBLES.getVolatile(buffer, at(i));
    }

    public void setDouble(int i, double v) {
        DOUBLES.setVolatile(buffer, at(i), v);
    }

    public boolean compareAndSetDouble(int i, double e, double v) {
        return DOUBLES.compareAndSet(buffer, at(i), e, v);
    }

    public byte getByte(int i) {
        byte b = buffer.get(at(i));
        VarHandle.acquireFence();
        return b;
    }

    public void setByte(int i, byte v) {
        int at = at(i);
        VarHandle.releaseFence();
        buffer.put(at, v);
        VarHandle.fullFence();
    }

    /** Copies {@code length} bytes from element offset {@code from} into {@code dst}. */
    public void getBytes(int from, byte[] dst, int offset, int count) {
        java.util.Objects.checkFromIndexSize(from, count, length);
        VarHandle.acquireFence();
        buffer.get(SyncLayout.ARRAY_DATA + from, dst, offset, count);
    }

    /** Copies {@code count} bytes of {@code src} to element offset {@code to}. */
    public void setBytes(int to, byte[] src, int offset, int count) {
        java.util.Objects.checkFromIndexSize(to, count, length);
        buffer.put(SyncLayout.ARRAY_DATA + to, src, offset, count);
        VarHandle.fullFence();
    }
}
