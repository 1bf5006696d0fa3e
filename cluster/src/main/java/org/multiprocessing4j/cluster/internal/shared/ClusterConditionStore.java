package org.multiprocessing4j.cluster.internal.shared;

import java.io.Serializable;
import org.multiprocessing4j.spi.ConditionStore;
import org.multiprocessing4j.spi.LockStore;

/**
 * A condition of a cluster lock: the ids of its waiting threads, in order, in an entry of the
 * sync map. A waiter enters the list before it lets go of the lock (so a signal sent after that
 * cannot miss it), waits until a signal takes it off the list (woken by the entry's change
 * events), and takes the lock back with its holds. A waiter whose process dies is taken off the
 * list, so that a signal is not spent on it.
 */
final class ClusterConditionStore extends SharedObject implements ConditionStore {
    private final ClusterLockStore lock;
    private final ThreadLocal<Boolean> lastRecovered = ThreadLocal.withInitial(() -> Boolean.FALSE);

    ClusterConditionStore(String cluster, String id, ClusterLockStore lock) {
        super(cluster, id);
        this.lock = lock;
    }

    /** Makes the state of a new condition of {@code lock}. */
    static ClusterConditionStore create(String cluster, String id, ClusterLockStore lock) {
        ClusterConditionStore c = new ClusterConditionStore(cluster, id, lock);
        c.ops().call(new SyncCall(c.stateKey(), SyncOp.create(SyncOp.CONDITION, 0, 0, false), 0));
        return c;
    }

    @Override
    String what() {
        return "the condition " + id;
    }

    @Override
    public int await(long timeoutNanos) throws InterruptedException {
        if (!lock.isHeldByCurrentThread()) {
            throw new IllegalMonitorStateException("the calling thread does not hold the lock of " + what());
        }
        String me = ops().threadId();
        step(stateKey(), SyncOp.of(SyncOp.COND_ENTER, SyncOp.CONDITION, me, null));
        int holds = lock.releaseAll();
        boolean signalled = false;
        boolean interrupted = false;
        long deadline = deadline(timeoutNanos);
        try {
            while (true) {
                if (stepWhenReady(stateKey(), SyncOp.of(SyncOp.COND_CHECK, SyncOp.CONDITION, me, null),
                        left(deadline))[0] == 0) {
                    signalled = true;
                    break;
                }
                interrupted = Thread.interrupted();
                if (interrupted || left(deadline) == 0) {
                    // A signal may have come meanwhile: then it was this waiter's.
                    signalled = step(stateKey(), SyncOp.of(SyncOp.COND_LEAVE, SyncOp.CONDITION, me, null))[1] == 0;
                    break;
                }
            }
        } finally {
            LockStore.Acquisition how = lock.reacquire(holds);
            lastRecovered.set(how == LockStore.Acquisition.TAKEN_OVER);
        }
        if (interrupted) {
            throw new InterruptedException();
        }
        return (signalled ? SIGNALLED : 0) | (lastRecovered.get() ? RECOVERED : 0);
    }

    @Override
    public boolean lastAwaitRecovered() {
        return lastRecovered.get();
    }

    @Override
    public void signal() {
        checkHeld();
        step(stateKey(), SyncOp.of(SyncOp.COND_SIGNAL, SyncOp.CONDITION));
    }

    @Override
    public void signalAll() {
        checkHeld();
        step(stateKey(), SyncOp.of(SyncOp.COND_SIGNAL_ALL, SyncOp.CONDITION));
    }

    private void checkHeld() {
        if (!lock.isHeldByCurrentThread()) {
            throw new IllegalMonitorStateException("the calling thread does not hold the lock of " + what());
        }
    }

    @Override
    public Serializable handle() {
        return id;
    }
}
