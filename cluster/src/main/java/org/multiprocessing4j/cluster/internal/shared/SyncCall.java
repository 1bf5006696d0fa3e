package org.multiprocessing4j.cluster.internal.shared;

/** A {@link SyncOp} on an entry of the sync map, repeated on changes of the entry for at most {@code waitNanos} (0: once). */
final class SyncCall extends Op<long[]> {
    private static final long serialVersionUID = 1L;
    private final String key;
    private final SyncOp op;
    private final long waitNanos;

    SyncCall(String key, SyncOp op, long waitNanos) {
        this.key = key;
        this.op = op;
        this.waitNanos = waitNanos;
    }

    @Override
    long[] run(Direct access) {
        return waitNanos == 0 ? access.step(key, op) : access.stepWhenReady(key, op, waitNanos);
    }
}
