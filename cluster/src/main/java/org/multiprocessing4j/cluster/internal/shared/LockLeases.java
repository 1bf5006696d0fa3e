package org.multiprocessing4j.cluster.internal.shared;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.BitSet;
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
 * then {@code <host>/lease}) and the lock lives in the relay's shared memory ({@link LockSlots})
 * until somebody elsewhere wants it: a thread of one of its processes takes and releases it
 * there with a store, no call at all, while nobody waits for it; a thread that finds it held asks
 * the relay, which makes every take and release go through it while somebody waits, so that a
 * release wakes the waiter.
 *
 * <ul>
 * <li><b>Handing over.</b> A thread elsewhere (another node's relay, a driver) that finds the
 *     lease holding the lock marks the entry as wanted; this relay's listener sees it and gives the
 *     lease back as soon as no thread here holds the lock, or, while threads here keep taking it,
 *     at the first release after it has held the lease for {@link #QUANTUM_NANOS}. An unused lease
 *     is given back after {@link #LINGER_NANOS}. Before it gives a lease back, the relay writes
 *     back the shared values changed here ({@link ValueLeases}): what a thread did under the lock
 *     is seen by the next holder elsewhere.
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
    /** How long a lease is kept unused, for a thread here that takes the lock again. */
    static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    /** How long a wanted lease is kept at most while threads here keep taking the lock. */
    static final long QUANTUM_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /** How long threads here leave a lease they gave to somebody who wanted it before they ask for it again. */
    static final long YIELD_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final Logger LOG = Logger.getLogger(LockLeases.class.getName());

    private final Direct access;
    private final String leaseId;
    private final LockSlots slots;
    /** Run before a lease goes back: the values changed here are written back first. */
    private final Runnable beforeGive;
    private final SecureRandom random = new SecureRandom();
    private final BitSet used = new BitSet(LeaseSlots.SLOTS);
    private final Map<String, Lease> leases = new ConcurrentHashMap<>();
    /** The thread-id prefixes of processes that ended lately: a lock is never granted to their threads. */
    private final java.util.Set<String> ended = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mp4j-relay-leases");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean closed;

    LockLeases(Direct access, Path dir, Runnable beforeGive) throws IOException {
        this.access = access;
        this.leaseId = access.host() + SyncOp.LEASE_SUFFIX;
        this.slots = LockSlots.create(dir);
        this.beforeGive = beforeGive;
        access.onProcessEnd(this::processEnded);
    }

    /** One lock's lease in this relay; its fields are guarded by {@code lock}. */
    private static final class Lease {
        final String key;
        final ReentrantLock lock = new ReentrantLock();
        final Condition changed = lock.newCondition();
        boolean held;
        int slot = -1;
        long tag;
        boolean wanted;
        /** Wanted and held for a quantum: it goes back at the next release. */
        boolean closing;
        long heldSince;
        long yieldUntil;
        long lastUses;
        long lastUsedAt;
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

    /**
     * Runs a lock step of a process of this relay. A take or release that the relay serves from
     * a lease answers {@code {status, slot, tag}}: the process then takes and releases the lock
     * in the slot itself while it can.
     */
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
        long code = LockSlots.code(thread);
        long deadline = System.nanoTime() + Math.min(Math.max(waitNanos, 0), Direct.SLICE_NANOS);
        while (true) {
            long seen;
            // Looked up each round: a lease whose lock was destroyed (and perhaps made again) is not used again.
            Lease l = lease(key);
            boolean counted = false;
            l.lock.lock();
            try {
                while (l.held) {
                    if (l.closing && give(l, false)) {
                        l.yieldUntil = System.nanoTime() + YIELD_NANOS; // free, wanted elsewhere, used here for a quantum
                        break;
                    }
                    if (!ended.isEmpty() && ended.contains(thread.substring(0, thread.indexOf('#') + 1))) {
                        // Woken for a process that has ended meanwhile: nobody would release it.
                        return new long[] {SyncOp.RETRY};
                    }
                    long r = slots.take(l.slot, code);
                    if (r != 0) {
                        return new long[] {r, l.slot, l.tag};
                    }
                    if (!counted) {
                        // Releases come here from now on; then look once more before waiting.
                        counted = true;
                        l.waiting++;
                        route(l);
                        continue;
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return new long[] {SyncOp.RETRY};
                    }
                    try {
                        l.changed.awaitNanos(left);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return new long[] {SyncOp.RETRY};
                    }
                }
                if (counted) {
                    counted = false;
                    l.waiting--;
                }
                if (closed) {
                    throw new IllegalStateException("the node is stopping");
                }
                if (leases.get(key) != l) {
                    continue; // destroyed meanwhile
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
                if (!slotLeft()) {
                    // Every slot is in use: this lock is taken in the cluster, as a driver takes it.
                    long[] r = access.step(key, SyncOp.of(SyncOp.LOCK_ACQUIRE, SyncOp.LOCK, thread, null));
                    if (r[0] != SyncOp.RETRY) {
                        return r;
                    }
                } else {
                    long[] r = access.step(key, SyncOp.of(SyncOp.LEASE_TAKE, SyncOp.LOCK, leaseId, null));
                    if (r[0] == 1 || r[0] == 2 || r[0] == SyncOp.SELF) {
                        if (!start(l, r[0] == 2)) {
                            access.step(key, SyncOp.leaseGive(leaseId, r[0] == 2)); // the last slot went meanwhile
                            return new long[] {SyncOp.RETRY};
                        }
                        continue; // the loop above gives it to this thread
                    }
                    if (r[0] != SyncOp.RETRY) {
                        return r; // gone, or another kind of object now
                    }
                }
            } finally {
                if (counted) {
                    l.waiting--;
                    if (l.held) {
                        route(l);
                    }
                }
                l.lock.unlock();
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return new long[] {SyncOp.RETRY};
            }
            access.watch.awaitChange(key, seen, left);
        }
    }

    private boolean slotLeft() {
        synchronized (used) {
            return used.nextClearBit(0) < LeaseSlots.SLOTS;
        }
    }

    /** Starts holding the lease just taken: a slot, its listener and its checks. Called with its lock held. */
    private boolean start(Lease l, boolean died) {
        int slot;
        synchronized (used) {
            slot = used.nextClearBit(0);
            if (slot >= LeaseSlots.SLOTS) {
                return false;
            }
            used.set(slot);
        }
        try {
            listen(l);
        } catch (RuntimeException e) {
            synchronized (used) {
                used.clear(slot);
            }
            access.step(l.key, SyncOp.leaseGive(leaseId, died)); // unheard, it must not be kept
            throw e;
        }
        long t;
        do {
            t = random.nextLong();
        } while (t == 0);
        long tag = t;
        l.slot = slot;
        l.tag = tag;
        l.held = true;
        l.closing = false;
        l.heldSince = System.nanoTime();
        l.lastUses = 0;
        l.lastUsedAt = l.heldSince;
        slots.start(slot, tag, died);
        route(l);
        onTimerAfter(() -> check(l, tag), LINGER_NANOS);
        return true;
    }

    /** Whether takes and releases must come to the relay: somebody waits here, or the lease is to go. Called with its lock held. */
    private void route(Lease l) {
        slots.viaRelay(l.slot, l.waiting > 0 || l.closing);
    }

    private long[] release(String key, String thread) {
        Lease l = leases.get(key);
        if (l == null) {
            return access.step(key, SyncOp.of(SyncOp.LOCK_RELEASE, SyncOp.LOCK, thread, null));
        }
        l.lock.lock();
        try {
            if (!l.held) {
                // Not leased here: taken in the cluster (no slot was left), or not held at all.
                return access.step(key, SyncOp.of(SyncOp.LOCK_RELEASE, SyncOp.LOCK, thread, null));
            }
            if (!slots.release(l.slot, LockSlots.code(thread))) {
                return new long[] {SyncOp.NOT_HELD};
            }
            long[] r = {0, l.slot, l.tag};
            if (l.closing) {
                l.yieldUntil = System.nanoTime() + YIELD_NANOS;
                give(l, false);
            } else if (l.waiting > 0) {
                l.changed.signal();
            }
            return r;
        } finally {
            l.lock.unlock();
        }
    }

    /**
     * Every {@link #LINGER_NANOS} while the lease {@code tag} is held: gives it back if unused for
     * that long, marks it closing once it is wanted and has been held for a quantum.
     */
    private void check(Lease l, long tag) {
        l.lock.lock();
        try {
            if (!l.held || l.tag != tag) {
                return;
            }
            long now = System.nanoTime();
            long uses = slots.uses(l.slot);
            if (uses != l.lastUses) {
                l.lastUses = uses;
                l.lastUsedAt = now;
            }
            if (l.wanted && !l.closing && now - l.heldSince > QUANTUM_NANOS) {
                l.closing = true;
                route(l);
            }
            boolean idle = now - l.lastUsedAt >= LINGER_NANOS && l.waiting == 0;
            boolean wanted = l.wanted;
            if ((idle || l.closing) && give(l, false)) {
                if (wanted) {
                    l.yieldUntil = now + YIELD_NANOS;
                }
                return;
            }
            onTimerAfter(() -> check(l, tag), LINGER_NANOS);
        } finally {
            l.lock.unlock();
        }
    }

    /**
     * Gives the lease back to the cluster, telling the next holder if a thread here died holding
     * the lock; if not {@code force}, only if no thread here holds it. Whether it did. Called with
     * its lock held.
     */
    private boolean give(Lease l, boolean force) {
        boolean died;
        if (force) {
            died = slots.end(l.slot);
        } else {
            boolean[] e = slots.endIfFree(l.slot);
            if (!e[0]) {
                return false;
            }
            died = e[1];
        }
        try {
            beforeGive.run();
            access.step(l.key, SyncOp.leaseGive(leaseId, died));
        } catch (RuntimeException e) {
            if (!force) {
                // Kept (the cluster still names this relay): tried again at a later release or check.
                slots.start(l.slot, l.tag, died);
                l.lastUses = 0;
                route(l);
                LOG.log(Level.FINE, "could not give back the lease of " + l.key, e);
                return false;
            }
            LOG.log(Level.FINE, "could not give back the lease of " + l.key + " (the node is stopping)", e);
        }
        synchronized (used) {
            used.clear(l.slot);
        }
        l.held = false;
        l.slot = -1;
        l.wanted = false;
        l.closing = false;
        l.changed.signalAll(); // threads here now ask the cluster, as everybody else
        return true;
    }

    private long[] probe(SyncCall call) {
        Lease l = leases.get(call.key());
        if (l != null) {
            l.lock.lock();
            try {
                if (l.held) {
                    return new long[] {slots.holder(l.slot) == 0 ? 0 : 1};
                }
            } finally {
                l.lock.unlock();
            }
        }
        return call.run(access);
    }

    /** Listens for the entry's being wanted while this relay holds its lease. Called with its lock held. */
    private void listen(Lease l) {
        if (l.listener == null) {
            l.listener = LeaseWatch.listen(access, l.key, leaseId, task -> onTimerAfter(task, 0),
                    () -> wanted(l), () -> destroyed(l));
        }
        // Somebody may have asked between the take and the listener's start: look once.
        l.wanted = LeaseWatch.isWanted(access.sync.get(l.key), leaseId);
    }

    private void onTimerAfter(Runnable task, long nanos) {
        try {
            timer.schedule(task, nanos, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // the relay is closing: its leases are given back by close()
        }
    }

    /** The lock was destroyed: its lease is forgotten (a later acquisition finds the lock gone). */
    private void destroyed(Lease l) {
        l.lock.lock();
        try {
            leases.remove(l.key, l);
            if (l.held) {
                slots.end(l.slot);
                synchronized (used) {
                    used.clear(l.slot);
                }
                l.held = false;
                l.slot = -1;
            }
            l.changed.signalAll();
            access.stopListening(l.listener);
            l.listener = null;
        } finally {
            l.lock.unlock();
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
            // Given now if unused lately (or used for a quantum already); else at a release after
            // the quantum, or when the lease lingers unused.
            boolean idle = slots.uses(l.slot) == l.lastUses && now - l.lastUsedAt > LINGER_NANOS;
            if (now - l.heldSince > QUANTUM_NANOS) {
                l.closing = true;
                route(l);
            }
            if ((idle || l.closing) && give(l, false)) {
                l.yieldUntil = now + YIELD_NANOS;
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
        long pid = LockSlots.pidOf(prefix);
        for (Lease l : leases.values()) {
            l.lock.lock();
            try {
                if (l.held && slots.freeDead(l.slot, pid)) {
                    LOG.log(Level.FINE, "a process ended holding " + l.key);
                    if (l.waiting > 0 && !l.wanted) {
                        l.changed.signalAll(); // all: the first may be a thread of the dead process
                    } else {
                        boolean wanted = l.wanted;
                        if (give(l, false) && wanted) {
                            l.yieldUntil = System.nanoTime() + YIELD_NANOS;
                        }
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
                    give(l, true);
                }
                access.stopListening(l.listener);
                l.listener = null;
            } finally {
                l.lock.unlock();
            }
        }
    }
}
