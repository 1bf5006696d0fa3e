package org.multiprocessing4j.internal.channel;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.multiprocessing4j.internal.shm.Backoff;
import org.multiprocessing4j.internal.shm.CacheLine;
import org.multiprocessing4j.internal.shm.Guard;
import org.multiprocessing4j.internal.shm.OverflowSegments;
import org.multiprocessing4j.internal.shm.SegmentHeader;
import org.multiprocessing4j.internal.shm.SegmentId;
import org.multiprocessing4j.internal.shm.SharedSegment;
import org.multiprocessing4j.internal.shm.Words;

/**
 * What makes an unbounded queue unbounded: when its own ring has no room for an item, the item
 * goes to a further ring in a segment of its own ({@link OverflowSegments}), so that {@code put}
 * never waits for a consumer, as Python's {@code Queue()} does not.
 *
 * <p><b>Legs.</b> The items of the queue form a chain of legs, numbered from 0: each leg is
 * either the queue's own ring (a "main" leg) or one overflow segment, used for that leg only.
 * The producer (the holder of the producer lock) writes to leg {@code prodLeg}; it moves on to
 * {@code prodLeg + 1} only forward: from the main ring when it is full to a new overflow
 * segment; from an overflow segment when it is full to the next new one; and from an overflow
 * segment back to the main ring once the consumer has read everything (it is then on the
 * producer's leg, which is empty). The consumer (the holder of the consumer lock) reads leg
 * {@code consLeg} and moves to the next once the leg is empty and the producer has left it, so
 * the items come out in the order they were put. Only the producer moves back to the main ring,
 * and only when the consumer is on its leg, so between the two there is at most one main leg:
 * {@code lastMainLeg}, which tells both of them which leg is the main ring.
 *
 * <p><b>Counts.</b> Every ring keeps its own exact counts (see {@link Ring}). Items put are the
 * main ring's, plus those of the overflow legs still in use, plus those of the legs the
 * consumer has left, which it adds to {@code retired} as it leaves one, with the same redo
 * record as a ring's counts: a consumer killed anywhere in between leaves them exact.
 *
 * <p><b>Deaths.</b> The producer publishes a new leg (the store of {@code prodLeg}) only once its
 * segment is whole, so a producer killed before leaves at most an unpublished file, which the
 * next one replaces. Whoever takes a lock over from a dead holder mends the rings of the legs
 * in use as it mends the main ring ({@link #repairAfterDeadProducer}, {@link #repairAfterDeadConsumer}).
 *
 * <p>Layout, at {@code at} of the queue's segment ({@link #LENGTH} bytes): the producer's line
 * ({@code prodLeg}, {@code lastMainLeg}, bytes of overflow segments in use, the most the queue
 * may use), and the consumer's line ({@code consLeg}, {@code retired} and its redo record).
 */
final class OverflowChain {
    static final int LENGTH = 2 * CacheLine.LENGTH;
    private static final int PROD_LEG = 0;
    private static final int LAST_MAIN_LEG = PROD_LEG + Long.BYTES;
    private static final int OVERFLOW_BYTES = LAST_MAIN_LEG + Long.BYTES;
    private static final int MAX_BYTES = OVERFLOW_BYTES + Long.BYTES;
    private static final int CONS_LEG = CacheLine.LENGTH;
    private static final int RETIRED = CONS_LEG + Long.BYTES;
    private static final int NOTED_LEG = RETIRED + Long.BYTES;
    private static final int NOTED_RETIRED = NOTED_LEG + Long.BYTES;
    /** Where the ring of an overflow segment starts. */
    private static final int OVERFLOW_RING_OFFSET = CacheLine.align(SegmentHeader.LENGTH);
    /** The largest overflow ring: a power of two that an int position within a segment can reach. */
    private static final long MAX_OVERFLOW_RING = 1 << 30;

    private final ByteBuffer buffer;
    private final int at;
    private final Ring main;
    private final SegmentId queue;
    /** This JVM's mappings of the overflow legs it has used and the consumer has not left. */
    private final Map<Long, Leg> legs = new ConcurrentHashMap<>();
    /** The consumer's leg while it reads, for {@link Ring#read}: guarded by the consumer lock. */
    private final LeftWatch left = new LeftWatch();
    /** Set by {@link #read}, for its caller while it still holds the consumer lock. */
    boolean lastReadRaw;
    /** Whether this JVM has used an overflow leg: then, once it drops the queue, it looks for files left. */
    private volatile boolean overflowed;

