package org.multiprocessing4j.cluster.internal.shared;

import org.multiprocessing4j.spi.ArrayStore;
import org.multiprocessing4j.spi.LockStore;
import org.multiprocessing4j.spi.StoreHandle;

/**
 * A shared array of a cluster: its elements in one entry of the sync map, as longs (an int, a
 * byte or a double's raw bits in each), each access one atomic step where the entry lives, and a
 * reentrant lock of its own for {@code getLock()}. Meant for small arrays of counters or flags:
 * every element access is a round trip.
 */
public final class ClusterArrayStore extends SharedObject implements ArrayStore {
    private final int length;

    ClusterArrayStore(String cluster, String id, int length) {
        super(cluster, id);
        this.length = length;
    }

    /** Makes the state of a new array of {@code length} zeros and returns its store. */
    static ClusterArrayStore create(Ops ops, String cluster, String id, int length) {
        if (length < 0) {
            throw new IllegalArgumentException("length must not be negative: " + length);
        }
        ops.call(new SyncCall(id + ".s", SyncOp.create(SyncOp.ARRAY, length, 0, false), 0));
        ops.call(new SyncCall(ClusterValueStore.lockKey(id), SyncOp.create(SyncOp.LOCK, 0, 0, false), 0));
        return new ClusterArrayStore(cluster, id, length);
    }

    @Override
    String what() {
        return "the shared array " + id;
    }

    private long[] on(int op, long x, long y) {
        return step(stateKey(), SyncOp.of(op, SyncOp.ARRAY, x, y));
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public long getLong(int i) {
        return on(SyncOp.ARR_GET, i, 0)[1];
    }

    @Override
    public void setLong(int i, long v) {
        on(SyncOp.ARR_SET, i, v);
    }

    @Override
    public boolean compareAndSetLong(int i, long expected, long v) {
        return step(stateKey(), SyncOp.compareAndSet(i, expected, v, false))[1] == 1;
    }

    @Override
    public long getAndAddLong(int i, long delta) {
        return on(SyncOp.ARR_ADD, i, delta)[1];
    }

    @Override
    public int getInt(int i) {
        return (int) getLong(i);
    }

    @Override
    public void setInt(int i, int v) {
        setLong(i, v);
    }

    @Override
    public boolean compareAndSetInt(int i, int expected, int v) {
        return step(stateKey(), SyncOp.compareAndSet(i, expected, v, true))[1] == 1;
    }

    @Override
    public int getAndAddInt(int i, int delta) {
        return (int) on(SyncOp.ARR_ADD_INT, i, delta)[1];
    }

    @Override
    public double getDouble(int i) {
        return Double.longBitsToDouble(getLong(i));
    }

    @Override
    public void setDouble(int i, double v) {
        setLong(i, Double.doubleToRawLongBits(v));
    }

    @Override
    public boolean compareAndSetDouble(int i, double expected, double v) {
        return compareAndSetLong(i, Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(v));
    }

    @Override
    public byte getByte(int i) {
        return (byte) getLong(i);
    }

    @Override
    public void setByte(int i, byte v) {
        setLong(i, v);
    }

    @Override
    public void getBytes(int from, byte[] dst, int offset, int count) {
        long[] r = on(SyncOp.ARR_RANGE, from, count);
        for (int k = 0; k < count; k++) {
            dst[offset + k] = (byte) r[k + 1];
        }
    }

    @Override
    public void setBytes(int to, byte[] src, int offset, int count) {
        long[] w = new long[count];
        for (int k = 0; k < count; k++) {
            w[k] = src[offset + k];
        }
        step(stateKey(), SyncOp.setRange(to, w));
    }

    @Override
    public LockStore lock() {
        return new ClusterLockStore(cluster, id, ClusterValueStore.lockKey(id), true);
    }

    @Override
    public StoreHandle<ArrayStore> handle() {
        return new ArrayHandle(cluster, id, length);
    }

    private static final class ArrayHandle extends Handle<ArrayStore> {
        private static final long serialVersionUID = 1L;
        private final int length;

        ArrayHandle(String cluster, String id, int length) {
            super(cluster, id);
            this.length = length;
        }

        @Override
        public ArrayStore attach() {
            return new ClusterArrayStore(cluster, id, length);
        }
    }
}
