package org.multiprocessing4j.internal.channel;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import org.multiprocessing4j.internal.codec.ItemCodec;
import org.multiprocessing4j.internal.platform.ProcessToken;
import org.multiprocessing4j.internal.shm.Backoff;
import org.multiprocessing4j.internal.shm.CacheLine;
import org.multiprocessing4j.internal.shm.Guard;
import org.multiprocessing4j.internal.shm.SegmentHeader;
import org.multiprocessing4j.internal.shm.SegmentKind;
import org.multiprocessing4j.internal.shm.SegmentLocator;
import org.multiprocessing4j.internal.shm.SharedMutex.Acquisition;
import org.multiprocessing4j.internal.shm.SharedSegment;
import org.multiprocessing4j.internal.shm.Transit;
import org.multiprocessing4j.internal.shm.Words;

/**
 * The shared part of one {@code ProcessPipe}: one {@link Ring} per direction (one for a one-way
 * pipe) in one {@link SharedSegment}, and for each end a table of the processes that hold it.
 * One instance per pipe per JVM.
 *
 * <p>End-of-file works as with the file descriptors of a Python pipe: a reader sees it once the
 * ring is empty and no live process holds the other end any more (each closed it, or died).
 * A holder slot holds a {@link ProcessToken}; a slot reserved for an end travelling to a child
 * holds the sender's pid, a sequence number and {@link #TRANSIT} until the child claims it.
 */
public final class PipeChannel {
    /** Bytes of shared memory per direction unless the system property says otherwise. */
    public static final String BUFFER_PROPERTY = "multiprocessing4j.pipeBufferBytes";
    private static final int DEFAULT_BUFFER = 1 << 20;
    // Layout: the segment header; DUPLEX_OFFSET (long, 1 if duplex); from HOLDERS_OFFSET, for
    // each end, HOLDER_SLOT_COUNT holder words; from RINGS_OFFSET, one ring per direction.
    private static final int DUPLEX_OFFSET = SegmentHeader.LENGTH;
    private static final int HOLDERS_OFFSET = CacheLine.align(DUPLEX_OFFSET + Long.BYTES);
    private static final int HOLDER_SLOT_COUNT = 32;
    private static final int RINGS_OFFSET = HOLDERS_OFFSET + 2 * HOLDER_SLOT_COUNT * Long.BYTES;
    private static final long TRANSIT = 1L << 63;
    private static final AtomicInteger TRANSIT_SEQUENCE = new AtomicInteger();

    /** What {@link #receive} returns when the time ran out. */
    public static final Object NOTHING = new Object();

    private final SharedSegment segment;
    private final ByteBuffer buffer;
    private final boolean duplex;
    /** rings[0] carries messages to the first end, rings[1] to the second (duplex only). */
    private final Ring[] rings;
    private final int[] localUsers = new int[2]; // guarded by this
    private final int[] mySlot = {-1, -1}; // guarded by this

    private PipeChannel(SharedSegment segment) {
        segment.checkKind(SegmentKind.PIPE);
        this.segment = segment;
        this.buffer = segment.buffer;
        this.duplex = Words.getAcquire(buffer, DUPLEX_OFFSET) != 0;
        int ringBytes = (buffer.capacity() - RINGS_OFFSET) / (duplex ? 2 : 1) - Ring.HEADER_BYTES;
        rings = duplex
                ? new Ring[] {new Ring(buffer, RINGS_OFFSET, ringBytes),
                        new Ring(buffer, RINGS_OFFSET + Ring.footprint(ringBytes), ringBytes)}
                : new Ring[] {new Ring(buffer, RINGS_OFFSET, ringBytes)};
    }

    /**
     * Makes a pipe; this JVM holds both ends.
     *
     * @throws java.io.UncheckedIOException if the shared memory cannot be made
     */
    public static PipeChannel create(boolean duplex) {
        int bytes = QueueChannel.bufferBytes(BUFFER_PROPERTY, DEFAULT_BUFFER);
        int rings = duplex ? 2 : 1;
        SharedSegment s = SharedSegment.create(SegmentKind.PIPE, RINGS_OFFSET + (long) rings * Ring.footprint(bytes), "a pipe");
        Words.setRelease(s.buffer, DUPLEX_OFFSET, duplex ? 1L : 0L);
        for (int r = 0; r < rings; r++) {
            new Ring(s.buffer, RINGS_OFFSET + r * Ring.footprint(bytes), bytes).initialize();
        }
        PipeChannel p = s.channel(PipeChannel::new);
        p.open(0, -1, 0);
        p.open(1, -1, 0);
        return p;
    }

    public boolean duplex() {
        return duplex;
    }

    /** Whether {@code end} (0 = first, 1 = second) may send. */
    public boolean canSend(int end) {
        return duplex || end == 1;
    }