    private static final class Leg {
        final SharedSegment segment;
        final Ring ring;

        Leg(SharedSegment segment, Ring ring) {
            this.segment = segment;
            this.ring = ring;
        }
    }

    private final class LeftWatch implements BooleanSupplier {
        long leg;

        @Override
        public boolean getAsBoolean() {
            return prodLeg() > leg;
        }
    }

    OverflowChain(ByteBuffer buffer, int at, Ring main, SegmentId queue) {
        this.buffer = buffer;
        this.at = at;
        this.main = main;
        this.queue = queue;
    }

    /** Sets the words of a new chain that are not zero. */
    static void initialize(ByteBuffer buffer, int at, long maxBytes) {
        Words.setRelease(buffer, at + MAX_BYTES, maxBytes);
    }

    private long prodLeg() {
        return Words.getAcquire(buffer, at + PROD_LEG);
    }

    private long lastMainLeg() {
        return Words.getAcquire(buffer, at + LAST_MAIN_LEG);
    }

    private long consLeg() {
        return Words.getAcquire(buffer, at + CONS_LEG);
    }

    /** The most bytes of shared memory the queue may use, its own segment included. */
    long maxBytes() {
        return Words.getAcquire(buffer, at + MAX_BYTES);
    }

    /** Bytes of the overflow segments in use now. */
    long overflowBytes() {
        return Words.getVolatile(buffer, at + OVERFLOW_BYTES);
    }

    /** The ring of overflow leg {@code leg}, mapped into this JVM if it is not yet. */
    private Ring ring(long leg) {
        Leg l = legs.get(leg);
        if (l == null) {
            SharedSegment s = OverflowSegments.attach(queue, leg);
            l = new Leg(s, new Ring(s.buffer, OVERFLOW_RING_OFFSET,
                    s.buffer.capacity() - OVERFLOW_RING_OFFSET - Ring.HEADER_BYTES, main));
            Leg known = legs.putIfAbsent(leg, l);
            l = known != null ? known : l;
            markOverflowed();
        }
        return l.ring;
    }

    /**
     * Writes one message, never waiting for room: to the leg the producer is on, or to the next
     * one if that has no room. The caller holds the producer lock.
     *
     * @return false if a new overflow segment would take the queue past its {@link #maxBytes()}:
     *         nothing was written
     * @throws java.io.UncheckedIOException if no directory has room for a new overflow segment
     *         (nothing was written)
     */
    boolean write(int flags, byte[] body, int length, Backoff backoff, Guard guard) throws InterruptedException {
        long p = prodLeg();
        if (lastMainLeg() == p) {
            if (main.hasRoomFor(length)) {
                return write(main, flags, body, length, backoff, guard);
            }
            return openOverflow(p + 1, flags, body, length, backoff, guard);
        }
        Ring r = ring(p);
        if (consLeg() == p && r.drained() && !main.hasData() && main.hasRoomFor(length)) {
            returnToMain(p);
            return write(main, flags, body, length, backoff, guard);
        }
        if (r.hasRoomFor(length)) {
            return write(r, flags, body, length, backoff, guard);
        }
        return openOverflow(p + 1, flags, body, length, backoff, guard);
    }

    private static boolean write(Ring r, int flags, byte[] body, int length, Backoff backoff, Guard guard)
            throws InterruptedException {
        if (!r.write(flags, body, 0, length, backoff, guard)) {
            throw new IllegalStateException("no room for " + length + " bytes in a ring that had room");
        }
        return true;
    }

    /** The producer, from an empty overflow leg {@code p} the consumer is on, goes back to the main ring. */
    private void returnToMain(long p) {
        // Which leg is the main ring first: a consumer that sees the new prodLeg must know.
        Words.setRelease(buffer, at + LAST_MAIN_LEG, p + 1);
        Ring.mayDieHere("return: main leg noted");
        Words.setRelease(buffer, at + PROD_LEG, p + 1);
    }

