package org.multiprocessing4j.cluster.internal.shared;

import java.io.Serializable;

/**
 * What every store of a cluster's shared object knows: its cluster and its id (see
 * {@link Names}), and how this process reaches it (found once per deserialized store).
 */
abstract class SharedObject {
    final String cluster;
    final String id;
    private volatile Ops ops;

    SharedObject(String cluster, String id) {
        this.cluster = cluster;
        this.id = id;
    }

    final Ops ops() {
        Ops o = ops;
        if (o == null) {
            o = Access.of(cluster);
            ops = o;
        }
        return o;
    }

    /** The key of this object's state in the sync map. */
    final String stateKey() {
        return id + ".s";
    }

    final long[] step(String key, SyncOp op) {
        return gone(ops().call(new SyncCall(key, op, 0)));
    }

    /** Waits at most a slice for {@code op} to be done on {@code key}. */
    final long[] stepWhenReady(String key, SyncOp op, long nanos) {
        return gone(ops().call(new SyncCall(key, op, nanos)));
    }

    private long[] gone(long[] r) {
        if (r[0] == SyncOp.GONE) {
            throw new IllegalStateException(what() + " no longer exists in cluster '" + cluster + "': it was destroyed"
                    + " (the program that made it ended, or its name was destroyed)");
        }
        if (r[0] == SyncOp.WRONG_KIND) {
            throw new IllegalStateException(what() + ": its name now names another kind of object");
        }
        return r;
    }

    abstract String what();

    /** The deadline of a wait of {@code nanos} ({@code -1}: none), as a {@link System#nanoTime()} value. */
    static long deadline(long nanos) {
        return nanos < 0 ? Long.MAX_VALUE : System.nanoTime() + nanos;
    }

    /** What is left of a wait until {@code deadline}, 0 if none. */
    static long left(long deadline) {
        return deadline == Long.MAX_VALUE ? Direct.SLICE_NANOS : Math.max(0, deadline - System.nanoTime());
    }

    /** The serial form of a store: its cluster, id and kind's parameters. */
    abstract static class Handle<S> implements org.multiprocessing4j.spi.StoreHandle<S>, Serializable {
        private static final long serialVersionUID = 1L;
        final String cluster;
        final String id;

        Handle(String cluster, String id) {
            this.cluster = cluster;
            this.id = id;
        }
    }
}
