package org.multiprocessing4j.cluster.internal.shared;

import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeoutException;
import org.multiprocessing4j.spi.BarrierStore;
import org.multiprocessing4j.spi.StoreHandle;

/**
 * A barrier of a cluster: its parties, round and arrivals in an entry of the sync map. A round
 * breaks when a party times out or is interrupted, when a waiting party's process dies, when the
 * barrier action throws or its process dies, and when a node or driver through which a party
 * has ever reached the barrier dies (its processes, parties of later rounds too, died with it).
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

    /**
     * Waits for the round, as a local barrier does: {@link SyncOp#BAR_ARRIVE}, then
     * {@link SyncOp#BAR_CHECK} until the round ends. With an action, the last arrival claims the
     * round, runs the action and trips it ({@link SyncOp#BAR_TRIP}). While a round's action runs,
     * its waiters wait for the outcome whatever their timeouts, keeping an interrupt, and a thread
     * that arrives waits to arrive in the next round; the sweep of a dead process or host breaks
     * the round if the action's runner was there.
     */
    @Override
    public int await(long timeoutNanos, Runnable action)
            throws InterruptedException, BrokenBarrierException, TimeoutException {
        if (Thread.interrupted()) {
            breakRound(-1);
            throw new InterruptedException();
        }
        Ops ops = ops();
        long[] arrived;
        boolean deferred = false; // an interrupt while another round's action ran, acted on once arrived
        while (true) {
            arrived = stepWhenReady(stateKey(), SyncOp.arrive(ops.threadId(), ops.host(), action != null),
                    left(Long.MAX_VALUE));
            if (arrived[0] != SyncOp.RETRY) {
                break;
            }
            deferred |= Thread.interrupted();
        }
        if (deferred) {
            Thread.currentThread().interrupt();
        }
        if (arrived[0] == SyncOp.BROKEN) {
            throw new BrokenBarrierException("the barrier is broken");
        }
        int index = (int) arrived[1];
        long round = arrived[2];
        if (index == 0) {
            if (action != null) {
                runAction(round, action);
            }
            return 0;
        }
        long deadline = deadline(timeoutNanos); // from the arrival: waiting to arrive is not counted
        boolean kept = false; // an interrupt while this round's action ran: set again on return
        try {
            boolean claimed = false;
            while (true) {
                long[] r = stepWhenReady(stateKey(), SyncOp.of(SyncOp.BAR_CHECK, SyncOp.BARRIER, round),
                        left(claimed ? Long.MAX_VALUE : deadline));
                if (r[0] == 0) {
                    return index;
                }
                if (r[0] == SyncOp.BROKEN) {
                    throw new BrokenBarrierException("the barrier was broken: a party timed out, was interrupted or"
                            + " died (or its node or driver did), the barrier action failed, or the barrier was reset");
                }
                claimed = r[1] == 1;
                if (claimed) {
                    kept |= Thread.interrupted(); // every party is here: the action's outcome decides
                    continue;
                }
                boolean interrupted = Thread.interrupted();
                if (interrupted || left(deadline) == 0) {
                    breakRound(round); // not a round whose action runs
                    // It may have tripped just before: then this party passed it after all.
                    long[] after = step(stateKey(), SyncOp.of(SyncOp.BAR_CHECK, SyncOp.BARRIER, round));
                    if (after[0] == 0 || (after[0] == SyncOp.RETRY && after[1] == 1)) {
                        kept |= interrupted;
                        continue; // tripped (the next check says so), or its action runs: wait for it
                    }
                    if (interrupted) {
                        throw new InterruptedException();
                    }
                    throw new TimeoutException("the barrier's other parties did not all arrive in time");
                }
            }
        } finally {
            if (kept) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Runs the action of {@code round}, which this thread claimed, then trips the round; breaks it if the action throws. */
    private void runAction(long round, Runnable action) throws BrokenBarrierException {
        try {
            action.run();
        } catch (Throwable t) {
            step(stateKey(), SyncOp.breakRound(round, true));
            throw t; // what the action threw (unchecked), as CyclicBarrier's await does
        }
        if (step(stateKey(), SyncOp.of(SyncOp.BAR_TRIP, SyncOp.BARRIER, round))[0] == SyncOp.BROKEN) {
            throw new BrokenBarrierException("the barrier was reset, or broken (a node or driver through which a party"
                    + " reached it died), while its action ran");
        }
    }

    private void breakRound(long round) {
        long r = round;
        if (r < 0) {
            r = info()[4];
        }
        step(stateKey(), SyncOp.breakRound(r, false));
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
