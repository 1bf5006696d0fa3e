package org.multiprocessing4j.cluster.internal.shared;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.listener.EntryUpdatedListener;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The relay's locks: the relay takes a lock's lease in the cluster (the sync entry's holder is
 * then {@code <host>/lease}) and gives the lock to its processes' threads itself, with no call to
 * the cluster, until somebody elsewhere wants it. A lock taken and released in a loop then costs a
 * call to the relay each time instead of a round trip through the member that owns the entry and
 * its backup.
 *
 * <ul>
 * <li><b>Handing over.</b> A thread elsewhere (another node's relay, a driver) that finds the
 *     lease holding the lock marks the entry as wanted; this relay's listener sees it and gives the
 *     lease back as soon as no thread here holds the lock, or, while threads here keep taking it,
 *     at the first release after it has held the lease for {@link #QUANTUM_NANOS}. An unused lease
 *     is given back after {@link #LINGER_NANOS}.
 * <li><b>Fairness.</b> As Java's default locks, not fair: a thread elsewhere may wait up to a
 *     quantum (and a hand-over) while threads here take the lock again and again.
 * <li><b>Deaths.</b> A thread here that dies holding the lock (its process ended) frees it, and the
 *     next holder, here or elsewhere, is told it took over. If this node dies, the cluster's sweep
 *     frees the lease as it frees a dead holder's lock: the next holder is told it took over, even
 *     if no thread here held the lock at that moment (the lease cannot say; it errs on the side of
 *     the warning).
 * <li>{@code isLocked()} asks an idle lease to be given back, so that it answers whether a thread
 *     holds the lock, not whether a relay does.
 * </ul>
 */
final class LockLeases implements AutoCloseable {
    /** How long a lease is kept after its last release, for a thread here that takes the lock again. */
    static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    /** How long a wanted lease is kept at most while threads here keep taking the lock. */
    static final long QUANTUM_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /** How long threads here leave a lease they gave to somebody who wanted it before they ask for it again. */
    static final long YIELD_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final Logger LOG = Logger.getLogger(LockLeases.class.getName());

    private final Direct access;
    private final String leaseId;
    private final Map<String, Lease> leases = new ConcurrentHashMap<>();
    /** The thread-id prefixes of processes that ended lately: a lock is never granted to their threads. */
    private final java.util.Set<String> ended = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mp4j-relay-leases");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean closed;

    LockLeases(Direct access) {
        this.access = access;
        this.leaseId = access.host() + SyncOp.LEASE_SUFFIX;
        access.onProcessEnd(this::processEnded);
    }

    /** One lock's lease in this relay. */
    private final class Lease {
        final String key;
        final ReentrantLock lock = new ReentrantLock();
        final Condition changed = lock.newCondition();
        boolean held;
        String holder;
        boolean died;
        boolean wanted;
        long heldSince;
        long freedAt;
        long yieldUntil;
        boolean lingering;
        int waiting;
        volatile UUID listener;

        Lease(String key) {
            this.key = key;
        }
    }

    /** Whether {@code call} is a lock step that this relay serves itself. */
    static boolean serves(SyncCall call) {
        int code = call.op().code();
        return call.op().kind() == SyncOp.LOCK
                && (code == SyncOp.LOCK_ACQUIRE || code == SyncOp.LOCK_RELEASE || code == SyncOp.LOCK_PROBE);
    }

    /** Runs a lock step of a process of this relay. */
    long[] run(SyncCall call) {
        switch (call.op().code()) {
            case SyncOp.LOCK_ACQUIRE:
                return acquire(call.key(), call.op().holder(), call.waitNanos());
            case SyncOp.LOCK_RELEASE:
                return release(call.key(), call.op().holder());
            default:
                return probe(call);
        }
    }

    private Lease lease(String key) {
        return leases.computeIfAbsent(key, Lease::new);
    }

    private long[] acquire(String key, String thread, long waitNanos) {
        Lease l = lease(key);
        long deadline = System.nanoTime() + Math.min(Math.max(waitNanos, 0), Direct.SLICE_NANOS);
        while (true) {
            long seen;
            l.lock.lock();
            try {
                while (l.held) {
                    long now = System.nanoTime();
                    if (thread.equals(l.holder)) {
                        return new long[] {SyncOp.SELF};
                    }
                    if (l.holder == null && l.wanted && now - l.heldSince > QUANTUM_NANOS) {
                        // Free, wanted elsewhere, and used here for a quantum: it goes there now.
                        l.yieldUntil = now + YIELD_NANOS;
                        give(l);
                        continue;
                    }
                    if (l.holder == null) {
                        if (!ended.isEmpty() && ended.contains(thread.substring(0, thread.indexOf('#') + 1))) {
                            // Woken for a process that has ended meanwhile: nobody would release it.
                            return new long[] {SyncOp.RETRY};
                        }
                        l.holder = thread;
                        boolean died = l.died;
                        l.died = false;
                        return new long[] {died ? 2 : 1};
                    }
                    long left = deadline - now;
                    if (left <= 0) {
                        return new long[] {SyncOp.RETRY};
                    }
                    l.waiting++;
                    try {
                        l.changed.awaitNanos(left);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return new long[] {SyncOp.RETRY};
                    } finally {
                        l.waiting--;
                    }
                }
                if (closed) {
                    throw new IllegalStateException("the node is stopping");
                }
                seen = access.watch.version(key);
                long yieldLeft = l.yieldUntil - System.nanoTime();
                if (yieldLeft > 0) {
                    // Just given to somebody who wanted it: let them take it before asking again.
                    l.lock.unlock();
                    try {
                        access.watch.awaitChange(key, seen, Math.min(yieldLeft, Math.max(0, deadline - System.nanoTime())));
                    } finally {
                        l.lock.lock();
                    }
                    if (System.nanoTime() - deadline >= 0) {
                        return new long[] {SyncOp.RETRY};
                    }
                    continue;
                }
                long[] r = access.step(key, SyncOp.of(SyncOp.LEASE_TAKE, SyncOp.LOCK, leaseId, null));
                if (r[0] == 1 || r[0] == 2 || r[0] == SyncOp.SELF) {
                    try {
                        listen(l);
                    } catch (RuntimeException e) {
                        access.step(key, SyncOp.leaseGive(leaseId, r[0] == 2)); // unheard, it must not be kept
                        throw e;
                    }
                    l.held = true;
                    l.heldSince = System.nanoTime();
                    l.died = r[0] == 2;
                    continue; // the loop above gives it to this thread
                }
                if (r[0] != SyncOp.RETRY) {
                    return r; // gone, or another kind of object now
                }
            } finally {
                l.lock.unlock();
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return new long[] {SyncOp.RETRY};
            }
            access.watch.awaitChange(key, seen, left);
        }
    }

    private long[] release(String key, String thread) {
        Lease l = leases.get(key);
        if (l == null) {
            return access.step(key, SyncOp.of(SyncOp.LOCK_RELEASE, SyncOp.LOCK, thread, null));
        }
        l.lock.lock();
        try {
            if (!l.held || !thread.equals(l.holder)) {
                return new long[] {SyncOp.NOT_HELD};
            }
            l.holder = null;
            freed(l);
            return new long[] {0};
        } finally {
            l.lock.unlock();
        }
    }

    /** The lock is free here: to a thread here, to whoever wants it elsewhere, or kept a moment. Called with its lock held. */
    private void freed(Lease l) {
        long now = System.nanoTime();
        l.freedAt = now;
        if (l.wanted && now - l.heldSince > QUANTUM_NANOS) {
            l.yieldUntil = now + YIELD_NANOS;
            give(l);
        } else if (l.waiting > 0) {
            l.changed.signal();
        } else if (!l.lingering) {
            // One check per lease at a time, not one per release: a lock taken in a loop would
            // otherwise wake the timer at every release.
            l.lingering = true;
            try {
                timer.schedule(() -> lingered(l), LINGER_NANOS, TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                l.lingering = false; // the relay is closing: close() gives it back
            }
        }
    }

    private void lingered(Lease l) {
        l.lock.lock();
        try {
            l.lingering = false;
            if (!l.held || l.holder != null) {
                return; // taken again: its next release checks again
            }
            long idle = System.nanoTime() - l.freedAt;
            if (idle < LINGER_NANOS) {
                l.lingering = true;
                onTimerAfter(() -> lingered(l), LINGER_NANOS - idle);
                return;
            }
            if (l.wanted) {
                l.yieldUntil = System.nanoTime() + YIELD_NANOS;
            }
            give(l);
        } finally {
            l.lock.unlock();
        }
    }

    /** Gives the lease back to the cluster, telling the next holder if a thread here died holding the lock. Called with its lock held. */
    private void give(Lease l) {
        try {
            access.step(l.key, SyncOp.leaseGive(leaseId, l.died));
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "could not give back the lease of " + l.key, e);
        }
        l.held = false;
        l.wanted = false;
        l.died = false;
        l.changed.signalAll(); // threads here now ask the cluster, as everybody else
    }

    private long[] probe(SyncCall call) {
        Lease l = leases.get(call.key());
        if (l != null) {
            l.lock.lock();
            try {
                if (l.held) {
                    return new long[] {l.holder == null ? 0 : 1};
                }
            } finally {
                l.lock.unlock();
            }
        }
        return call.run(access);
    }

    /** Listens for the entry's being wanted while this relay holds its lease. Called with its lock held. */
    private void listen(Lease l) {
        if (l.listener != null) {
            return;
        }
        l.listener = access.sync.addEntryListener(new Watcher(l), l.key, true);
        // Somebody may have asked between the take and the listener's start: look once.
        SyncEntry now = access.sync.get(l.key);
        if (now != null && now.b == 1 && leaseId.equals(now.holder)) {
            l.wanted = true;
        }
    }

    /** Tells a lease that it is wanted, or that its lock was destroyed. */
    private final class Watcher implements EntryUpdatedListener<String, SyncEntry>,
            com.hazelcast.map.listener.EntryRemovedListener<String, SyncEntry> {
        private final Lease l;

        Watcher(Lease l) {
            this.l = l;
        }

        @Override
        public void entryUpdated(EntryEvent<String, SyncEntry> e) {
            SyncEntry v = e.getValue();
            if (v != null && v.b == 1 && leaseId.equals(v.holder)) {
                // Not on the event thread: giving the lease back is a call to the cluster.
                onTimer(() -> wanted(l));
            }
        }

        @Override
        public void entryRemoved(EntryEvent<String, SyncEntry> e) {
            onTimer(() -> destroyed(l));
        }
    }

    private void onTimerAfter(Runnable task, long nanos) {
        try {
            timer.schedule(task, nanos, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // the relay is closing: its leases are given back by close()
        }
    }

    private void onTimer(Runnable task) {
        try {
            timer.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // the relay is closing: its leases are given back by close()
        }
    }

    /** The lock was destroyed: its lease is forgotten (a later acquisition finds the lock gone). */
    private void destroyed(Lease l) {
        l.lock.lock();
        try {
            leases.remove(l.key, l);
            l.held = false;
            l.holder = null;
            l.changed.signalAll();
            unlisten(l);
        } finally {
            l.lock.unlock();
        }
    }

    /** Stops listening to the lease's entry. Called with its lock held. */
    private void unlisten(Lease l) {
        UUID r = l.listener;
        l.listener = null;
        if (r != null) {
            try {
                access.sync.removeEntryListener(r);
            } catch (RuntimeException gone) {
                // the member is stopping
            }
        }
    }

    private void wanted(Lease l) {
        l.lock.lock();
        try {
            if (!l.held) {
                return;
            }
            l.wanted = true;
            long now = System.nanoTime();
            // Given now if unused (or used for a quantum already); else at a release after the
            // quantum, or when the lease lingers unused.
            if (l.holder == null && (now - l.heldSince > QUANTUM_NANOS || now - l.freedAt > LINGER_NANOS)) {
                l.yieldUntil = now + YIELD_NANOS;
                give(l);
            }
        } finally {
            l.lock.unlock();
        }
    }

    /** A process of this relay ended: a lock one of its threads held is free, and its next holder is told. */
    private void processEnded(String prefix) {
        ended.add(prefix);
        // A relay thread of that process still waiting in acquire() wakes within a slice.
        onTimerAfter(() -> ended.remove(prefix), 10 * Direct.SLICE_NANOS);
        for (Lease l : leases.values()) {
            l.lock.lock();
            try {
                if (l.held && l.holder != null && l.holder.startsWith(prefix)) {
                    l.holder = null;
                    l.died = true;
                    LOG.log(Level.FINE, "a process ended holding " + l.key);
                    if (l.waiting > 0 && !l.wanted) {
                        l.changed.signal();
                    } else {
                        give(l);
                    }
                }
            } finally {
                l.lock.unlock();
            }
        }
    }

    /** Gives back every lease (the relay is closing; the node has ended its processes first). */
    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        for (Lease l : leases.values()) {
            l.lock.lock();
            try {
                if (l.held) {
                    l.died |= l.holder != null;
                    give(l);
                }
                unlisten(l);
            } finally {
                l.lock.unlock();
            }
        }
    }
}
