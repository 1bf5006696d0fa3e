package org.multiprocessing4j.benchmarks.transport;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;

/**
 * A single-producer / single-consumer ring of variable-length records in a
 * {@link MappedByteBuffer} that two JVMs map from the same file. No library, no JVM flag:
 * {@link MethodHandles#byteBufferViewVarHandle} gives acquire/release and CAS on the mapped
 * longs.
 *
 * <pre>
 * base+  0  tail   (long, written by the producer only: bytes ever published)
 * base+128  head   (long, written by the consumer only: bytes ever released)
 * base+256  consumerSleeping (long: 1 while the consumer waits on the doorbell for data)
 * base+384  producerSleeping (long: 1 while the producer waits on the doorbell for space)
 * base+512  data[capacity]   (capacity a power of two)
 * </pre>
 *
 * Each field has its own 128-byte block (two cache lines, against adjacent-line prefetch).
 * A record is {@code [int header][payload]} padded to 8 bytes; the header holds the payload
 * length and the flags {@link #MORE} (a chunk of a longer message follows) and {@link #PAD}
 * (skip to the start of the ring: the next record did not fit before the end). The producer
 * writes the record and then publishes {@code tail} with a release store, so the consumer never
 * sees a half-written record: a producer that dies mid-write leaves no trace.
 */
final class ShmRing {
    static final int HEADER_BYTES = 512;
    /** A record carries at most capacity / this (-Dprobe.chunkDivisor, default 8). */
    static final int CHUNK_DIVISOR = Integer.getInteger("probe.chunkDivisor", 8);
    static final int MORE = 0x4000_0000;
    static final int PAD = 0x8000_0000;
    static final int LEN_MASK = 0x3FFF_FFFF;

    static final int TAIL = 0;
    static final int HEAD = 128;
    static final int CONSUMER_SLEEPING = 256;
    static final int PRODUCER_SLEEPING = 384;

    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private final MappedByteBuffer buf;
    private final int base;
    private final int data;
    private final int capacity;
    private final int mask;

    // producer's private state
    private long tail;
    private long headCache;
    // consumer's private state
    private long head;
    private long headPublished;
    private long tailCache;
    private int recordIndex;
    private int recordHeader;

    ShmRing(MappedByteBuffer buf, int base, int capacity) {
        if (Integer.bitCount(capacity) != 1 || capacity < 64) {
            throw new IllegalArgumentException("capacity must be a power of two >= 64");
        }
        buf.order(ByteOrder.nativeOrder());
        this.buf = buf;
        this.base = base;
        this.data = base + HEADER_BYTES;
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.tail = (long) LONGS.getAcquire(buf, base + TAIL);
        this.head = (long) LONGS.getAcquire(buf, base + HEAD);
        this.headCache = head;
        this.headPublished = head;
        this.tailCache = tail;
    }

    static int bytesFor(int capacity) {
        return HEADER_BYTES + capacity;
    }

    int capacity() {
        return capacity;
    }

    /** The largest payload one record can carry; longer messages go as several MORE records. */
    int maxRecordPayload() {
        return capacity / CHUNK_DIVISOR - 4;
    }

    MappedByteBuffer buffer() {
        return buf;
    }

    private static int align(int n) {
        return (n + 7) & ~7;
    }

    // ------------------------------------------------------------------ producer

    /** Bytes a record of this payload needs now, counting a pad record if it must wrap. */
    private int need(int payload) {
        int size = align(4 + payload);
        int toEnd = capacity - (int) (tail & mask);
        return size <= toEnd ? size : toEnd + size;
    }

    /** True if a record of this payload fits now (re-reads the consumer's head only when needed). */
    boolean hasSpace(int payload) {
        int need = need(payload);
        if (tail + need - headCache <= capacity) {
            return true;
        }
        headCache = (long) LONGS.getAcquire(buf, base + HEAD);
        return tail + need - headCache <= capacity;
    }

    /**
     * Writes the header of a record (and a pad record before it if it must wrap) and returns
     * the buffer index where its payload goes; the caller writes the payload, then calls
     * {@link #publish()}. Call only after {@link #hasSpace} said yes.
     */
    int claim(int payload, boolean more) {
        int size = align(4 + payload);
        int idx = (int) (tail & mask);
        int toEnd = capacity - idx;
        if (size > toEnd) {
            buf.putInt(data + idx, PAD);
            tail += toEnd;
            idx = 0;
        }
        buf.putInt(data + idx, payload | (more ? MORE : 0));
        tail += size;
        return data + idx + 4;
    }

    /** For a producer that shares the ring with others (under a lock): takes up the tail they left. */
    void refreshTail() {
        tail = (long) LONGS.getAcquire(buf, base + TAIL);
    }

    /** For a consumer that shares the ring with others (under a lock): takes up the head they left. */
    void refreshHead() {
        head = (long) LONGS.getAcquire(buf, base + HEAD);
        headPublished = head;
    }

    /** Makes every claimed record visible to the consumer (a release store of tail). */
    void publish() {
        LONGS.setRelease(buf, base + TAIL, tail);
    }

    // ------------------------------------------------------------------ consumer

    /** True if a record is ready (re-reads the producer's tail only when needed). */
    boolean hasRecord() {
        if (head != tailCache) {
            return true;
        }
        tailCache = (long) LONGS.getAcquire(buf, base + TAIL);
        return head != tailCache;
    }

    /**
     * Positions on the next record (skipping a pad record) and returns the buffer index of
     * its payload. Call only after {@link #hasRecord()} said yes; then read {@link #length()}
     * and {@link #more()}, copy the payload, and {@link #release()}.
     */
    int next() {
        int idx = (int) (head & mask);
        int h = buf.getInt(data + idx);
        if (h == PAD) {
            head += capacity - idx;
            idx = 0;
            h = buf.getInt(data);
        }
        recordIndex = idx;
        recordHeader = h;
        return data + idx + 4;
    }

    int length() {
        return recordHeader & LEN_MASK;
    }

    boolean more() {
        return (recordHeader & MORE) != 0;
    }

    /** Gives the current record's space back to the producer at once (a release store of head). */
    void release() {
        head += align(4 + length());
        publishHead();
    }

    /**
     * Gives the current record's space back, but publishes head only once a quarter of the ring
     * is pending: the producer then finds space in large steps instead of both sides working on
     * the same cache lines record by record. Returns true if it published. The consumer must
     * {@link #publishHead()} before it waits. (Single consumer only: a consumer sharing the ring
     * must publish before it lets go of the consumer lock.)
     */
    boolean releaseLazily() {
        head += align(4 + length());
        if (head - headPublished >= capacity >> 2) {
            publishHead();
            return true;
        }
        return false;
    }

    /** Publishes the consumer's head if it moved; true if it did. */
    boolean publishHead() {
        if (head == headPublished) {
            return false;
        }
        LONGS.setRelease(buf, base + HEAD, head);
        headPublished = head;
        return true;
    }

    // ------------------------------------------------------------------ sleeping flags

    void setFlagVolatile(int flag, long v) {
        LONGS.setVolatile(buf, base + flag, v);
    }

    long flagVolatile(int flag) {
        return (long) LONGS.getVolatile(buf, base + flag);
    }

    boolean casFlag(int flag, long expect, long v) {
        return LONGS.compareAndSet(buf, base + flag, expect, v);
    }
}
