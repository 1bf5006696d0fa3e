package org.multiprocessing4j.internal.channel;

import java.io.Serializable;
import java.nio.ByteBuffer;
import org.multiprocessing4j.internal.codec.ItemCodec;
import org.multiprocessing4j.internal.shm.Backoff;
import org.multiprocessing4j.internal.shm.CacheLine;
import org.multiprocessing4j.internal.shm.Guard;
import org.multiprocessing4j.internal.shm.OverflowSegments;
import org.multiprocessing4j.internal.shm.SegmentHeader;
import org.multiprocessing4j.internal.shm.SegmentId;
import org.multiprocessing4j.internal.shm.SegmentKind;
import org.multiprocessing4j.internal.shm.SegmentLocator;
import org.multiprocessing4j.internal.shm.SharedMutex.Acquisition;
import org.multiprocessing4j.internal.shm.SharedSegment;
import org.multiprocessing4j.internal.shm.Words;

/**
 * The shared part of one {@code ProcessQueue}: a {@link Ring} in its own
 * {@link SharedSegment}, and the queue's bound; an unbounded queue also has an
 * {@link OverflowChain}, so that its {@code put} never waits. One instance per queue per JVM,
 * shared by every handle to that queue in the JVM.
 */
public final class QueueChannel {
    /** Bytes of shared memory for a queue's items unless the creator asks otherwise. */
    public static final String BUFFER_PROPERTY = "multiprocessing4j.queueBufferBytes";
    private static final int DEFAULT_BUFFER = 4 << 20;
    // Layout: the segment header; MAXSIZE_OFFSET (long, the bound or 0); the overflow chain's
    // words from CHAIN_OFFSET (used by unbounded queues only); the ring from RING_OFFSET.
    private static final int MAXSIZE_OFFSET = SegmentHeader.LENGTH;
    private static final int CHAIN_OFFSET = CacheLine.align(MAXSIZE_OFFSET + Long.BYTES + CacheLine.LENGTH);
    private static final int RING_OFFSET = CHAIN_OFFSET + OverflowChain.LENGTH;
    /** How long a call that must not block waits for a lock held by another process. */
    private static final long LOCK_PATIENCE_NANOS = 20_000_000;

    /** What {@link #take} returns when the time ran out. */
    public static final Object NOTHING = new Object();

    private final SharedSegment segment;
    private final Ring ring;
    private final int maxsize;
    /** Where an unbounded queue's items go when the ring is full; null for a bounded one. */
    private final OverflowChain chain;

    private QueueChannel(SharedSegment segment) {
        segment.checkKind(SegmentKind.QUEUE);
        this.segment = segment;
        ByteBuffer b = segment.buffer;
        this.maxsize = (int) Words.getAcquire(b, MAXSIZE_OFFSET);
        this.ring = new Ring(b, RING_OFFSET, b.capacity() - RING_OFFSET - Ring.HEADER_BYTES);
        this.chain = maxsize == 0 ? new OverflowChain(b, CHAIN_OFFSET, ring, segment.id) : null;
    }

    /**
     * Makes a queue.
     *
     * @param maxsize the most items it holds, or 0 for no bound but its buffer
     * @throws java.io.UncheckedIOException if the shared memory cannot be made
     */
    public static QueueChannel create(int maxsize) {
        return create(maxsize, bufferBytes(BUFFER_PROPERTY, DEFAULT_BUFFER));
    }

    /** Makes a queue with a buffer of {@code bytes} (a power of two, at least 4 KiB). */
    public static QueueChannel create(int maxsize, int bytes) {
        SharedSegment s = SharedSegment.create(SegmentKind.QUEUE, RING_OFFSET + Ring.footprint(bytes), "a queue");
        Words.setRelease(s.buffer, MAXSIZE_OFFSET, (long) maxsize);
        if (maxsize == 0) {
            OverflowChain.initialize(s.buffer, CHAIN_OFFSET, OverflowSegments.maxBytes());
        }
        new Ring(s.buffer, RING_OFFSET, bytes).initialize();
        return s.channel(QueueChannel::new);
    }

    /** The queue {@code handle} (from {@link #handle()} in some process of this user) names, in this JVM. */
    public static QueueChannel attach(Serializable handle) {
        return SharedSegment.attach((SegmentLocator) handle).channel(QueueChannel::new);
    }

    /** A small description of this queue for another process: how to reach its memory, not its items. */
    public Serializable handle() {
        return segment.locator();
    }

    /** This JVM's handles to the queue are closed: its memory may go once nothing refers to it. */
    public void closedHere() {
        segment.unpin();
    }

    /** The identity of the queue's own segment. */
    SegmentId id() {
        return segment.id;
    }

    /** The bound given at creation, or 0. */
    public int maxsize() {
        return maxsize;
    }

    /** The buffer size a system property asks for: a power of two from 4 KiB to 512 MiB. */
    static int bufferBytes(String property, int fallback) {
        long asked = Math.max(4096, Math.min(Long.getLong(property, fallback), 1L << 29));
        return (int) (Long.highestOneBit(asked - 1) << 1);
    }

