package org.multiprocessing4j.cluster.internal.shared;

import org.multiprocessing4j.spi.EventStore;
import org.multiprocessing4j.spi.StoreHandle;

/** An event of a cluster: its flag in an entry of the sync map; waiters wake on the entry's change events. */
public final class ClusterEventStore extends SharedObject implements EventStore {
    ClusterEventStore(String cluster, String id) {
        super(cluster, id);
    }

    /** Makes the state of a new event (or finds that of a named one) and returns its store. */
    static ClusterEventStore create(Ops ops, String cluster, String id) {
        ops.call(new SyncCall(id + ".s", SyncOp.create(SyncOp.EVENT, 0, 0, false), 0));
        return new ClusterEventStore(cluster, id);
    }

    @Override
    String what() {
        return "the event " + id;
    }

    @Override
    public void set() {
        step(stateKey(), SyncOp.of(SyncOp.EVENT_SET, SyncOp.EVENT));
    }

    @Override
    public void clear() {
        step(stateKey(), SyncOp.of(SyncOp.EVENT_CLEAR, SyncOp.EVENT));
    }

    @Override
    public boolean isSet() {
        return step(stateKey(), SyncOp.of(SyncOp.EVENT_GET, SyncOp.EVENT))[1] == 1;
    }

    @Override
    public boolean await(long timeoutNanos) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        long deadline = deadline(timeoutNanos);
        while (true) {
            if (stepWhenReady(stateKey(), SyncOp.of(SyncOp.EVENT_GET, SyncOp.EVENT, 1), left(deadline))[1] == 1) {
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
    public StoreHandle<EventStore> handle() {
        return new EventHandle(cluster, id);
    }

    private static final class EventHandle extends Handle<EventStore> {
        private static final long serialVersionUID = 1L;

        EventHandle(String cluster, String id) {
            super(cluster, id);
        }

        @Override
        public EventStore attach() {
            return new ClusterEventStore(cluster, id);
        }
    }
}
