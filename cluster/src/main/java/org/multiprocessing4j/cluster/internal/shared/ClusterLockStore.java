package org.multiprocessing4j.cluster.internal.shared;

import java.io.Serializable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import org.multiprocessing4j.spi.ConditionStore;
import org.multiprocessing4j.spi.LockStore;
import org.multiprocessing4j.spi.StoreHandle;

/**
 * A lock of a cluster: an entry of the sync map that names its holder (a thread of a process,
 * see {@link Ops#threadId()}). Nested holds of a reentrant lock are counted in the holding
 * process only, so that only the first acquisition and the last release reach the cluster. When
 * the holder's process, its node or its driver dies, the entry is freed and marked, and the next
 * acquisition reports {@link Acquisition#TAKEN_OVER}.
 */
public final class ClusterLockStore extends SharedObject implements LockStore {
    private static final Logger LOG = Logger.getLogger("org.multiprocessing4j");
    /** Who holds each lock in this process, shared by every store of the same lock here. */
    private static final Map<String, Holds> HOLDS = new ConcurrentHashMap<>();

    private final String key;
    private final boolean reentrant;
    private final Holds holds;

    private static final class Holds {
        volatile Thread holder;
        int count;
    }

    ClusterLockStore(String cluster, String id, String key, boolean reentrant) {
        super(cluster, id);
        this.key = key;
        this.reentrant = reentrant;
        this.holds = HOLDS.computeIfAbsent(cluster + "/" + key, k -> new Holds());
    }

    /** Makes the state of a new lock (or finds that of a named one) and returns its store. */
    static ClusterLockStore create(Ops ops, String cluster, String id, String key, boolean reentrant) {
        ops.call(new SyncCall(key, SyncOp.create(SyncOp.LOCK, 0, 0, false), 0));
        return new ClusterLockStore(cluster, id, key, reentrant);
    }

    @Override
    String what() {
        return (reentrant ? "the reentrant lock " : "the lock ") + id;
    }

    @Override
    public Acquisition acquire(long timeoutNanos) throws InterruptedException {
        if (holds.holder == Thread.currentThread()) {
            if (reentrant) {
                holds.count++;
                return Acquisition.ACQUIRED;
            }
            if (timeoutNanos < 0) {
                throw new IllegalStateException("this thread already holds " + what()
                        + ", which is not reentrant: it would wait for itself forever (use ProcessReentrantLock)");
            }
            Thread.sleep(timeoutNanos / 1_000_000, (int) (timeoutNanos % 1_000_000));
            return Acquisition.TIMED_OUT;
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        long deadline = deadline(timeoutNanos);
        String me = ops().threadId();
        while (true) {
            long r = stepWhenReady(key, SyncOp.of(SyncOp.LOCK_ACQUIRE, SyncOp.LOCK, me, null), left(deadline))[0];
            if (r == 1 || r == 2) {
                holds.holder = Thread.currentThread();
                holds.count = 1;
                if (r == 2) {
                    LOG.warning("took over " + what() + " from a process that died holding it: what it guarded may be"
                            + " half updated");
                    return Acquisition.TAKEN_OVER;
                }
                return Acquisition.ACQUIRED;
            }
            if (r == SyncOp.SELF) {
                // This thread's id holds it and this process did not know: the step was repeated
                // after its member died (it had taken the lock), or another copy of the lock here
                // holds it.
                holds.holder = Thread.currentThread();
                holds.count = 1;
                return Acquisition.ACQUIRED;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            if (left(deadline) == 0) {
                return Acquisition.TIMED_OUT;
            }
        }
    }

    @Override
    public void release() {
        if (holds.holder != Thread.currentThread()) {
            throw new IllegalMonitorStateException("the calling thread does not hold " + what());
        }
        if (--holds.count > 0) {
            return;
        }
        holds.holder = null;
        if (step(key, SyncOp.of(SyncOp.LOCK_RELEASE, SyncOp.LOCK, ops().threadId(), null))[0] == SyncOp.NOT_HELD) {
            throw new IllegalMonitorStateException(what() + " was taken from this thread while it held it: the cluster"
                    + " took its process (or node, or driver) for dead and gave the lock to another");
        }
    }

    @Override
    public boolean isHeldByCurrentThread() {
        return holds.holder == Thread.currentThread();
    }

    /** How long {@code isLocked()} waits for a relay's idle lease on the lock to be given back. */
    private static final long PROBE_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(200);

    @Override
    public boolean isLocked() {
        // A relay may hold the lock's lease with no thread holding the lock (LockLeases): asked,
        // it gives an idle lease back at once; one a thread holds answers "retry" until then.
        return stepWhenReady(key, SyncOp.of(SyncOp.LOCK_PROBE, SyncOp.LOCK), PROBE_NANOS)[0] != 0;
    }

    @Override
    public int holdCount() {
        return holds.holder == Thread.currentThread() ? holds.count : 0;
    }

    @Override
    public ConditionStore newCondition() {
        return ClusterConditionStore.create(cluster, id + ".c" + java.util.UUID.randomUUID(), this);
    }

    @Override
    public ConditionStore attachCondition(Serializable conditionHandle) {
        return new ClusterConditionStore(cluster, (String) conditionHandle, this);
    }

    /** For a condition: lets go of every hold of the calling thread, which holds the lock; returns how many it had. */
    int releaseAll() {
        int h = holds.count;
        holds.count = 1;
        release();
        return h;
    }

    /** For a condition: takes the lock again with {@code h} holds, however long it takes (an interrupt is kept). */
    Acquisition reacquire(int h) {
        boolean interrupted = Thread.interrupted();
        try {
            while (true) {
                try {
                    Acquisition how = acquire(-1);
                    holds.count = h;
                    return how;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public StoreHandle<LockStore> handle() {
        return new LockHandle(cluster, id, key, reentrant);
    }

    private static final class LockHandle extends Handle<LockStore> {
        private static final long serialVersionUID = 1L;
        private final String key;
        private final boolean reentrant;

        LockHandle(String cluster, String id, String key, boolean reentrant) {
            super(cluster, id);
            this.key = key;
            this.reentrant = reentrant;
        }

        @Override
        public LockStore attach() {
            return new ClusterLockStore(cluster, id, key, reentrant);
        }
    }
}
