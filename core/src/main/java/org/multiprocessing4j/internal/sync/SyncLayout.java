package org.multiprocessing4j.internal.sync;

import org.multiprocessing4j.internal.shm.CacheLine;
import org.multiprocessing4j.internal.shm.SegmentHeader;
import org.multiprocessing4j.internal.shm.SleeperTable;

/**
 * The binary layout of the segments behind locks, conditions, semaphores, events, barriers and
 * shared values and arrays: one segment per object, of {@link #SEGMENT_LENGTH} bytes (a shared
 * array's elements follow). Offsets named {@code *_OFFSET} are from the segment's start unless
 * they belong to a primitive's words, which are from {@link #MAIN_OFFSET} (or, for the lock of a
 * value or array, from {@link #VALUE_LOCK_OFFSET}); every waiting place has a
 * {@link SleeperTable} of its own line.
 *
 * <pre>
 *     0  segment header (SegmentHeader.LENGTH bytes)
 *    64  TYPE_OFFSET                int: which primitive (TYPE_*)
 *   128  MAIN_OFFSET                the primitive's words:
 *          lock:      +0 LOCK_OWNER_OFFSET, +8 LOCK_RECOVERIES_OFFSET, +128 LOCK_WAITERS_OFFSET
 *          condition: +0 COND_TICKETS_OFFSET, +128 COND_WAITERS_OFFSET
 *          semaphore: +0 SEM_PERMITS_OFFSET, +8 SEM_BOUND_OFFSET, +128 SEM_WAITERS_OFFSET
 *          event:     +0 EVENT_STATE_OFFSET, +128 EVENT_WAITERS_OFFSET
 *          value:     +0 VALUE_BITS_OFFSET
 *          barrier:   +0 BARRIER_PARTIES_OFFSET, +8 BARRIER_STATE_OFFSET,
 *                     +64 BARRIER_PARTICIPANTS_OFFSET (BARRIER_SLOT_COUNT (token, round) pairs)
 *          array:     +0 ARRAY_LENGTH_OFFSET, +8 ARRAY_ELEMENT_SIZE_OFFSET
 *  1024  VALUE_LOCK_OFFSET          the lock of a value or array (a lock's words, as above);
 *        COND_SLOTS_OFFSET          for a condition instead: COND_SLOT_COUNT slots of
 *                                   COND_SLOT_LENGTH bytes (token, ticket, state)
 *  2048  BARRIER_WAITERS_OFFSET     the barrier's sleeper table
 *  4096  SEGMENT_LENGTH = ARRAY_DATA_OFFSET: a shared array's elements
 * </pre>
 */
final class SyncLayout {
    public static final int SEGMENT_LENGTH = 32 * CacheLine.LENGTH;
    public static final int TYPE_OFFSET = SegmentHeader.LENGTH;
    /** Where a primitive's words start. */
    public static final int MAIN_OFFSET = CacheLine.align(TYPE_OFFSET + Integer.BYTES);
    /** Where the lock of a shared value or array starts. */
    public static final int VALUE_LOCK_OFFSET = 8 * CacheLine.LENGTH;

    static final int TYPE_LOCK = 1;
    static final int TYPE_REENTRANT_LOCK = 2;
    static final int TYPE_CONDITION = 3;
    static final int TYPE_SEMAPHORE = 4;
    static final int TYPE_EVENT = 5;
    static final int TYPE_VALUE = 6;
    static final int TYPE_BARRIER = 7;
    static final int TYPE_ARRAY = 8;

    // A lock, from its base (MAIN_OFFSET or VALUE_LOCK_OFFSET).
    /** The holder's ProcessToken, 0 when free (the holding thread and its hold count live in its JVM). */
    public static final int LOCK_OWNER_OFFSET = 0;
    /** How many times a dead holder's lock was taken over. */
    public static final int LOCK_RECOVERIES_OFFSET = LOCK_OWNER_OFFSET + Long.BYTES;
    public static final int LOCK_WAITERS_OFFSET = CacheLine.LENGTH;

