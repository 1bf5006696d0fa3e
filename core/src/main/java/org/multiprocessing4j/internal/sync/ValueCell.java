package org.multiprocessing4j.internal.sync;

import java.io.Serializable;
import org.multiprocessing4j.internal.shm.SharedSegment;
import org.multiprocessing4j.internal.shm.Words;
import org.multiprocessing4j.spi.StoreHandle;
import org.multiprocessing4j.spi.ValueStore;

/**
 * A shared number in shared memory (the bits of a {@code long}, an {@code int} or a
 * {@code double}), with atomic operations, and a reentrant lock beside it for compound updates
 * (Python's {@code Value.get_lock()}).
 */
public final class ValueCell extends SyncCell implements ValueStore {
    private static final int BITS = SyncLayout.MAIN_OFFSET + SyncLayout.VALUE_BITS_OFFSET;

    private final LockCell lock;

    private ValueCell(SharedSegment segment) {
        super(segment);
        this.lock = LockCell.ofValue(segment, SyncLayout.TYPE_VALUE);
    }

    public static ValueCell create(long initialBits) {
        ValueCell c = newSegment(SyncLayout.TYPE_VALUE, "a shared value").channel(ValueCell::new);
        c.setVolatile(BITS, initialBits);
        return c;
    }

    static ValueCell attach(Serializable handle) {
        return attached(handle, SyncLayout.TYPE_VALUE).channel(ValueCell::new);
    }

    @Override
    public StoreHandle<ValueStore> handle() {
        return new CellHandle<>(locator(), SyncLayout.TYPE_VALUE, false);
    }

    @Override
    public LockCell lock() {
        return lock;
    }

    @Override
    public long getLong() {
        return getVolatile(BITS);
    }

    @Override
    public void setLong(long v) {
        setVolatile(BITS, v);
    }

    @Override
    public long getAndSetLong(long v) {
        return Words.getAndSet(buffer, BITS, v);
    }

    @Override
    public boolean compareAndSetLong(long expected, long v) {
        return cas(BITS, expected, v);
    }

    @Override
    public long getAndAddLong(long delta) {
        return getAndAdd(BITS, delta);
    }

    @Override
    public int getInt() {
        return Words.getIntVolatile(buffer, BITS);
    }

    @Override
    public void setInt(int v) {
        Words.setIntVolatile(buffer, BITS, v);
    }

    @Override
    public int getAndSetInt(int v) {
        return Words.getAndSetInt(buffer, BITS, v);
    }

    @Override
    public boolean compareAndSetInt(int expected, int v) {
        return Words.casInt(buffer, BITS, expected, v);
    }

    @Override
    public int getAndAddInt(int delta) {
        return Words.getAndAddInt(buffer, BITS, delta);
    }
}
