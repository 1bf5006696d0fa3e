package org.multiprocessing4j.cluster.internal.shared;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;

/**
 * The locks a relay holds the lease of ({@link LockLeases}), in a file of the relay's directory
 * that the relay and its processes map: a process's thread takes and releases such a lock with a
 * store to shared memory, not a call, while no thread waits for it at the relay and nobody
 * elsewhere has waited for it a quantum. Each slot has, after {@link LeaseSlots}'s lock and tag:
 *
 * <ul>
 * <li>{@code holder}: the holding thread's {@link #code}, 0 if the lock is free;
 * <li>{@code uses}: every take and release, how the relay tells a lease in use from an idle one;
 * <li>{@code viaRelay}: 1 while threads wait at the relay or the lease is to go back at the next
 *     release: every take and release then goes through the relay, which wakes the waiters and
 *     gives the lease back;
 * <li>{@code died}: 1 if a thread died holding the lock and nobody has taken it since: the next
 *     holder is told it took over.
 * </ul>
 */
final class LockSlots extends LeaseSlots {
    static final String FILE = "locks";
    private static final int HOLDER = 16;
    private static final int USES = 24;
    private static final int VIA_RELAY = 32;
    private static final int DIED = 40;
    private static final int TID_BITS = 40;

    private LockSlots(MappedByteBuffer buf) {
        super(buf);
    }

    /** Makes the file (the relay). */
    static LockSlots create(Path dir) throws IOException {
        return new LockSlots(map(dir.resolve(FILE), true));
    }

    /** Maps the relay's file (a process of the relay). */
    static LockSlots open(Path dir) throws IOException {
        return new LockSlots(map(dir.resolve(FILE), false));
    }

    /** A thread of process {@code pid} as a holder (never 0). */
    static long code(long pid, long threadId) {
        return pid << TID_BITS | (threadId & ((1L << TID_BITS) - 1));
    }

    /** A thread id of a relay's process ({@code <host>/<pid>/<nonce>#<thread>}) as a holder. */
    static long code(String threadId) {
        int hash = threadId.indexOf('#');
        return code(pidOf(threadId.substring(0, hash + 1)), Long.parseLong(threadId.substring(hash + 1)));
    }

    /** The pid in a thread-id prefix of a relay's process ({@code <host>/<pid>/<nonce>#}). */
    static long pidOf(String prefix) {
        int nonce = prefix.lastIndexOf('/');
        int pid = prefix.lastIndexOf('/', nonce - 1);
        return Long.parseLong(prefix.substring(pid + 1, nonce));
    }

    /**
     * A take by a process's thread: {@code 1}, {@code 2} if it took over from a thread that died
     * holding it, {@link SyncOp#SELF} if it holds it already; 0 if the relay must be asked (the
     * lease went back, the lock is held, or takes go through the relay now).
     */
    long tryTake(int slot, long tag, long code) {
        lock(slot);
        try {
            return holds(slot, tag) && get(slot, VIA_RELAY) == 0 ? takeLocked(slot, code) : 0;
        } finally {
            unlock(slot);
        }
    }

    /** A release by a process's thread: whether it was done here (if not, the relay must be asked). */
    boolean tryRelease(int slot, long tag, long code) {
        lock(slot);
        try {
            return holds(slot, tag) && get(slot, VIA_RELAY) == 0 && releaseLocked(slot, code);
        } finally {
            unlock(slot);
        }
    }

    private long takeLocked(int slot, long code) {
        long holder = get(slot, HOLDER);
        if (holder != 0) {
            return holder == code ? SyncOp.SELF : 0;
        }
        set(slot, HOLDER, code);
        set(slot, USES, get(slot, USES) + 1);
        if (get(slot, DIED) != 0) {
            set(slot, DIED, 0L);
            return 2;
        }
        return 1;
    }

    private boolean releaseLocked(int slot, long code) {
        if (get(slot, HOLDER) != code) {
            return false;
        }
        set(slot, HOLDER, 0L);
        set(slot, USES, get(slot, USES) + 1);
        return true;
    }

    /** Starts lease {@code tag} in {@code slot}, the lock free (the relay). */
    void start(int slot, long tag, boolean died) {
        lock(slot);
        try {
            set(slot, HOLDER, 0L);
            set(slot, USES, 0L);
            set(slot, VIA_RELAY, 0L);
            set(slot, DIED, died ? 1L : 0L);
            startLocked(slot, tag);
        } finally {
            unlock(slot);
        }
    }

    /** A take at the relay: 1 or 2 as {@link #tryTake}, 0 if another thread holds it, {@link SyncOp#SELF}. */
    long take(int slot, long code) {
        lock(slot);
        try {
            return takeLocked(slot, code);
        } finally {
            unlock(slot);
        }
    }

    /** A release at the relay: whether {@code code} held it. */
    boolean release(int slot, long code) {
        lock(slot);
        try {
            return releaseLocked(slot, code);
        } finally {
            unlock(slot);
        }
    }

    /** Frees the lock if a thread of process {@code pid} holds it (the process ended): whether it did. */
    boolean freeDead(int slot, long pid) {
        lock(slot);
        try {
            long holder = get(slot, HOLDER);
            if (holder == 0 || holder >>> TID_BITS != pid) {
                return false;
            }
            releaseLocked(slot, holder);
            set(slot, DIED, 1L);
            return true;
        } finally {
            unlock(slot);
        }
    }

    /** Sends every take and release through the relay ({@code on}), or lets processes do them here again. */
    void viaRelay(int slot, boolean on) {
        lock(slot);
        try {
            set(slot, VIA_RELAY, on ? 1L : 0L);
        } finally {
            unlock(slot);
        }
    }

    /**
     * Ends the lease if the lock is free (the relay gives it back): whether it did, and then
     * whether a thread died holding it since it was last taken ({@code {ended, died}}).
     */
    boolean[] endIfFree(int slot) {
        lock(slot);
        try {
            if (get(slot, HOLDER) != 0) {
                return new boolean[] {false, false};
            }
            endLocked(slot);
            return new boolean[] {true, get(slot, DIED) != 0};
        } finally {
            unlock(slot);
        }
    }

    /**
     * Ends the lease whoever holds the lock (the lock was destroyed, or the relay is closing):
     * whether the next holder must be told it took over (a thread held it, or died holding it).
     */
    boolean end(int slot) {
        lock(slot);
        try {
            endLocked(slot);
            return get(slot, HOLDER) != 0 || get(slot, DIED) != 0;
        } finally {
            unlock(slot);
        }
    }

    long holder(int slot) {
        return getVolatile(slot, HOLDER);
    }

    long uses(int slot) {
        return getVolatile(slot, USES);
    }
}
