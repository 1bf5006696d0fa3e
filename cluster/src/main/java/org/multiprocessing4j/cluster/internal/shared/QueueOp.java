package org.multiprocessing4j.cluster.internal.shared;

import com.hazelcast.collection.IQueue;
import java.util.concurrent.TimeUnit;

/** A put, take or size of a cluster queue (items as encoded bytes); waits at most a slice. */
final class QueueOp extends Op<Object> {
    static final int TYPE = 3;
    static final int OFFER = 1;
    static final int POLL = 2;
    static final int SIZE = 3;

    private final int code;
    private final String queue;
    private final int maxsize;
    private final byte[] item;
    private final long waitNanos;

    QueueOp(int code, String queue, int maxsize, byte[] item, long waitNanos) {
        this.code = code;
        this.queue = queue;
        this.maxsize = maxsize;
        this.item = item;
        this.waitNanos = waitNanos;
    }

    int code() {
        return code;
    }

    String queue() {
        return queue;
    }

    int maxsize() {
        return maxsize;
    }

    long waitNanos() {
        return waitNanos;
    }

    /** The Hazelcast queue of this op, configured with its bound if it has one. */
    IQueue<byte[]> queueOn(Direct access) {
        if (maxsize > 0) {
            access.configureBound(maxsize);
        }
        return access.hz.getQueue(queue);
    }

    static QueueOp read(java.io.DataInputStream in) throws java.io.IOException {
        return new QueueOp(in.readInt(), in.readUTF(), in.readInt(), readBytes(in), in.readLong());
    }

    @Override
    int type() {
        return TYPE;
    }

    @Override
    void write(java.io.DataOutputStream out) throws java.io.IOException {
        out.writeInt(code);
        out.writeUTF(queue);
        out.writeInt(maxsize);
        writeBytes(out, item);
        out.writeLong(waitNanos);
    }

    @Override
    Object run(Direct access) {
        IQueue<byte[]> q = queueOn(access);
        long wait = Math.min(waitNanos, Direct.SLICE_NANOS);
        // A take is repeated if its member died before it answered: it cannot deliver an item
        // twice (at worst the item it took is gone with the answer). A put is not: it could.
        return access.retrying(() -> {
            try {
                switch (code) {
                    case OFFER:
                        return wait <= 0 ? q.offer(item) : q.offer(item, wait, TimeUnit.NANOSECONDS);
                    case POLL:
                        return wait <= 0 ? q.poll() : q.poll(wait, TimeUnit.NANOSECONDS);
                    default:
                        return q.size();
                }
            } catch (InterruptedException e) {
                // Nobody interrupts the threads that run ops; if it happens, the op did nothing.
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while it waited for the queue", e);
            }
        }, code != OFFER, code == OFFER ? "a put on a queue" : "a take from a queue");
    }
}
