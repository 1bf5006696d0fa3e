package org.multiprocessing4j.internal.channel;

import org.multiprocessing4j.internal.shm.CacheLine;
import org.multiprocessing4j.internal.shm.SleeperTable;

/**
 * The binary layout of a {@link Ring}, from the ring's own offset in its segment. Every offset
 * is derived from the one before and from {@link CacheLine#LENGTH}; the words each party writes
 * have their own line.
 *
 * <pre>
 *  PRODUCER_LINE_OFFSET        written by the producer-lock holder
 *    +0  TAIL_OFFSET             long  where the next record goes; grows, except that a rewind
 *                                      takes it back over an abandoned message nobody began
 *    +8  PUT_COUNT_OFFSET        long  messages put, stored after the commit point
 *   +16  OPEN_MESSAGE_OFFSET     long  start of a message being streamed, or -1
 *   +24  ABANDONED_OFFSET        long  start of the last message abandoned mid-stream, or -1
 *   +32  COMMIT_TAIL_OFFSET      long  commit record: the tail of the last message's end ...
 *   +40  COMMIT_PUT_OFFSET       long  ... and the put count once that tail is published
 *   +48  REWIND_TAIL_OFFSET      long  the tail before the open message (and its PAD): where a
 *                                      rewind puts it back; read only while a message is open
 *  CONSUMER_LINE_OFFSET        written by the consumer-lock holder
 *    +0  HEAD_OFFSET, +8 TAKE_COUNT_OFFSET, +16 COMMIT_HEAD_OFFSET, +24 COMMIT_TAKE_OFFSET,
 *   +32  READING_START_OFFSET    long  start of the streamed message a consumer last began
 *  PRODUCER_LOCK_OFFSET        the producer mutex's owner word
 *  CONSUMER_LOCK_OFFSET        the consumer mutex's owner word
 *  DONE_COUNT_OFFSET           taskDone() calls (JoinableProcessQueue), CAS by anyone
 *  TABLES_OFFSET               TABLE_COUNT sleeper tables, TABLE_STRIDE apart:
 *                              data, room, join, producer lock, consumer lock
 *  HEADER_LENGTH               the records: a power of two of bytes
 * </pre>
 */
final class RingLayout {
    static final int PRODUCER_LINE_OFFSET = 0;
    static final int TAIL_OFFSET = PRODUCER_LINE_OFFSET;
    static final int PUT_COUNT_OFFSET = TAIL_OFFSET + Long.BYTES;
    static final int OPEN_MESSAGE_OFFSET = PUT_COUNT_OFFSET + Long.BYTES;
    static final int ABANDONED_OFFSET = OPEN_MESSAGE_OFFSET + Long.BYTES;
    static final int COMMIT_TAIL_OFFSET = ABANDONED_OFFSET + Long.BYTES;
    static final int COMMIT_PUT_OFFSET = COMMIT_TAIL_OFFSET + Long.BYTES;
    static final int REWIND_TAIL_OFFSET = COMMIT_PUT_OFFSET + Long.BYTES;

    static final int CONSUMER_LINE_OFFSET = PRODUCER_LINE_OFFSET + CacheLine.LENGTH;
    static final int HEAD_OFFSET = CONSUMER_LINE_OFFSET;
    static final int TAKE_COUNT_OFFSET = HEAD_OFFSET + Long.BYTES;
    static final int COMMIT_HEAD_OFFSET = TAKE_COUNT_OFFSET + Long.BYTES;
    static final int COMMIT_TAKE_OFFSET = COMMIT_HEAD_OFFSET + Long.BYTES;
    static final int READING_START_OFFSET = COMMIT_TAKE_OFFSET + Long.BYTES;

    static final int PRODUCER_LOCK_OFFSET = CONSUMER_LINE_OFFSET + CacheLine.LENGTH;
    static final int CONSUMER_LOCK_OFFSET = PRODUCER_LOCK_OFFSET + CacheLine.LENGTH;
    static final int DONE_COUNT_OFFSET = CONSUMER_LOCK_OFFSET + CacheLine.LENGTH;

    static final int TABLES_OFFSET = DONE_COUNT_OFFSET + CacheLine.LENGTH;
    static final int TABLE_STRIDE = CacheLine.align(SleeperTable.LENGTH);
    static final int DATA_WAITERS_OFFSET = TABLES_OFFSET;
    static final int ROOM_WAITERS_OFFSET = DATA_WAITERS_OFFSET + TABLE_STRIDE;
    static final int JOIN_WAITERS_OFFSET = ROOM_WAITERS_OFFSET + TABLE_STRIDE;
    static final int PRODUCER_LOCK_WAITERS_OFFSET = JOIN_WAITERS_OFFSET + TABLE_STRIDE;
    static final int CONSUMER_LOCK_WAITERS_OFFSET = PRODUCER_LOCK_WAITERS_OFFSET + TABLE_STRIDE;
    static final int TABLE_COUNT = 5;

    /** Bytes before the records. */
    static final int HEADER_LENGTH = TABLES_OFFSET + TABLE_COUNT * TABLE_STRIDE;

    private RingLayout() {
    }
}
