package org.multiprocessing4j.internal.sync;

import java.io.Serializable;
import org.multiprocessing4j.internal.shm.SharedSegment;
import org.multiprocessing4j.internal.shm.Words;

/**
 * A shared number in shared memory (the bits of a {@code long}, an {@code int} or a
 * {@code double}), with atomic operations, and a reentrant lock beside it for compound updates
 * (Python's {@code Value.get_lock()}).
 */
public final class ValueCell extends SyncCell {
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

    public static ValueCell attach(Serializable handle) {
        return attached(handle, SyncLayout.TYPE_VALUE).channel(ValueCell::new);
    }

    public LockCell lock() {
        return lock;
    }

    public long getLong() {
        return getVolatile(BITS);
    }

    public void setLong(long v) {
        setVolatile(BITS, v);
    }

    public long getAndSetLong(long v) {
        return Words.getAndSet(buffer, BITS, v);
    }

    public boolean compareAndSetLong(long expected, long v) {
        return cas(BITS, expected, v);
    }

    public long getAndAddLong(long delta) {
        return getAndAdd(BITS, delta);
    }

    public int getInt() {
        return Words.getIntVolatile(buffer, BITS);
    }

    public void setInt(int v) {
        Words.setIntVolatile(buffer, BITS, v);
    }

    public int getAndSetInt(int v) {
        return Words.getAndSetInt(buffer, BITS, v);
    }

    public boolean compareAndSetInt(int expected, int v) {
        return Words.casInt(buffer, BITS, expected, v);
    }

    public int getAndAddInt(int delta) {
        return Words.getAndAddInt(buffer, BITS, delta);
    }
}
