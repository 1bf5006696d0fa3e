package org.multiprocessing4j.internal.sync;

import java.io.Serializable;
import java.lang.invoke.VarHandle;
import org.multiprocessing4j.internal.shm.SegmentKind;
import org.multiprocessing4j.internal.shm.SharedSegment;
import org.multiprocessing4j.internal.shm.Words;
import org.multiprocessing4j.spi.ArrayStore;
import org.multiprocessing4j.spi.StoreHandle;

/**
 * A fixed-length array in shared memory (Python's {@code multiprocessing.Array}): its length and
 * element size, a reentrant lock beside it, and the elements from {@link SyncLayout#ARRAY_DATA},
 * each aligned to its size so that {@code long}, {@code int} and {@code double} elements have
 * atomic operations. Indexes are checked by the facade, as {@link ArrayStore} says, and not
 * again here.
 */
public final class ArrayCell extends SyncCell implements ArrayStore {
    private static final int LENGTH = SyncLayout.MAIN_OFFSET + SyncLayout.ARRAY_LENGTH_OFFSET;
    private static final int ELEMENT = SyncLayout.MAIN_OFFSET + SyncLayout.ARRAY_ELEMENT_SIZE_OFFSET;

    private final LockCell lock;
    private final int length;
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
        long size = SyncLayout.ARRAY_DATA_OFFSET + (long) length * elementBytes;
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + " of " + length + " elements needs " + size
                    + " bytes; the most is " + Integer.MAX_VALUE);
        }
        SharedSegment s = SharedSegment.create(SegmentKind.SYNC, size, what);
        Words.setIntRelease(s.buffer, SyncLayout.TYPE_OFFSET, SyncLayout.TYPE_ARRAY);
        Words.setVolatile(s.buffer, LENGTH, (long) length);
        Words.setVolatile(s.buffer, ELEMENT, (long) elementBytes);
        return s.channel(ArrayCell::new);
    }

    static ArrayCell attach(Serializable handle) {
        return attached(handle, SyncLayout.TYPE_ARRAY).channel(ArrayCell::new);
    }

    @Override
    public StoreHandle<ArrayStore> handle() {
        return new CellHandle<>(locator(), SyncLayout.TYPE_ARRAY, false);
    }

    @Override
    public LockCell lock() {
        return lock;
    }

    @Override
    public int length() {
        return length;
    }

    private int at(int index) {
        return SyncLayout.ARRAY_DATA_OFFSET + index * elementBytes;
    }

    @Override
    public long getLong(int i) {
        return Words.getVolatile(buffer, at(i));
    }

    @Override
    public void setLong(int i, long v) {
        Words.setVolatile(buffer, at(i), v);
    }

    @Override
    public boolean compareAndSetLong(int i, long e, long v) {
        return Words.cas(buffer, at(i), e, v);
    }

    @Override
    public long getAndAddLong(int i, long d) {
        return Words.getAndAdd(buffer, at(i), d);
    }

    @Override
    public int getInt(int i) {
        return Words.getIntVolatile(buffer, at(i));
    }

    @Override
    public void setInt(int i, int v) {
        Words.setIntVolatile(buffer, at(i), v);
    }

    @Override
    public boolean compareAndSetInt(int i, int e, int v) {
        return Words.casInt(buffer, at(i), e, v);
    }

    @Override
    public int getAndAddInt(int i, int d) {
        return Words.getAndAddInt(buffer, at(i), d);
    }

    @Override
    public double getDouble(int i) {
        return Words.getDoubleVolatile(buffer, at(i));
    }

    @Override
    public void setDouble(int i, double v) {
        Words.setDoubleVolatile(buffer, at(i), v);
    }

    @Override
    public boolean compareAndSetDouble(int i, double e, double v) {
        return Words.casDouble(buffer, at(i), e, v);
    }

    @Override
    public byte getByte(int i) {
        byte b = buffer.get(at(i));
        VarHandle.acquireFence();
        return b;
    }

    @Override
    public void setByte(int i, byte v) {
        int at = at(i);
        VarHandle.releaseFence();
        buffer.put(at, v);
        VarHandle.fullFence();
    }

    @Override
    public void getBytes(int from, byte[] dst, int offset, int count) {
        VarHandle.acquireFence();
        buffer.get(SyncLayout.ARRAY_DATA_OFFSET + from, dst, offset, count);
    }

    @Override
    public void setBytes(int to, byte[] src, int offset, int count) {
        buffer.put(SyncLayout.ARRAY_DATA_OFFSET + to, src, offset, count);
        VarHandle.fullFence();
    }
}