    /**
     * Puts an encoded item, waiting for room at most {@code timeoutNanos} (negative: no limit;
     * zero: not at all, though a lock held by another process is waited for briefly). An
     * unbounded queue never waits for room: items the ring cannot take go to overflow segments.
     *
     * @return false if there was no room in time, or an unbounded queue is at its memory cap
     *         and {@code timeoutNanos} is not negative: nothing was put
     * @throws IllegalStateException if an unbounded queue is at its memory cap and
     *         {@code timeoutNanos} is negative (a {@code put}, which must not return false)
     * @throws java.io.UncheckedIOException if an unbounded queue needs an overflow segment and
     *         there is no room for one (nothing was put)
     */
    public boolean put(Object item, String what, long timeoutNanos, Guard guard)
            throws InterruptedException {
        boolean raw = item instanceof byte[];
        byte[] bytes = raw ? (byte[]) item : ItemCodec.encodeTagged(item, what);
        Backoff backoff = timeoutNanos < 0 ? Backoff.untimed() : Backoff.timed(timeoutNanos);
        try (Backoff lockWait = timeoutNanos == 0 ? Backoff.timed(LOCK_PATIENCE_NANOS) : null) {
            Acquisition got = ring.lockForWriting(lockWait != null ? lockWait : backoff, guard);
            if (got == Acquisition.TIMED_OUT) {
                return false;
            }
            try {
                if (chain != null) {
                    if (got == Acquisition.TAKEN_OVER) {
                        chain.repairAfterDeadProducer();
                    }
                    if (chain.write(raw ? Ring.RAW : 0, bytes, bytes.length, backoff, guard)) {
                        return true;
                    }
                    if (timeoutNanos >= 0) {
                        return false;
                    }
                    throw new IllegalStateException("queue full: its unread items use " + (ring.capacity()
                            + chain.overflowBytes()) + " bytes of shared memory and one of " + bytes.length
                            + " bytes more would pass the most it may use, " + chain.maxBytes() + " bytes (-D"
                            + OverflowSegments.MAX_BYTES_PROPERTY + ")");
                }
                if (maxsize > 0) {
                    backoff.on(ring.roomWaiters);
                    while (ring.put() - ring.taken() >= maxsize) {
                        guard.check(backoff.slowCheckDue());
                        if (!backoff.idle() && ring.put() - ring.taken() >= maxsize) {
                            return false;
                        }
                    }
                }
                return ring.write(raw ? Ring.RAW : 0, bytes, 0, bytes.length, backoff, guard);
            } finally {
                ring.producerLock.release();
            }
        } finally {
            backoff.close();
        }
    }

    /**
     * Takes an item, waiting at most {@code timeoutNanos} (negative: no limit).
     *
     * @return the item, or {@link #NOTHING} if none came in time
     * @throws IllegalStateException if the item cannot be decoded here (it is consumed)
     */
    public Object take(long timeoutNanos, Guard guard) throws InterruptedException {
        Backoff backoff = timeoutNanos < 0 ? Backoff.untimed() : Backoff.timed(timeoutNanos);
        byte[] message;
        boolean raw;
        try (Backoff lockWait = timeoutNanos == 0 ? Backoff.timed(LOCK_PATIENCE_NANOS) : null) {
            Acquisition got = ring.lockForReading(lockWait != null ? lockWait : backoff, guard);
            if (got == Acquisition.TIMED_OUT) {
                return NOTHING;
            }
            try {
                if (chain != null) {
                    if (got == Acquisition.TAKEN_OVER) {
                        chain.repairAfterDeadConsumer();
                    }
                    message = chain.read(backoff, guard);
                    raw = chain.lastReadRaw;
                } else {
                    message = ring.read(backoff, guard);
                    raw = ring.lastReadRaw;
                }
            } finally {
                ring.consumerLock.release();
            }
        } finally {
            backoff.close();
        }
        return message == null ? NOTHING : ItemCodec.decode(message, raw);
    }

    /**
     * Takes every item there is now, waiting up to {@code lockPatienceNanos} for the consumer
     * lock (taking it over from a dead holder) but never for items.
     */
    public java.util.List<Object> drain(long lockPatienceNanos) throws InterruptedException {
        java.util.List<Object> items = new java.util.ArrayList<>();
        try (Backoff lockWait = Backoff.timed(lockPatienceNanos)) {
            Acquisition got = ring.lockForReading(lockWait, Guard.NONE);
            if (got == Acquisition.TIMED_OUT) {
                return items;
            }
            try {
                if (chain != null && got == Acquisition.TAKEN_OVER) {
                    chain.repairAfterDeadConsumer();
                }
                while (true) {
                    byte[] m;
                    boolean raw;
                    try (Backoff once = Backoff.timed(0)) {
                        if (chain != null) {
                            m = chain.read(once, Guard.NONE);
                            raw = chain.lastReadRaw;
                        } else {
                            m = ring.read(once, Guard.NONE);
                            raw = ring.lastReadRaw;
                        }
                    }
                    if (m == null) {
                        break;
                    }
                    items.add(ItemCodec.decode(m, raw));
                }
            } finally {
                ring.consumerLock.release();
            }
        }
        return items;
    }

    /** Items put and not yet taken; exact only when nobody is putting or taking. */
    public int size() {
        return (int) Math.min(Integer.MAX_VALUE, chain != null ? chain.size() : ring.size());
    }

    public boolean isEmpty() {
        return chain != null ? !chain.hasData() : !ring.hasData();
    }

    /**
     * One item fewer is unfinished; false if none was. Every item put counts as unfinished
     * until then; only {@code JoinableProcessQueue} asks.
     */
    public boolean taskDone() {
        return chain != null ? ring.countDone(chain::put) : ring.countDone();
    }

    /** Waits until no item is unfinished, at most {@code timeoutNanos} (negative: no limit). */
    public boolean join(long timeoutNanos, Guard guard) throws InterruptedException {
        try (Backoff backoff = (timeoutNanos < 0 ? Backoff.untimed() : Backoff.timed(timeoutNanos))
                .on(ring.joinWaiters)) {
            while (unfinished() > 0) {
                guard.check(backoff.slowCheckDue());
                if (!backoff.idle()) {
                    return unfinished() <= 0;
                }
            }
            return true;
        }
    }

    public long unfinished() {
        return chain != null ? ring.unfinished(chain.put()) : ring.unfinished();
    }

    @Override
    public String toString() {
        return segment.toString();
    }
}
