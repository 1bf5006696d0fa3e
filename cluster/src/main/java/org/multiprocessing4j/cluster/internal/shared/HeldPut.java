package org.multiprocessing4j.cluster.internal.shared;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * A put on an unbounded queue that a process hands to its relay without waiting for the cluster
 * ({@link HeldPuts}); the relay adds such puts in batches ({@link HeldPutSink}). Never run one at
 * a time: it travels only on a connection that began with {@link Open}.
 */
final class HeldPut extends Op<Void> {
    static final int TYPE = 6;
    final String queue;
    /** The key of a joinable queue's count of unfinished items, or null for a plain queue. */
    final String unfinishedKey;
    final byte[] item;

    HeldPut(String queue, String unfinishedKey, byte[] item) {
        this.queue = queue;
        this.unfinishedKey = unfinishedKey;
        this.item = item;
    }

    static HeldPut read(DataInputStream in) throws IOException {
        return new HeldPut(in.readUTF(), readString(in), readBytes(in));
    }

    /** Whether {@code other} goes to the same queue and count (so that both can be added in one call). */
    boolean sameTarget(HeldPut other) {
        return queue.equals(other.queue) && java.util.Objects.equals(unfinishedKey, other.unfinishedKey);
    }

    @Override
    int type() {
        return TYPE;
    }

    @Override
    void write(DataOutputStream out) throws IOException {
        out.writeUTF(queue);
        writeString(out, unfinishedKey);
        writeBytes(out, item);
    }

    @Override
    Void run(Direct access) {
        throw new UnsupportedOperationException("a held put is added in a batch by the relay's put stream");
    }

    /** The first frame of a connection that carries only held puts (and, back, how many were added). */
    static final class Open extends Op<Void> {
        static final int TYPE = 7;

        @Override
        int type() {
            return TYPE;
        }

        @Override
        void write(DataOutputStream out) {
            // nothing but the type
        }

        @Override
        Void run(Direct access) {
            throw new UnsupportedOperationException("a put stream is served by the relay, not run");
        }
    }
}