    private boolean openOverflow(long leg, int flags, byte[] body, int length, Backoff backoff, Guard guard)
            throws InterruptedException {
        // Room for the item whole, in at most five chunks and a wrap: 4/3 of it would do.
        long fits = Long.highestOneBit(length + length / 2 + 4096) << 1;
        if (fits > MAX_OVERFLOW_RING) {
            throw new IllegalArgumentException("an item of " + length + " bytes is too big for a queue: the most is "
                    + (MAX_OVERFLOW_RING / 3 * 2) + " bytes");
        }
        int capacity = Math.max(main.capacity() * 4, (int) fits);
        long size = OVERFLOW_RING_OFFSET + (long) Ring.footprint(capacity);
        if ((long) main.capacity() + overflowBytes() + size > maxBytes()) {
            return false;
        }
        SharedSegment s = OverflowSegments.create(queue, leg, size);
        Ring r = new Ring(s.buffer, OVERFLOW_RING_OFFSET, capacity, main);
        r.initialize();
        if (!r.hasRoomFor(length)) {
            throw new IllegalStateException("a new overflow ring of " + capacity + " bytes has no room for " + length);
        }
        legs.put(leg, new Leg(s, r));
        markOverflowed();
        Words.getAndAdd(buffer, at + OVERFLOW_BYTES, size);
        Ring.mayDieHere("overflow: segment made");
        // The commit point: the segment is whole, and the consumer may move to it.
        Words.setRelease(buffer, at + PROD_LEG, leg);
        Ring.mayDieHere("overflow: leg published");
        return write(r, flags, body, length, backoff, guard);
    }

    /**
     * Reads one whole message, moving along the legs as they are left; the caller holds the
     * consumer lock. Waits as {@code backoff} allows.
     *
     * @return the message, or null if the time ran out; {@link #lastReadRaw} says whether it
     *         was written raw
     */
    byte[] read(Backoff backoff, Guard guard) throws InterruptedException {
        while (true) {
            long c = consLeg();
            boolean onMain = lastMainLeg() == c;
            Ring r = onMain ? main : ring(c);
            if (!onMain && !r.hasData() && tryReturnToMain(c, r)) {
                continue;
            }
            left.leg = c;
            byte[] m = r.read(backoff, guard, left);
            if (m != Ring.MOVED_ON) {
                lastReadRaw = r.lastReadRaw;
                if (m != null && !onMain && !r.hasData()) {
                    // Read to the end: give the segment back at once if the producer is idle.
                    tryReturnToMain(c, r);
                }
                return m;
            }
            leave(c, onMain ? null : r);
            backoff.progress();
        }
    }

    /**
     * For the consumer on an empty overflow leg that is also the producer's: if no producer is
     * busy, moves the producer back to the main ring, so that the consumer can leave the leg
     * and delete its segment (a queue read to the end holds no overflow segment).
     *
     * @return whether the consumer left the leg (it is on the main ring now)
     */
    private boolean tryReturnToMain(long c, Ring r) {
        if (prodLeg() != c || !main.producerLock.tryAcquireFree()) {
            return false;
        }
        boolean moved = false;
        try {
            if (prodLeg() == c && lastMainLeg() != c && r.drained() && !main.hasData()) {
                returnToMain(c);
                moved = true;
            }
        } finally {
            main.producerLock.release();
        }
        if (moved) {
            leave(c, r);
        }
        return moved;
    }

    /** The consumer leaves leg {@code c} (empty, and left by the producer) for the next. */
    private void leave(long c, Ring overflow) {
        if (overflow == null) {
            Words.setRelease(buffer, at + CONS_LEG, c + 1);
            return;
        }
        long retired = retired() + overflow.put();
        // The redo record (the leg it is for first, so that a record half written is for a leg
        // not yet reached and ignored), then the commit point, then the count: see Ring.commit.
        Words.setRelease(buffer, at + NOTED_LEG, c + 1);
        Ring.mayDieHere("leave: leg noted");
        Words.setRelease(buffer, at + NOTED_RETIRED, retired);
        Ring.mayDieHere("leave: count noted");
        Words.setRelease(buffer, at + CONS_LEG, c + 1);
        Ring.mayDieHere("leave: leg moved");
        Words.setRelease(buffer, at + RETIRED, retired);
        Ring.mayDieHere("leave: count stored");
        forget(c);
    }

    /** Deletes the segment of a leg the consumer has left, and stops counting its bytes. */
    private void forget(long leg) {
        Leg l = legs.remove(leg);
        OverflowSegments.delete(queue, leg);
        if (l != null) {
            Words.getAndAdd(buffer, at + OVERFLOW_BYTES, -l.segment.buffer.capacity());
        }
    }

