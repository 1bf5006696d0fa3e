package org.multiprocessing4j.cluster.internal.shared;

import org.multiprocessing4j.spi.LockStore;
import org.multiprocessing4j.spi.StoreHandle;
import org.multiprocessing4j.spi.ValueStore;

/**
 * A shared value of a cluster: 64 bits in an entry of the sync map, changed by atomic steps
 * where the entry lives (an increment is one round trip, not a read and a compare-and-set), or,
 * while a node's relay holds the value's lease, in the relay's shared memory by the node's
 * processes themselves ({@link ValueLeases}); and a reentrant lock of its own for {@code getLock()}.
 */
public final class ClusterValueStore extends SharedObject implements ValueStore {
    ClusterValueStore(String cluster, String id) {
        super(cluster, id);
    }

    /** Makes the state of a new value (or finds that of a named one, leaving its value) and returns its store. */
    static ClusterValueStore create(Ops ops, String cluster, String id, long initialBits) {
        ops.call(new SyncCall(id + ".s", SyncOp.create(SyncOp.VALUE, initialBits, 0, false), 0));
        ops.call(new SyncCall(lockKey(id), SyncOp.create(SyncOp.LOCK, 0, 0, false), 0));
        return new ClusterValueStore(cluster, id);
    }

    @Override
    String what() {
        return "the shared value " + id;
    }

    private long value(int op, long x, long y) {
        SyncOp step = SyncOp.of(op, SyncOp.VALUE, x, y);
        while (true) {
            // RETRY: a relay elsewhere holds the value's lease; it gives it back when asked (at
            // once if idle, else within a quantum), or the cluster frees it if its node died.
            long[] r = stepWhenReady(stateKey(), step, Direct.SLICE_NANOS);
            if (r[0] != SyncOp.RETRY) {
                return r[1];
            }
        }
    }

    @Override
    public long getLong() {
        return value(SyncOp.VAL_GET, 0, 0);
    }

    @Override
    public void setLong(long value) {
        value(SyncOp.VAL_SET, value, 0);
    }

    @Override
    public long getAndSetLong(long value) {
        return value(SyncOp.VAL_GET_SET, value, 0);
    }

    @Override
    public boolean compareAndSetLong(long expected, long value) {
        return value(SyncOp.VAL_CAS, expected, value) == 1;
    }

    @Override
    public long getAndAddLong(long delta) {
        return value(SyncOp.VAL_ADD, delta, 0);
    }

    @Override
    public int getInt() {
        return (int) getLong();
    }

    @Override
    public void setInt(int value) {
        value(SyncOp.VAL_SET_INT, value, 0);
    }

    @Override
    public int getAndSetInt(int value) {
        return (int) value(SyncOp.VAL_GET_SET_INT, value, 0);
    }

    @Override
    public boolean compareAndSetInt(int expected, int value) {
        return value(SyncOp.VAL_CAS_INT, expected, value) == 1;
    }

    @Override
    public int getAndAddInt(int delta) {
        return (int) value(SyncOp.VAL_ADD_INT, delta, 0);
    }

    @Override
    public LockStore lock() {
        return new ClusterLockStore(cluster, id, lockKey(id), true);
    }

    static String lockKey(String id) {
        return id + ".l";
    }

    @Override
    public StoreHandle<ValueStore> handle() {
        return new ValueHandle(cluster, id);
    }

    private static final class ValueHandle extends Handle<ValueStore> {
        private static final long serialVersionUID = 1L;

        ValueHandle(String cluster, String id) {
            super(cluster, id);
        }

        @Override
        public ValueStore attach() {
            return new ClusterValueStore(cluster, id);
        }
    }
}
