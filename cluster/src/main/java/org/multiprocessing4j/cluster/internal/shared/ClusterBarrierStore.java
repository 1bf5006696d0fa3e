package org.multiprocessing4j.cluster.internal.shared;

import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeoutException;
import org.multiprocessing4j.spi.BarrierStore;
import org.multiprocessing4j.spi.StoreHandle;

/**
 * A barrier of a cluster: its parties, round and arrivals in an entry of the sync map. A round
 * breaks when a party times out or is interrupted, when a waiting party's process dies, and when
 * a node or driver through which a party has ever reached the barrier dies (its processes, parties
 * of later rounds too, died with it).
 */
public final class ClusterBarrierStore extends SharedObject implements BarrierStore {
    private final int parties;

    ClusterBarrierStore(String cluster, String id, int parties) {
        super(cluster, id);
        this.parties = parties;
    }

    /**
     * Makes the state of a new barrier (or finds that of a named one) and returns its store.
     *
     * @throws IllegalArgumentException if a named barrier exists with another number of parties
     */
    static ClusterBarrierStore create(Ops ops, String cluster, String id, int parties) {
        long[] r = ops.call(new SyncCall(id + ".s", SyncOp.create(SyncOp.BARRIER, parties, 0, false), 0));
        if (r[0] == 0 && r[1] != parties) {
            throw new IllegalArgumentException("the barrier " + id + " exists with " + r[1] + " parties, not " + parties);
        }
        return new ClusterBarrierStore(cluster, id, parties);
    }

    @Override
    String what() {
        return "the barrier " + id;
    }

    @Override
    public int parties() {
        return parties;
    }

    @Override
    public boolean isBroken() {
        return info()[3] == 1;
    }

    @Override
    public int waiting() {
        return (int) info()[2];
    }

    private long[] info() {
        return step(stateKey(), SyncOp.of(SyncOp.BAR_INFO, SyncOp.BARRIER));
    }

    @Override
    public int await(long timeoutNanos) throws InterruptedException, BrokenBarrierException, TimeoutException {
        if (Thread.interrupted()) {
            breakRound(-1);
            throw new InterruptedException();
        }
        Ops ops = ops();
        long[] arrived = step(stateKey(), SyncOp.of(SyncOp.BAR_ARRIVE, SyncOp.BARRIER, ops.threadId(), ops.host()));
        if (arrived[0] == SyncOp.BROKEN) {
            throw new BrokenBarrierException("the barrier is broken");
        }
        int index = (int) arrived[1];
        long round = arrived[2];
        if (index == 0) {
            return 0;
        }
        long deadline = deadline(timeoutNanos);
        while (true) {
            long r = stepWhenReady(stateKey(), SyncOp.of(SyncOp.BAR_CHECK, SyncOp.BARRIER, round), left(deadline))[0];
            if (r == 0) {
                return index;
            }
            if (r == SyncOp.BROKEN) {
                throw new BrokenBarrierException("the barrier was broken: a party timed out, was interrupted or died"
                        + " (or its node or driver did), or the barrier was reset");
            }
            boolean interrupted = Thread.interrupted();
            if (interrupted || left(deadline) == 0) {
                breakRound(round);
                // It may have tripped just before: then this party passed it after all.
                if (step(stateKey(), SyncOp.of(SyncOp.BAR_CHECK, SyncOp.BARRIER, round))[0] == 0) {
                    if (interrupted) {
                        Thread.currentThread().interrupt();
                    }
                    return index;
                }
                if (interrupted) {
                    throw new InterruptedException();
                }
                throw new TimeoutException("the barrier's other parties did not all arrive in time");
            }
        }
    }

    private void breakRound(long round) {
        long r = round;
        if (r < 0) {
            r = info()[4];
        }
        step(stateKey(), SyncOp.of(SyncOp.BAR_BREAK, SyncOp.BARRIER, r));
    }

    @Override
    public void reset() {
        step(stateKey(), SyncOp.of(SyncOp.BAR_RESET, SyncOp.BARRIER));
    }

    @Override
    public StoreHandle<BarrierStore> handle() {
        return new BarrierHandle(cluster, id, parties);
    }

    private static final class BarrierHandle extends Handle<BarrierStore> {
        private static final long serialVersionUID = 1L;
        private final int parties;

        BarrierHandle(String cluster, String id, int parties) {
            super(cluster, id);
            this.parties = parties;
        }

        @Override
        public BarrierStore attach() {
            return new ClusterBarrierStore(cluster, id, parties);
        }
    }
}
