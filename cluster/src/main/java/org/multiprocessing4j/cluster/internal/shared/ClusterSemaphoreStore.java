package org.multiprocessing4j.cluster.internal.shared;

import org.multiprocessing4j.spi.SemaphoreStore;
import org.multiprocessing4j.spi.StoreHandle;

/** A semaphore of a cluster: its permits (and bound) in an entry of the sync map. */
public final class ClusterSemaphoreStore extends SharedObject implements SemaphoreStore {
    private final boolean bounded;

    ClusterSemaphoreStore(String cluster, String id, boolean bounded) {
        super(cluster, id);
        this.bounded = bounded;
    }

    /** Makes the state of a new semaphore (or finds that of a named one) and returns its store. */
    static ClusterSemaphoreStore create(Ops ops, String cluster, String id, int permits, boolean bounded) {
        ops.call(new SyncCall(id + ".s", SyncOp.create(SyncOp.SEMAPHORE, permits, permits, bounded), 0));
        return new ClusterSemaphoreStore(cluster, id, bounded);
    }

    @Override
    String what() {
        return "the semaphore " + id;
    }

    @Override
    public boolean acquire(int permits, long timeoutNanos) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        long deadline = deadline(timeoutNanos);
        while (true) {
            if (stepWhenReady(stateKey(), SyncOp.of(SyncOp.SEM_ACQUIRE, SyncOp.SEMAPHORE, permits), left(deadline))[0]
                    == 1) {
                return true;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            if (left(deadline) == 0) {
                return false;
            }
        }
    }

    @Override
    public void release(int permits) {
        long[] r = step(stateKey(), SyncOp.of(SyncOp.SEM_RELEASE, SyncOp.SEMAPHORE, permits));
        if (r[0] == SyncOp.OVER_BOUND) {
            throw new IllegalStateException(bounded ? "a bounded semaphore was released more times than it was acquired:"
                    + " " + permits + " more permits would exceed its bound"
                    : "a semaphore cannot hold more than " + Integer.MAX_VALUE + " permits");
        }
    }

    @Override
    public int available() {
        return (int) step(stateKey(), SyncOp.of(SyncOp.SEM_INFO, SyncOp.SEMAPHORE))[1];
    }

    @Override
    public int drain() {
        return (int) step(stateKey(), SyncOp.of(SyncOp.SEM_DRAIN, SyncOp.SEMAPHORE))[1];
    }

    @Override
    public boolean isBounded() {
        return bounded;
    }

    @Override
    public StoreHandle<SemaphoreStore> handle() {
        return new SemaphoreHandle(cluster, id, bounded);
    }

    private static final class SemaphoreHandle extends Handle<SemaphoreStore> {
        private static final long serialVersionUID = 1L;
        private final boolean bounded;

        SemaphoreHandle(String cluster, String id, boolean bounded) {
            super(cluster, id);
            this.bounded = bounded;
        }

        @Override
        public SemaphoreStore attach() {
            return new ClusterSemaphoreStore(cluster, id, bounded);
        }
    }
}