    // A condition, from MAIN_OFFSET: a ticket counter (FIFO order of waiters) and a sleeper
    // table; its slots from COND_SLOTS_OFFSET (from the segment start).
    public static final int COND_TICKETS_OFFSET = 0;
    public static final int COND_WAITERS_OFFSET = CacheLine.LENGTH;
    public static final int COND_SLOTS_OFFSET = VALUE_LOCK_OFFSET;
    public static final int COND_SLOT_LENGTH = 3 * Long.BYTES;
    static final int COND_SLOT_COUNT = 64;

    // A semaphore, from MAIN_OFFSET.
    public static final int SEM_PERMITS_OFFSET = 0;
    /** The most permits of a bounded semaphore, or -1. */
    public static final int SEM_BOUND_OFFSET = SEM_PERMITS_OFFSET + Long.BYTES;
    public static final int SEM_WAITERS_OFFSET = CacheLine.LENGTH;

    // An event, from MAIN_OFFSET: bit 0 the flag, the rest how many times set() was called.
    public static final int EVENT_STATE_OFFSET = 0;
    public static final int EVENT_WAITERS_OFFSET = CacheLine.LENGTH;

    // A shared value, from MAIN_OFFSET: its bits (a long, an int or a double's raw bits).
    public static final int VALUE_BITS_OFFSET = 0;

    // A barrier, from MAIN_OFFSET: one word packs the round (generation), whether the round
    // before ended by tripping, whether this round's barrier action runs, whether this round is
    // broken, and the count arrived in it (while the action runs, the runner's participant slot),
    // so that arriving, claiming the action, tripping, breaking and resetting are each one CAS.
    public static final int BARRIER_PARTIES_OFFSET = 0;
    public static final int BARRIER_STATE_OFFSET = BARRIER_PARTIES_OFFSET + Long.BYTES;
    /** Processes that waited at the barrier: (token, round + 1 they last reached) pairs. */
    public static final int BARRIER_PARTICIPANTS_OFFSET = CacheLine.LENGTH / 2;
    public static final int BARRIER_SLOT_COUNT = 32;
    /** The barrier's sleeper table, from the segment start (past the participants). */
    public static final int BARRIER_WAITERS_OFFSET = 16 * CacheLine.LENGTH;

    // A shared array, from MAIN_OFFSET; its lock at VALUE_LOCK_OFFSET; its elements from ARRAY_DATA_OFFSET.
    public static final int ARRAY_LENGTH_OFFSET = 0;
    /** Where the array's element size (1, 4 or 8 bytes) is kept. */
    public static final int ARRAY_ELEMENT_SIZE_OFFSET = ARRAY_LENGTH_OFFSET + Long.BYTES;
    public static final int ARRAY_DATA_OFFSET = SEGMENT_LENGTH;

    private SyncLayout() {
    }

    static {
        // One primitive per segment, so only the regions of one primitive must not overlap
        // (a condition's slots may lie where a barrier's table would be).
        int table = SleeperTable.LENGTH;
        check("a lock and its table", MAIN_OFFSET + LOCK_WAITERS_OFFSET + table <= VALUE_LOCK_OFFSET);
        check("a value's lock", VALUE_LOCK_OFFSET + LOCK_WAITERS_OFFSET + table <= SEGMENT_LENGTH);
        check("a condition's table", MAIN_OFFSET + COND_WAITERS_OFFSET + table <= COND_SLOTS_OFFSET);
        check("a condition's slots", COND_SLOTS_OFFSET + COND_SLOT_COUNT * COND_SLOT_LENGTH <= SEGMENT_LENGTH);
        check("a semaphore's table", MAIN_OFFSET + SEM_WAITERS_OFFSET + table <= SEGMENT_LENGTH);
        check("an event's table", MAIN_OFFSET + EVENT_WAITERS_OFFSET + table <= SEGMENT_LENGTH);
        check("a barrier's participants", MAIN_OFFSET + BARRIER_PARTICIPANTS_OFFSET
                + BARRIER_SLOT_COUNT * 2 * Long.BYTES <= BARRIER_WAITERS_OFFSET);
        check("a barrier's table", BARRIER_WAITERS_OFFSET + table <= SEGMENT_LENGTH);
    }

    private static void check(String what, boolean fits) {
        if (!fits) {
            throw new AssertionError("sync layout: " + what + " overlaps what follows");
        }
    }
}
