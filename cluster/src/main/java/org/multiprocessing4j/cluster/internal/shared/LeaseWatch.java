package org.multiprocessing4j.cluster.internal.shared;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Listens to the sync entry of an object whose lease a relay holds ({@link LockLeases},
 * {@link ValueLeases}): tells it when somebody elsewhere wants the lease (the entry's {@code b}
 * set while the lease holds it) and when the object is destroyed. Both are run through the
 * relay's timer, never on Hazelcast's event thread: giving a lease back is a call to the cluster.
 */
final class LeaseWatch implements EntryUpdatedListener<String, SyncEntry>, EntryRemovedListener<String, SyncEntry> {
    private final String leaseId;
    private final Consumer<Runnable> later;
    private final Runnable wanted;
    private final Runnable removed;

    private LeaseWatch(String leaseId, Consumer<Runnable> later, Runnable wanted, Runnable removed) {
        this.leaseId = leaseId;
        this.later = later;
        this.wanted = wanted;
        this.removed = removed;
    }

    /** Starts listening to {@code key}; the registration, for {@link Direct#stopListening}. */
    static UUID listen(Direct access, String key, String leaseId, Consumer<Runnable> later, Runnable wanted,
            Runnable removed) {
        return access.sync.addEntryListener(new LeaseWatch(leaseId, later, wanted, removed), key, true);
    }

    /** Whether {@code e} is held by the lease {@code leaseId} and somebody else has asked for it. */
    static boolean isWanted(SyncEntry e, String leaseId) {
        return e != null && e.b == 1 && leaseId.equals(e.holder);
    }

    @Override
    public void entryUpdated(EntryEvent<String, SyncEntry> e) {
        if (isWanted(e.getValue(), leaseId)) {
            later.accept(wanted);
        }
    }

    @Override
    public void entryRemoved(EntryEvent<String, SyncEntry> e) {
        later.accept(removed);
    }
}
