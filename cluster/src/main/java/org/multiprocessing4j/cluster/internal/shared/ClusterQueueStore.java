package org.multiprocessing4j.cluster.internal.shared;

import org.multiprocessing4j.spi.QueueStore;
import org.multiprocessing4j.spi.SharedObjects;
import org.multiprocessing4j.spi.StoreHandle;

/**
 * A queue of a cluster: a Hazelcast {@code IQueue} of encoded items, with one synchronous backup
 * (so that the items survive the death of the member that holds them), a bound if it was made
 * with one, and for a joinable queue a count of unfinished items in the sync map. A joinable
 * queue counts an item before it puts it (and uncounts it if the put fails), so that
 * {@code join()} can never see zero while an item is on its way.
 */
public final class ClusterQueueStore extends SharedObject implements QueueStore {
    private final int maxsize;
    private final boolean joinable;
    private final String queue;
    private volatile boolean closed;

    ClusterQueueStore(String cluster, String id, int maxsize, boolean joinable) {
        super(cluster, id);
        this.maxsize = maxsize;
        this.joinable = joinable;
        this.queue = Names.queue(id, maxsize);
    }

    /** Makes the state of a new queue (a joinable queue's count) and returns its store. */
    static ClusterQueueStore create(Ops ops, String cluster, String id, int maxsize, boolean joinable) {
        if (joinable) {
            ops.call(new SyncCall(unfinishedKey(id), SyncOp.create(SyncOp.VALUE, 0, 0, false), 0));
        }
        return new ClusterQueueStore(cluster, id, maxsize, joinable);
    }

    private static String unfinishedKey(String id) {
        return id + ".u";
    }

    @Override
    String what() {
        return (joinable ? "the joinable queue " : "the queue ") + id;
    }

    @Override
    public boolean put(Object item, String what, long timeoutNanos) throws InterruptedException {
        byte[] bytes = SharedObjects.encodeItem(item, what);
        checkOpen();
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        Ops ops = ops();
        if (maxsize == 0 && ops instanceof Relay) {
            ((Relay) ops).hand(queue, joinable ? unfinishedKey(id) : null, bytes);
            return true;
        }
        if (joinable) {
            count(1);
        }
        boolean done = false;
        try {
            long deadline = deadline(timeoutNanos);
            while (true) {
                if (Boolean.TRUE.equals(ops().call(new QueueOp(QueueOp.OFFER, queue, maxsize, bytes, left(deadline))))) {
                    done = true;
                    return true;
                }
                checkOpen();
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                if (left(deadline) == 0) {
                    return false;
                }
            }
        } finally {
            if (joinable && !done) {
                count(-1);
            }
        }
    }

    private void count(long delta) {
        step(unfinishedKey(id), SyncOp.of(SyncOp.COUNT_ADD, SyncOp.VALUE, delta));
    }

    @Override
    public Object take(long timeoutNanos) throws InterruptedException {
        checkOpen();
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        long deadline = deadline(timeoutNanos);
        Ops ops = ops();
        Relay aheadOf = maxsize == 0 && ops instanceof Relay ? (Relay) ops : null;
        while (true) {
            byte[] got = aheadOf != null ? aheadOf.take(queue, left(deadline))
                    : (byte[]) ops.call(new QueueOp(QueueOp.POLL, queue, maxsize, null, left(deadline)));
            if (got != null) {
                return SharedObjects.decodeItem(got);
            }
            checkOpen();
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            if (left(deadline) == 0) {
                return null;
            }
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException((joinable ? "joinable queue" : "queue") + " is closed");
        }
    }

    @Override
    public int size() {
        return (Integer) ops().call(new QueueOp(QueueOp.SIZE, queue, maxsize, null, 0));
    }

    @Override
    public int maxsize() {
        return maxsize;
    }

    @Override
    public boolean taskDone() {
        return step(unfinishedKey(id), SyncOp.of(SyncOp.COUNT_DONE, SyncOp.VALUE))[0] != SyncOp.NOT_POSITIVE;
    }

    @Override
    public boolean join(long timeoutNanos) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        long deadline = deadline(timeoutNanos);
        while (true) {
            if (stepWhenReady(unfinishedKey(id), SyncOp.of(SyncOp.COUNT_ZERO, SyncOp.VALUE), left(deadline))[0] == 0) {
                return true;
            }
            checkOpen();
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            if (left(deadline) == 0) {
                return false;
            }
        }
    }

    @Override
    public long unfinishedTasks() {
        return step(unfinishedKey(id), SyncOp.of(SyncOp.COUNT_ZERO, SyncOp.VALUE))[1];
    }

    @Override
    public void closedHere() {
        closed = true;
    }

    @Override
    public StoreHandle<QueueStore> handle() {
        return new QueueHandle(cluster, id, maxsize, joinable);
    }

    private static final class QueueHandle extends Handle<QueueStore> {
        private static final long serialVersionUID = 1L;
        private final int maxsize;
        private final boolean joinable;

        QueueHandle(String cluster, String id, int maxsize, boolean joinable) {
            super(cluster, id);
            this.maxsize = maxsize;
            this.joinable = joinable;
        }

        @Override
        public QueueStore attach() {
            return new ClusterQueueStore(cluster, id, maxsize, joinable);
        }
    }
}
