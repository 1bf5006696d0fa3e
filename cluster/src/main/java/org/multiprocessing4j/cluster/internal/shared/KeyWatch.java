package org.multiprocessing4j.cluster.internal.shared;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Wakes the threads of this JVM that wait for an entry of the sync map to change: one listener
 * per entry that somebody here has waited for, registered by the first wait and kept until the
 * entry is removed (its object destroyed). A waiter reads the entry's version, tries its step,
 * and if it must wait, sleeps until the version moves: an event between its try and its sleep
 * is not missed.
 */
final class KeyWatch {
    private final IMap<String, SyncEntry> map;
    private final Map<String, Watched> watched = new ConcurrentHashMap<>();

    KeyWatch(IMap<String, SyncEntry> map) {
        this.map = map;
    }

    private static final class Watched {
        long version;
        volatile UUID registration;
    }

    /** The version of {@code key}'s entry as this JVM has seen it; starts watching it. */
    long version(String key) {
        Watched w = watched.get(key);
        if (w == null) {
            w = watched.computeIfAbsent(key, k -> new Watched());
            synchronized (w) {
                if (w.registration == null) {
                    Watched mine = w;
                    w.registration = map.addEntryListener(new Listener(key, mine), key, false);
                }
            }
        }
        synchronized (w) {
            return w.version;
        }
    }

    /** Waits at most {@code nanos} for the version of {@code key} to move past {@code seen}; uninterruptible. */
    void awaitChange(String key, long seen, long nanos) {
        Watched w = watched.get(key);
        if (w == null) {
            return;
        }
        long deadline = System.nanoTime() + nanos;
        boolean interrupted = false;
        synchronized (w) {
            long left;
            while (w.version == seen && (left = deadline - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(w, left);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops watching every entry (the instance is closing). */
    void clear() {
        watched.clear();
    }

    private final class Listener implements EntryAddedListener<String, SyncEntry>,
            EntryUpdatedListener<String, SyncEntry>, EntryRemovedListener<String, SyncEntry> {
        private final String key;
        private final Watched w;

        Listener(String key, Watched w) {
            this.key = key;
            this.w = w;
        }

        private void moved() {
            synchronized (w) {
                w.version++;
                w.notifyAll();
            }
        }

        @Override
        public void entryAdded(EntryEvent<String, SyncEntry> event) {
            moved();
        }

        @Override
        public void entryUpdated(EntryEvent<String, SyncEntry> event) {
            moved();
        }

        @Override
        public void entryRemoved(EntryEvent<String, SyncEntry> event) {
            moved();
            if (watched.remove(key, w) && w.registration != null) {
                UUID r = w.registration;
                // Not from the event thread: removing a listener waits for the cluster.
                java.util.concurrent.ForkJoinPool.commonPool().execute(() -> {
                    try {
                        map.removeEntryListener(r);
                    } catch (RuntimeException gone) {
                        // the instance is shutting down: its listeners go with it
                    }
                });
            }
        }
    }
}
