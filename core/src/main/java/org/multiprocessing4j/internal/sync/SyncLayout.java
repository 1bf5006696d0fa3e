package org.multiprocessing4j.internal.sync;

import org.multiprocessing4j.internal.shm.SharedSegment;
import org.multiprocessing4j.internal.shm.SleeperTable;

/**
 * The binary layout of the segments behind locks, conditions, semaphores, events and shared
 * values: one 4 KiB segment per object, every offset here. Each object's words sit in their own
 * 128-byte lines after the {@link SharedSegment} header; each waiting place has a
 * {@link SleeperTable}.
 *
 * <pre>
 *   0  SharedSegment header (magic, id, kind)
 *  64  TYPE: which primitive (int)
 * 128  the primitive's words (below), then its sleeper table at +128
 * 1024 a second region: the lock of a shared value (same layout as a lock)
 * </pre>
 */
public final class SyncLayout {
    public static final int KIND = 3;
    public static final int SIZE = 4096;
    public static final int TYPE = SharedSegment.HEADER_BYTES;
    /** Where a primitive's words start. */
    public static final int MAIN = 128;
    /** Where the lock of a shared value starts. */
    public static final int VALUE_LOCK = 1024;

    public static final int TYPE_LOCK = 1;
    public static final int TYPE_REENTRANT_LOCK = 2;
    public static final int TYPE_CONDITION = 3;
    public static final int TYPE_SEMAPHORE = 4;
    public static final int TYPE_EVENT = 5;
    public static final int TYPE_VALUE = 6;
    public static final int TYPE_BARRIER = 7;
    public static final int TYPE_ARRAY = 8;

    // A lock, from its base.
    public static final int LOCK_OWNER = 0; // ProcessToken of the holder, 0 when free
    // (The holding thread and its hold count live in the holder's JVM: see LockCell.)
    public static final int LOCK_RECOVERIES = 24; // how many times a dead holder's lock was taken over
    public static final int LOCK_WAITERS = 128; // SleeperTable

    // A condition, from MAIN: a ticket counter (FIFO order of waiters) and a sleeper table;
    // then, from COND_SLOTS (from the segment start), one slot per waiter: token, ticket, state.
    public static final int COND_TICKETS = 0;
    public static final int COND_TABLE = 128;
    public static final int COND_SLOTS = 1024;
    public static final int COND_SLOT_BYTES = 24;
    public static final int COND_SLOT_COUNT = 64;

    // A semaphore, from MAIN.
    public static final int SEM_PERMITS = 0;
    public static final int SEM_BOUND = 8; // the most permits for a bounded semaphore, or -1
    public static final int SEM_TABLE = 128;

    // An event, from MAIN.
    public static final int EVENT_FLAG = 0; // bit 0 the flag, the rest how many times set() was called
    public static final int EVENT_TABLE = 128;

    // A shared value, from MAIN: its bits (a long, an int or a double's raw bits).
    public static final int VALUE_BITS = 0;

    // A barrier, from MAIN: one word packs the round (generation), whether the round before
    // ended by tripping, whether this round is broken, and the count arrived in it, so that
    // arriving, tripping, breaking and resetting are each one CAS.
    public static final int BARRIER_PARTIES = 0;
    public static final int BARRIER_STATE = 8;
    /** Processes that waited at the barrier: (token, round + 1 they last reached) pairs. */
    public static final int BARRIER_PARTICIPANTS = 64;
    public static final int BARRIER_SLOTS = 32;
    /** The barrier's sleeper table, from the segment start (past the participants). */
    public static final int BARRIER_TABLE = 2048;

    // A shared array, from MAIN; its lock at VALUE_LOCK; its elements from ARRAY_DATA.
    public static final int ARRAY_LENGTH = 0;
    public static final int ARRAY_ELEMENT_BYTES = 8;
    public static final int ARRAY_DATA = SIZE;

    private SyncLayout() {
    }

    static {
        if (COND_SLOTS + COND_SLOT_COUNT * COND_SLOT_BYTES > BARRIER_TABLE
                || MAIN + LOCK_WAITERS + SleeperTable.BYTES > VALUE_LOCK
                || VALUE_LOCK + LOCK_WAITERS + SleeperTable.BYTES > SIZE) {
            throw new AssertionError("sync layout overlaps");
        }
    }
}