    /** Items of the overflow legs the consumer has left. */
    private long retired() {
        long noted = Words.getAcquire(buffer, at + NOTED_RETIRED);
        long notedLeg = Words.getAcquire(buffer, at + NOTED_LEG);
        long leg = consLeg();
        long stored = Words.getAcquire(buffer, at + RETIRED);
        return notedLeg <= leg ? Math.max(stored, noted) : stored;
    }

    /**
     * For the producer that took the lock over from a dead one (after the main ring's own
     * mending): mends the overflow leg it was writing, and forgets a move back to the main ring
     * it had begun but not published.
     */
    void repairAfterDeadProducer() {
        long p = prodLeg();
        if (lastMainLeg() > p) {
            Words.setRelease(buffer, at + LAST_MAIN_LEG, -1L);
        }
        if (lastMainLeg() != p) {
            ring(p).repairAfterDeadProducer();
        }
    }

    /**
     * For the consumer that took the lock over from a dead one (after the main ring's own
     * mending): mends the overflow leg it was reading, settles its redo record, and deletes
     * the segment of the leg it had just left, if it died before it could.
     */
    void repairAfterDeadConsumer() {
        long c = consLeg();
        long count = retired();
        Words.setRelease(buffer, at + RETIRED, count);
        Words.setRelease(buffer, at + NOTED_RETIRED, count);
        Words.setRelease(buffer, at + NOTED_LEG, c);
        if (lastMainLeg() != c) {
            ring(c).repairAfterDeadConsumer();
        }
        if (c > 0) {
            // (Its bytes stay counted: the cap errs on the safe side after such a death.)
            OverflowSegments.delete(queue, c - 1);
            legs.remove(c - 1);
        }
    }

    /** Whether any leg in use holds a byte of a message. */
    boolean hasData() {
        if (main.hasData()) {
            return true;
        }
        for (long l = consLeg(), p = prodLeg(); l <= p; l++) {
            Ring r = overflowRingInUse(l);
            if (r != null && r.hasData()) {
                return true;
            }
        }
        return false;
    }

    /** Messages put and not yet taken, over every leg in use. */
    long size() {
        return main.size() + sumOverLegsInUse(Ring::size);
    }

    /**
     * Messages ever put. A consumer leaving a leg meanwhile can make it count twice, never not
     * at all: the legs in use are read before the retired count.
     */
    long put() {
        return main.put() + sumOverLegsInUse(Ring::put) + retired();
    }

    private long sumOverLegsInUse(java.util.function.ToLongFunction<Ring> count) {
        long n = 0;
        for (long l = consLeg(), p = prodLeg(); l <= p; l++) {
            Ring r = overflowRingInUse(l);
            if (r != null) {
                n += count.applyAsLong(r);
            }
        }
        return n;
    }

    /** The ring of leg {@code l} if it is an overflow leg still in use, else null. */
    private Ring overflowRingInUse(long l) {
        if (l == lastMainLeg()) {
            return null;
        }
        try {
            return ring(l);
        } catch (IllegalStateException gone) {
            if (consLeg() > l) {
                return null; // left and deleted by the consumer meanwhile: counted as retired
            }
            throw gone;
        }
    }

    /**
     * Notes that this JVM uses an overflow leg of the queue: once it drops the queue, or exits,
     * it deletes the overflow segments unless another process still has the queue (a queue
     * dropped with items unread in them).
     */
    private void markOverflowed() {
        if (!overflowed) {
            synchronized (this) {
                if (!overflowed) {
                    overflowed = true;
                    Abandoned.watch(this, queue);
                }
            }
        }
    }

    /** The queues this JVM has used overflow segments of, and what it does once it drops one or exits. */
    private static final class Abandoned implements Runnable {
        private static final java.lang.ref.Cleaner CLEANER = java.lang.ref.Cleaner.create();
        private static final java.util.Set<SegmentId> WATCHED = ConcurrentHashMap.newKeySet();
        private final SegmentId queue;

        static {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> WATCHED.forEach(OverflowSegments::deleteIfAbandoned),
                    "multiprocessing4j overflow clean-up"));
        }

        private Abandoned(SegmentId queue) {
            this.queue = queue;
        }

        static void watch(OverflowChain chain, SegmentId queue) {
            WATCHED.add(queue);
            CLEANER.register(chain, new Abandoned(queue));
        }

        @Override
        public void run() {
            WATCHED.remove(queue);
            OverflowSegments.deleteIfAbandoned(queue);
        }
    }
}
