package org.multiprocessing4j.cluster.internal.shared;

import com.hazelcast.collection.IQueue;
import java.util.concurrent.TimeUnit;

/** A put, take or size of a cluster queue (items as encoded bytes); waits at most a slice. */
final class QueueOp extends Op<Object> {
    private static final long serialVersionUID = 1L;
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

    @Override
    Object run(Direct access) {
        if (maxsize > 0) {
            access.configureBound(maxsize);
        }
        IQueue<byte[]> q = access.hz.getQueue(queue);
        long wait = Math.min(waitNanos, Direct.SLICE_NANOS);
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
    }
}
