package org.multiprocessing4j.cluster.internal.shared;

/** A {@link SyncOp} on an entry of the sync map, repeated on changes of the entry for at most {@code waitNanos} (0: once). */
final class SyncCall extends Op<long[]> {
    static final int TYPE = 2;
    private final String key;
    private final SyncOp op;
    private final long waitNanos;

    SyncCall(String key, SyncOp op, long waitNanos) {
        this.key = key;
        this.op = op;
        this.waitNanos = waitNanos;
    }

    String key() {
        return key;
    }

    SyncOp op() {
        return op;
    }

    long waitNanos() {
        return waitNanos;
    }

    static SyncCall read(java.io.DataInputStream in) throws java.io.IOException {
        String key = in.readUTF();
        long wait = in.readLong();
        return new SyncCall(key, SyncOp.read(in), wait);
    }

    /** Its steps are joined without regard to interrupts ({@link Direct#step}). */
    @Override
    boolean interruptible() {
        return false;
    }

    @Override
    int type() {
        return TYPE;
    }

    @Override
    void write(java.io.DataOutputStream out) throws java.io.IOException {
        out.writeUTF(key);
        out.writeLong(waitNanos);
        op.write(out);
    }

    @Override
    long[] run(Direct access) {
        return waitNanos == 0 ? access.step(key, op) : access.stepWhenReady(key, op, waitNanos);
    }
}