    /** Whether {@code end} may receive. */
    public boolean canReceive(int end) {
        return duplex || end == 0;
    }

    private Ring incoming(int end) {
        return duplex ? rings[end] : rings[0];
    }

    private Ring outgoing(int end) {
        return duplex ? rings[1 - end] : rings[0];
    }

    /**
     * Counts one more user of {@code end} in this JVM, claiming a holder slot for this JVM the
     * first time ({@code reserved}/{@code transitToken}: a slot reserved for it by the sender).
     *
     * @throws IllegalStateException if the end has as many holders as it can track
     */
    synchronized void open(int end, int reserved, long transitToken) {
        long me = ProcessToken.current();
        if (localUsers[end]++ > 0) {
            if (reserved >= 0) {
                Words.cas(buffer, slotAt(end, reserved), transitToken, 0L);
            }
            return;
        }
        if (reserved >= 0 && Words.cas(buffer, slotAt(end, reserved), transitToken, me)) {
            mySlot[end] = reserved;
            return;
        }
        mySlot[end] = reserveSlot(end, me);
    }

    private int reserveSlot(int end, long token) {
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < HOLDER_SLOT_COUNT; i++) {
                int at = slotAt(end, i);
                long held = Words.getVolatile(buffer, at);
                if (held == 0 && Words.cas(buffer, at, 0L, token)) {
                    return i;
                }
            }
            pruneDeadHolders(end);
        }
        throw new IllegalStateException("the " + (end == 0 ? "first" : "second") + " end of this pipe is held by "
                + HOLDER_SLOT_COUNT + " live processes already; close it in the processes that do not use it");
    }

    /** Counts one user fewer; the last one in this JVM gives up this JVM's holder slot. */
    public synchronized void release(int end) {
        if (localUsers[end] == 0 || --localUsers[end] > 0) {
            return;
        }
        int slot = mySlot[end];
        mySlot[end] = -1;
        if (slot >= 0) {
            Words.cas(buffer, slotAt(end, slot), ProcessToken.current(), 0L);
        }
        if (localUsers[0] == 0 && localUsers[1] == 0) {
            segment.unpin();
        }
        // Whoever waits at the other end must look again: it may be end-of-file now.
        for (Ring r : rings) {
            r.wakeEveryone();
        }
    }

    /**
     * A handle to {@code end} for another process, with a holder slot reserved for it (see
     * {@link Transit}).
     */
    public Serializable handle(int end) {
        long token = TRANSIT | ((long) (TRANSIT_SEQUENCE.incrementAndGet() & 0x7fff_ffff) << 32)
                | ProcessHandle.current().pid();
        int slot = reserveSlot(end, token);
        int at = slotAt(end, slot);
        Transit.onRelease(() -> Words.cas(buffer, at, token, 0L));
        return new EndHandle(segment.locator(), end, slot, token);
    }

    /** What travels for a pipe end. */
    private static final class EndHandle implements Serializable {
        private static final long serialVersionUID = 1L;
        final SegmentLocator locator;
        final int end;
        final int slot;
        final long token;

        EndHandle(SegmentLocator locator, int end, int slot, long token) {
            this.locator = locator;
            this.end = end;
            this.slot = slot;
            this.token = token;
        }
    }

    /**
     * The pipe a handle from {@link #handle} names, attached in this JVM with one more user of
     * that end; returns the end.
     */
    public static PipeChannel attach(Serializable handle) {
        EndHandle h = (EndHandle) handle;
        PipeChannel p = SharedSegment.attach(h.locator).channel(PipeChannel::new);
        p.open(h.end, h.slot, h.token);
        return p;
    }

    /** The end a handle names. */
    public static int endOf(Serializable handle) {
        return ((EndHandle) handle).end;
    }

    /** Whether some live process other than a closed one holds {@code end}. */
    boolean isHeld(int end) {
        for (int i = 0; i < HOLDER_SLOT_COUNT; i++) {
            long held = Words.getVolatile(buffer, slotAt(end, i));
            if (held != 0 && isAlive(held)) {
                return true;
            }
        }
        return false;
    }

    private void pruneDeadHolders(int end) {
        for (int i = 0; i < HOLDER_SLOT_COUNT; i++) {
            int at = slotAt(end, i);
            long held = Words.getVolatile(buffer, at);
            if (held != 0 && !isAlive(held)) {
                Words.cas(buffer, at, held, 0L);
            }
        }
    }

    private static boolean isAlive(long held) {
        if ((held & TRANSIT) != 0) {
            long pid = held & 0xffff_ffffL;
            return pid == ProcessHandle.current().pid()
                    || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
        return ProcessToken.isAlive(held);
    }

    private static int slotAt(int end, int slot) {
        return HOLDERS_OFFSET + (end * HOLDER_SLOT_COUNT + slot) * 8;
    }

    /**
     * Sends an encoded message from {@code end}, waiting for room as long as the other end is
     * held somewhere.
     *
     * @param flags {@link Ring#RAW} for bytes sent as they are
     * @throws PeerGone if the other end is closed everywhere while this waits for room
     */
    public void send(int end, byte[] bytes, int offset, int length, boolean raw, Guard guard)
            throws InterruptedException {
        Ring ring = outgoing(end);
        Guard g = slow -> {
            guard.check(slow);
            if (slow && !isHeld(1 - end)) {
                throw new PeerGone();
            }
        };
        try (Backoff backoff = Backoff.untimed()) {
            Acquisition got = ring.lockForWriting(backoff, g);
            try {
                ring.write(raw ? Ring.RAW : 0, bytes, offset, length, backoff, g);
            } finally {
                ring.producerLock.release();
            }
        }
    }

    /** Encodes {@code item} for {@link #send(int, ItemCodec.Encoded, Guard)}; throws in the caller's thread if it cannot be. */
    public static ItemCodec.Encoded encode(Object item) {
        return ItemCodec.encode(item, "an object sent through a pipe");
    }

    /** Sends a message made by {@link #encode}. */
    public void send(int end, ItemCodec.Encoded e, Guard guard) throws InterruptedException {
        send(end, e.bytes, 0, e.length, e.raw, guard);
    }

    /**
     * Receives the next message at {@code end}, as bytes, waiting at most {@code timeoutNanos}
     * (negative: no limit).
     *
     * @param maxLength the longest message accepted; a longer one stays in the pipe
     * @return the message, or {@link #NOTHING} if the time ran out; {@code rawOut[0]} says
     *         whether it was sent as raw bytes
     * @throws PeerGone if the pipe is empty and the other end is closed everywhere
     * @throws TooLong if the next message is longer than {@code maxLength}
     */
    public Object receive(int end, long timeoutNanos, int maxLength, boolean[] rawOut, Guard guard)
            throws InterruptedException {
        Ring ring = incoming(end);
        Guard g = eofGuard(end, ring, guard);
        try (Backoff backoff = timeoutNanos < 0 ? Backoff.untimed() : Backoff.timed(timeoutNanos)) {
            Acquisition got = ring.lockForReading(backoff, g);
            if (got == Acquisition.TIMED_OUT) {
                return NOTHING;
            }
            try {
                if (maxLength < Integer.MAX_VALUE) {
                    backoff.on(ring.dataWaiters);
                    while (!ring.hasData()) {
                        g.check(backoff.slowCheckDue());
                        if (!backoff.idle() && !ring.hasData()) {
                            return NOTHING;
                        }
                    }
                    int length = ring.peekLength();
                    if (length > maxLength) {
                        throw new TooLong(length);
                    }
                }
                byte[] message = ring.read(backoff, g);
                if (message == null) {
                    return NOTHING;
                }
                rawOut[0] = ring.lastReadRaw;
                return message;
            } finally {
                ring.consumerLock.release();
            }
        }
    }

    /** Decodes a message from {@link #receive}. */
    public static Object decode(byte[] message, boolean raw) {
        return ItemCodec.decode(message, raw);
    }

    private Guard eofGuard(int end, Ring ring, Guard guard) {
        return slow -> {
            guard.check(slow);
            // Data written before the last holder closed or died is visible once the slot is.
            if (slow && !isHeld(1 - end) && !ring.hasData()) {
                throw new PeerGone();
            }
        };
    }

    /**
     * Waits at most {@code timeoutNanos} until a message can be received at {@code end} or the
     * other end is gone.
     */
    public boolean poll(int end, long timeoutNanos, Guard guard) throws InterruptedException {
        Ring ring = incoming(end);
        Guard g = eofGuard(end, ring, guard);
        try (Backoff backoff = Backoff.timed(timeoutNanos).on(ring.dataWaiters)) {
            boolean first = true;
            while (!ring.hasData()) {
                try {
                    g.check(first || backoff.slowCheckDue());
                    first = false;
                } catch (PeerGone gone) {
                    return true;
                }
                if (!backoff.idle()) {
                    return ring.hasData();
                }
            }
            return true;
        }
    }

    /** The other end is closed in every process that held it (or they died). */
    public static final class PeerGone extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PeerGone() {
            super(null, null, false, false);
        }
    }

    /** The next message is longer than the caller accepts. */
    public static final class TooLong extends RuntimeException {
        private static final long serialVersionUID = 1L;
        public final int length;

        TooLong(int length) {
            super(null, null, false, false);
            this.length = length;
        }
    }

    @Override
    public String toString() {
        return segment.toString();
    }
}
