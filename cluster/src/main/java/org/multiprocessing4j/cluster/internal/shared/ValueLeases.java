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
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The relay's shared values: while this node's processes change a value in a loop, the relay
 * takes its lease in the cluster (the sync entry's holder is then {@code <host>/lease}) and the
 * value lives in the relay's shared memory ({@link ValueSlots}), where the processes change it
 * themselves, with no call at all, until somebody elsewhere wants it.
 *
 * <ul>
 * <li><b>Taking.</b> A value step of a process goes to the cluster as before; a second one within
 *     {@link #HOT_NANOS} takes the lease, and the answer tells the process where the value is.
 * <li><b>Handing over.</b> A step elsewhere (another node, a driver) finds the lease, marks the
 *     entry wanted and waits; this relay's listener sees it and writes the value back and gives
 *     the lease back at once if the value is idle, else once it has held the lease for
 *     {@link #QUANTUM_NANOS}; its processes then leave the value to the others for
 *     {@link #YIELD_NANOS}. A lease unused for {@link #LINGER_NANOS} goes back by itself.
 * <li><b>Nothing seen is lost.</b> Before the relay does anything for any of its processes that
 *     somebody outside this node could see (any call but a value step it serves itself, any put
 *     added to a queue, a lock's lease given back) and before the node tells a driver anything (a
 *     line of output, a process's end, a pool task's result), it writes back every value changed
 *     since its last write-back. It also writes back every {@link #WRITE_BACK_NANOS}. So if this
 *     node dies holding a lease, the cluster frees the lease with the value last written back:
 *     what is lost was seen through the library by this node's processes only, and was at most
 *     that old.
 * </ul>
 */
final class ValueLeases implements AutoCloseable {
    /** A second step on a value within this time takes its lease. */
    static final long HOT_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    /** How long a lease unused is kept. */
    static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** How long unused a wanted lease must be to go back at once. */
    static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** How long a wanted lease is kept at most while processes here keep using it. */
    static final long QUANTUM_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /** How long processes here leave a value they gave to somebody who wanted it. */
    static final long YIELD_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    /** How often a changed value is written back at the least. */
    static final long WRITE_BACK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final Logger LOG = Logger.getLogger(ValueLeases.class.getName());

    private final Direct access;
    private final String leaseId;
    private final ValueSlots slots;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Lease> leases = new ConcurrentHashMap<>();
    /** When this relay last ran a value step of each key in the cluster, and until when it leaves each to others. */
    private final Map<String, long[]> recent = new ConcurrentHashMap<>();
    /** Taking, giving and writing back, one at a time (they are rare; the steps themselves are not under it). */
    private final ReentrantLock mutex = new ReentrantLock();
    /** The listener of each value whose lease this relay has taken, kept while the value lives. */
    private final Map<String, UUID> listeners = new ConcurrentHashMap<>();
    private final BitSet used = new BitSet(ValueSlots.SLOTS);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mp4j-relay-values");
        t.setDaemon(true);
        return t;
    });
    private boolean checking;
    private volatile boolean closed;

    /** One value's lease in this relay. */
    private static final class Lease {
        final String key;
        final int slot;
        final long tag;
        final long takenAt = System.nanoTime();
        volatile boolean wanted;
        long lastUses;
        long lastUsedAt = System.nanoTime();
        long written;
        long writtenAt = System.nanoTime();

        Lease(String key, int slot, long tag) {
            this.key = key;
            this.slot = slot;
            this.tag = tag;
        }
    }

    ValueLeases(Direct access, Path dir) throws IOException {
        this.access = access;
        this.leaseId = access.host() + SyncOp.LEASE_SUFFIX;
        this.slots = ValueSlots.create(dir);
    }

    /** Whether {@code call} is a value step that this relay serves. */
    static boolean serves(SyncCall call) {
        int code = call.op().code();
        return call.op().kind() == SyncOp.VALUE && code >= SyncOp.VAL_GET && code <= SyncOp.VAL_ADD_INT;
    }

    /**
     * Runs a value step of a process of this relay. The answer is {@code {status, result}}, and
     * {@code {0, result, slot, tag}} when the relay holds the value's lease: the process then
     * takes its next steps in the slot itself.
     */
    long[] run(SyncCall call) {
        String key = call.key();
        SyncOp op = call.op();
        Lease l = leases.get(key);
        if (l != null) {
            long[] r = slots.apply(l.slot, l.tag, op.code(), op.x(), op.y());
            if (r != null) {
                return served(r, l);
            }
        }
        long now = System.nanoTime();
        long[] times = recent.computeIfAbsent(key, k -> new long[] {Long.MIN_VALUE, Long.MIN_VALUE});
        boolean hot;
        synchronized (times) {
            hot = times[0] != Long.MIN_VALUE && now - times[0] < HOT_NANOS
                    && (times[1] == Long.MIN_VALUE || now - times[1] >= 0);
            times[0] = now;
        }
        if (hot && !closed) {
            l = take(key);
            if (l != null) {
                long[] r = slots.apply(l.slot, l.tag, op.code(), op.x(), op.y());
                if (r != null) {
                    return served(r, l);
                }
            }
        }
        writeBack(); // a step in the cluster is seen there
        return call.run(access);
    }

    private static boolean yielding(long[] times) {
        synchronized (times) {
            return times[1] != Long.MIN_VALUE && System.nanoTime() - times[1] < 0;
        }
    }

    private static long[] served(long[] r, Lease l) {
        return new long[] {r[0], r[1], l.slot, l.tag};
    }

    /** Takes the lease of {@code key}, or finds it taken here; null if somebody else holds it (it is then marked wanted). */
    private Lease take(String key) {
        mutex.lock();
        try {
            Lease l = leases.get(key);
            if (l != null) {
                return l;
            }
            long[] times = recent.get(key);
            if (closed || (times != null && yielding(times))) {
                return null; // closing, or given away a moment ago (a step that waited for the give-back)
            }
            int slot = used.nextClearBit(0);
            if (slot >= ValueSlots.SLOTS) {
                return null; // no slot left: steps go to the cluster
            }
            long[] r = access.step(key, SyncOp.of(SyncOp.LEASE_TAKE, SyncOp.VALUE, leaseId, null));
            if (r[0] != 1 && r[0] != SyncOp.SELF) {
                return null;
            }
            long tag;
            do {
                tag = random.nextLong();
            } while (tag == 0);
            l = new Lease(key, slot, tag);
            try {
                listen(l);
            } catch (RuntimeException e) {
                access.step(key, SyncOp.leasePut(leaseId, r[1], true)); // unheard, it must not be kept
                throw e;
            }
            used.set(slot);
            slots.start(slot, tag, r[1]);
            leases.put(key, l);
            if (!checking) {
                checking = true;
                later(this::check, CHECK_NANOS);
            }
            return l;
        } finally {
            mutex.unlock();
        }
    }

    /**
     * Writes back every value changed here since its last write-back: called before anything
     * this node does that somebody elsewhere could see. Throws if one could not be written (what
     * was to be seen must then not be done).
     */
    void writeBack() {
        if (leases.isEmpty()) {
            return;
        }
        for (Lease l : leases.values()) {
            if (slots.writes(l.slot) != l.written) {
                mutex.lock();
                try {
                    if (leases.get(l.key) == l) {
                        put(l);
                    }
                } finally {
                    mutex.unlock();
                }
            }
        }
    }

    /** Writes {@code l}'s value back, keeping the lease. Called with the mutex held. */
    private void put(Lease l) {
        long[] vw = slots.valueAndWrites(l.slot);
        if (vw[1] == l.written) {
            return;
        }
        long[] r = access.step(l.key, SyncOp.leasePut(leaseId, vw[0], false));
        if (r[0] == 0) {
            l.written = vw[1];
            l.writtenAt = System.nanoTime();
        } else if (r[0] == SyncOp.NOT_HELD || r[0] == SyncOp.GONE) {
            // The cluster freed the lease (it took this node for dead) or the value was destroyed:
            // what was changed here since the last write-back is lost, as if the node had died.
            LOG.log(Level.WARNING, "the cluster took back the lease of the shared value " + l.key
                    + " from this node; changes made here since its last write-back are lost");
            slots.end(l.slot);
            leases.remove(l.key, l);
            used.clear(l.slot);
        } else {
            throw new IllegalStateException("could not write back the shared value " + l.key + " (" + r[0] + ")");
        }
    }

    /** Gives {@code l}'s lease back with its value. Called with the mutex held. */
    private void give(Lease l, boolean yield) {
        if (yield) {
            // Before the slot goes: a process's step that then comes here must not take it back.
            long[] times = recent.computeIfAbsent(l.key, k -> new long[] {Long.MIN_VALUE, Long.MIN_VALUE});
            synchronized (times) {
                times[1] = System.nanoTime() + YIELD_NANOS;
            }
        }
        long value = slots.end(l.slot);
        try {
            access.step(l.key, SyncOp.leasePut(leaseId, value, true));
        } catch (RuntimeException e) {
            // Kept, so that the value is not lost; tried again at the next check.
            slots.start(l.slot, l.tag, value);
            l.written = -1; // the slot counts its writes afresh: written back at the next chance
            l.lastUses = 0;
            LOG.log(Level.FINE, "could not give back the lease of " + l.key, e);
            return;
        }
        leases.remove(l.key, l);
        used.clear(l.slot);
    }

    /** Gives back the leases that are idle, or wanted and used for a quantum; writes back the others now and then. */
    private void check() {
        mutex.lock();
        try {
            long now = System.nanoTime();
            for (Lease l : leases.values()) {
                long uses = slots.uses(l.slot);
                if (uses != l.lastUses) {
                    l.lastUses = uses;
                    l.lastUsedAt = now;
                }
                try {
                    if (now - l.lastUsedAt > LINGER_NANOS || (l.wanted && now - l.takenAt > QUANTUM_NANOS)) {
                        give(l, l.wanted);
                    } else if (now - l.writtenAt > WRITE_BACK_NANOS) {
                        put(l);
                    }
                } catch (RuntimeException e) {
                    LOG.log(Level.FINE, "could not write back " + l.key, e);
                }
            }
            checking = !leases.isEmpty() && !closed;
            if (checking) {
                later(this::check, CHECK_NANOS);
            }
        } finally {
            mutex.unlock();
        }
        if (recent.size() > 4096) {
            recent.clear(); // forgets which values were hot: at worst, one more step in the cluster each
        }
    }

    private void wanted(String key) {
        mutex.lock();
        try {
            Lease l = leases.get(key);
            if (l == null) {
                return;
            }
            l.wanted = true;
            long now = System.nanoTime();
            long uses = slots.uses(l.slot);
            boolean idle = uses == l.lastUses && now - l.lastUsedAt > IDLE_NANOS;
            if (idle || now - l.takenAt > QUANTUM_NANOS) {
                give(l, true);
            }
        } finally {
            mutex.unlock();
        }
    }

    /** The value was destroyed: its lease and listener are forgotten. */
    private void destroyed(String key) {
        mutex.lock();
        try {
            Lease l = leases.remove(key);
            if (l != null) {
                slots.end(l.slot);
                used.clear(l.slot);
            }
            recent.remove(key);
            unlisten(key);
        } finally {
            mutex.unlock();
        }
    }

    /**
     * Listens for the entry's being wanted or removed (once per value, kept while the value lives:
     * a lease handed to and fro would otherwise register a listener each time). Called with the
     * mutex held.
     */
    private void listen(Lease l) {
        String key = l.key;
        if (!listeners.containsKey(key)) {
            listeners.put(key, LeaseWatch.listen(access, key, leaseId, task -> later(task, 0),
                    () -> wanted(key), () -> destroyed(key)));
        }
        // Somebody may have asked before the listener heard: look once.
        if (LeaseWatch.isWanted(access.sync.get(key), leaseId)) {
            l.wanted = true;
        }
    }

    private void unlisten(String key) {
        access.stopListening(listeners.remove(key));
    }

    private void later(Runnable task, long nanos) {
        try {
            timer.schedule(task, nanos, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // the relay is closing: close() gives the leases back
        }
    }

    /** Gives back every lease with its value (the relay is closing). */
    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        mutex.lock();
        try {
            for (Lease l : leases.values()) {
                give(l, false);
            }
            for (String key : listeners.keySet()) {
                unlisten(key);
            }
        } finally {
            mutex.unlock();
        }
    }
}
