package org.multiprocessing4j.internal.channel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.multiprocessing4j.internal.shm.Backoff;
import org.multiprocessing4j.internal.shm.Guard;
import org.multiprocessing4j.internal.shm.SharedMutex.Acquisition;
import org.multiprocessing4j.internal.shm.Words;
import org.multiprocessing4j.testing.Await;

/**
 * The ring's algorithm in one JVM, over a direct buffer: records, PAD records at the end of the
 * ring, chunked (MORE/CONT) messages, the RAW flag, the counters ({@code put}, {@code taken},
 * {@code size}, {@code hasData}) after every step, a full ring, abandoned messages, a reader that
 * dies mid-message, and {@code peekLength}. Only the chunked-message test uses a second thread;
 * everything else runs in the test's thread with waits of zero ({@code Backoff.timed(0)}).
 *
 * <p>Record format (channels.md, "The ring"): {@code [int chunk length | flags][int message
 * length][bytes]} padded to 8, flags MORE = bit 31, CONT = bit 30, PAD = bit 29, RAW = bit 28.
 */
class RingTest {
    private static final int CAPACITY = 4096;
    /** The ring's offset in its buffer: not 0, to see that it keeps to its own bytes. */
    private static final int AT = 256;
    /** The longest message that travels as one record in a 4 KiB ring: a quarter, less the header. */
    private static final int MAX_CHUNK = CAPACITY / 4 - 8;
    private static final int MORE = 1 << 31;
    private static final int CONT = 1 << 30;
    private static final int PAD = 1 << 29;
    private static final int LENGTH_MASK = Ring.RAW - 1;
    /** A pid above Linux's highest possible pid_max: never alive. */
    private static final long DEAD_TOKEN = (12345L << 32) | 4_999_999L;
    private static final byte CANARY = (byte) 0xC3;

    /** What a test's dead process throws at a death point, as a SIGKILL stops it. */
    private static final class Died extends Error {
        Died() {
            super("simulated death", null, false, false);
        }
    }

    private ByteBuffer buffer;
    private Ring ring;
    private boolean producing;
    private boolean consuming;

    @BeforeEach
    void newRing() {
        ring = newRing(CAPACITY);
    }

    private Ring newRing(int capacity) {
        int bytes = AT + Ring.footprint(capacity) + 64;
        buffer = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
        for (int i = 0; i < bytes; i++) {
            if (i < AT || i >= AT + Ring.footprint(capacity)) {
                buffer.put(i, CANARY);
            }
        }
        Ring r = new Ring(buffer, AT, capacity);
        r.initialize();
        return r;
    }

    @AfterEach
    void cleanUp() {
        Ring.deathPoint = null;
        if (producing) {
            ring.producerLock.release();
        }
        if (consuming) {
            ring.consumerLock.release();
        }
        for (int i = 0; i < buffer.capacity(); i++) {
            if (i < AT || i >= AT + Ring.HEADER_BYTES + ringCapacity()) {
                assertEquals(CANARY, buffer.get(i), "expected byte " + i + ", outside the ring, to be untouched");
            }
        }
    }

    private int ringCapacity() {
        return buffer.capacity() - 64 - AT - Ring.HEADER_BYTES;
    }

    // ---- helpers ------------------------------------------------------------------------

    private static Backoff now() {
        return Backoff.timed(0);
    }

    private void lockBoth() throws InterruptedException {
        assertEquals(Acquisition.ACQUIRED, ring.lockForWriting(now(), Guard.NONE), "expected the free producer lock acquired");
        producing = true;
        assertEquals(Acquisition.ACQUIRED, ring.lockForReading(now(), Guard.NONE), "expected the free consumer lock acquired");
        consuming = true;
    }

    /** Holds the producer lock only: the consumer lock stays free, as with no consumer about. */
    private void lockForWritingOnly() throws InterruptedException {
        assertEquals(Acquisition.ACQUIRED, ring.lockForWriting(now(), Guard.NONE), "expected the free producer lock acquired");
        producing = true;
    }

    private long word(int offset) {
        return Words.getAcquire(buffer, AT + offset);
    }

    private long tail() {
        return word(RingLayout.TAIL_OFFSET);
    }

    private long head() {
        return word(RingLayout.HEAD_OFFSET);
    }

    /** The header int of the record at {@code position}. */
    private int header(long position) {
        return Words.getIntPlain(buffer, AT + Ring.HEADER_BYTES + (int) (position & (ringCapacity() - 1)));
    }

    private static int align(int n) {
        return (n + 7) & ~7;
    }

    /** Message {@code seq} of {@code length} bytes, every byte depending on both. */
    private static byte[] message(long seq, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (seq * 131 + i * 7 + (i >> 8));
        }
        return b;
    }

    private boolean write(int flags, byte[] m) throws InterruptedException {
        return ring.write(flags, m, 0, m.length, now(), Guard.NONE);
    }

    private void assertCounts(long put, long taken, long size, boolean hasData, String when) {
        assertEquals(put, ring.put(), when + ": expected put() " + put);
        assertEquals(taken, ring.taken(), when + ": expected taken() " + taken);
        assertEquals(size, ring.size(), when + ": expected size() " + size);
        assertEquals(hasData, ring.hasData(), when + ": expected hasData() " + hasData);
    }

    /** Writes and reads single records until the ring's positions reach {@code position}. */
    private long advanceTo(long position) throws InterruptedException {
        long n = 0;
        while (tail() < position) {
            int record = (int) Math.min(MAX_CHUNK + 8, position - tail());
            assertTrue(write(0, message(n, record - 8)), "expected a filler record to fit an empty ring");
            assertArrayEquals(message(n, record - 8), ring.read(now(), Guard.NONE), "expected the filler back");
            n++;
        }
        assertEquals(position, tail(), "expected the fillers to bring the tail to " + position);
        return n;
    }

    // ---- tests --------------------------------------------------------------------------

    @Test
    void capacityMustBeAPowerOfTwoOfAtLeast4096() {
        ByteBuffer b = ByteBuffer.allocateDirect(Ring.footprint(8192));
        assertThrows(IllegalArgumentException.class, () -> new Ring(b, 0, 2048), "expected 2048 refused (< 4096)");
        assertThrows(IllegalArgumentException.class, () -> new Ring(b, 0, 6144), "expected 6144 refused (not a power of two)");
        assertThrows(IllegalArgumentException.class, () -> new Ring(b, 0, 0), "expected 0 refused");
        assertEquals(Ring.HEADER_BYTES + 4096, Ring.footprint(4096), "expected footprint = header + capacity");
    }

    @Test
    void aNewRingIsEmpty() throws Exception {
        lockBoth();
        assertCounts(0, 0, 0, false, "new ring");
        assertEquals(-1L, word(RingLayout.OPEN_MESSAGE_OFFSET), "expected no open message in a new ring (-1)");
        assertEquals(-1L, word(RingLayout.ABANDONED_OFFSET), "expected no abandoned message in a new ring (-1)");
        assertNull(ring.read(now(), Guard.NONE), "expected read of an empty ring with no wait to return null");
        assertEquals(-1, ring.peekLength(), "expected peekLength of an empty ring to be -1");
        assertCounts(0, 0, 0, false, "after reading an empty ring");
    }

    /**
     * Random single-record messages (0 to a quarter of the ring, some exactly filling the rest of
     * the ring, some needing a PAD record), written and read in random order over hundreds of
     * laps, against a model of the positions: every write succeeds exactly when the model says
     * the record (and its PAD) fits, every PAD is where the model puts it, and after every step
     * the counters and both positions are what the model says.
     */
    @Test
    void manyLapsWithPadRecordsKeepMessagesWholeAndCountersExact() throws Exception {
        lockBoth();
        Random random = new Random(20240611L);
        int[] special = {0, 1, 7, 8, 9, 1000, MAX_CHUNK, MAX_CHUNK - 1, 504, 56};
        ArrayDeque<byte[]> inFlight = new ArrayDeque<>();
        ArrayDeque<Long> ends = new ArrayDeque<>();
        long modelTail = 0;
        long modelHead = 0;
        long seq = 0;
        long taken = 0;
        int pads = 0;
        int refused = 0;
        int exactFits = 0;
        for (int step = 0; step < 10_000; step++) {
            String when = "step " + step;
            if (inFlight.isEmpty() || random.nextInt(5) < 3) {
                int length = random.nextInt(4) == 0 ? special[random.nextInt(special.length)] : random.nextInt(MAX_CHUNK + 1);
                int record = align(8 + length);
                int contiguous = CAPACITY - (int) (modelTail & (CAPACITY - 1));
                long need = record <= contiguous ? record : (long) contiguous + record;
                boolean fits = modelTail + need - modelHead <= CAPACITY;
                // The message lies inside a larger array, to check offset and length are honoured.
                int offset = random.nextInt(16);
                byte[] m = message(seq, length);
                byte[] body = new byte[offset + length + 16];
                java.util.Arrays.fill(body, (byte) 0x77);
                System.arraycopy(m, 0, body, offset, length);
                boolean ok = ring.write(0, body, offset, length, now(), Guard.NONE);
                assertEquals(fits, ok, when + ": expected write of " + length + " bytes at tail " + modelTail + ", head "
                        + modelHead + " to " + (fits ? "succeed" : "fail (no room)"));
                if (!ok) {
                    refused++;
                } else {
                    if (record > contiguous) {
                        assertEquals(PAD | contiguous, header(modelTail), when + ": expected a PAD record of " + contiguous
                                + " bytes at " + modelTail);
                        modelTail += contiguous;
                        pads++;
                    } else if (record == contiguous) {
                        exactFits++;
                    }
                    assertEquals(length, header(modelTail) & LENGTH_MASK, when + ": expected the record's chunk length");
                    assertEquals(0, header(modelTail) & (MORE | CONT | PAD | Ring.RAW), when + ": expected no flags on a one-record message");
                    modelTail += record;
                    inFlight.add(m);
                    ends.add(modelTail);
                    seq++;
                }
            } else {
                byte[] got = ring.read(now(), Guard.NONE);
                assertNotNull(got, when + ": expected a message to read (" + inFlight.size() + " in the ring)");
                assertArrayEquals(inFlight.poll(), got, when + ": expected message #" + taken + " whole and in order");
                assertFalse(ring.lastReadRaw, when + ": expected a message written without RAW read as not raw");
                modelHead = ends.poll();
                taken++;
            }
            assertEquals(modelTail, tail(), when + ": expected the tail where the model has it");
            assertEquals(modelHead, head(), when + ": expected the head where the model has it");
            assertCounts(seq, taken, inFlight.size(), !inFlight.isEmpty(), when);
        }
        while (!inFlight.isEmpty()) {
            assertArrayEquals(inFlight.poll(), ring.read(now(), Guard.NONE), "expected the remaining messages in order");
            taken++;
        }
        assertNull(ring.read(now(), Guard.NONE), "expected nothing left");
        assertCounts(seq, taken, 0, false, "drained");
        assertTrue(modelTail / CAPACITY >= 300, "expected the test to go round the ring at least 300 times, went "
                + modelTail / CAPACITY);
        assertTrue(pads >= 50, "expected at least 50 PAD records, saw " + pads);
        assertTrue(refused >= 50, "expected at least 50 writes refused for lack of room, saw " + refused);
        assertTrue(exactFits >= 1, "expected at least one record exactly filling the end of the ring");
    }

    @Test
    void aFullRingRefusesAWriteAndLeavesNothing() throws Exception {
        lockBoth();
        for (int i = 0; i < 4; i++) {
            assertTrue(write(0, message(i, MAX_CHUNK)), "expected record " + i + " of 1 KiB to fit");
        }
        assertEquals(CAPACITY, tail() - head(), "expected 4 records of 1 KiB to fill the ring exactly");
        assertCounts(4, 0, 4, true, "full");

        assertFalse(write(0, new byte[0]), "expected even an empty message refused by a full ring");
        assertFalse(write(0, message(9, 2500)), "expected a chunked message refused by a full ring");
        assertFalse(write(Ring.RAW, message(9, 10)), "expected a raw message refused by a full ring");
        assertEquals(CAPACITY, tail(), "expected refused writes to leave the tail");
        assertEquals(-1L, word(RingLayout.OPEN_MESSAGE_OFFSET), "expected no open message after refused writes");
        assertEquals(-1L, word(RingLayout.ABANDONED_OFFSET), "expected nothing abandoned: no chunk was published");
        assertCounts(4, 0, 4, true, "after refused writes");

        assertArrayEquals(message(0, MAX_CHUNK), ring.read(now(), Guard.NONE), "expected the first message");
        assertCounts(4, 1, 3, true, "one read from the full ring");
        assertTrue(write(0, message(5, MAX_CHUNK)), "expected one record to fit the room the read made");
        assertFalse(write(0, new byte[0]), "expected the ring full again");
        for (int i : new int[] {1, 2, 3, 5}) {
            assertArrayEquals(message(i, MAX_CHUNK), ring.read(now(), Guard.NONE), "expected message " + i + " in order");
        }
        assertCounts(5, 5, 0, false, "drained");
    }

    @Test
    void aChunkedMessageIsRecordsWithMoreAndContAndReadsWhole() throws Exception {
        ring = newRing(4 * CAPACITY); // chunks of 4088 bytes; 5000 + 9000 bytes fit at once
        lockBoth();
        byte[] m = message(1, 5000);
        assertTrue(write(0, m), "expected a 5000-byte message to fit a 16 KiB ring");
        assertEquals(MORE | 4088, header(0), "expected the first record: 4088 bytes, MORE");
        assertEquals(5000, Words.getIntPlain(buffer, AT + Ring.HEADER_BYTES + 4), "expected the message length in every record");
        assertEquals(CONT | 912, header(4096), "expected the second record: 912 bytes, CONT, not MORE");
        assertEquals(4096 + align(8 + 912), tail(), "expected the tail after both records");
        assertEquals(-1L, word(RingLayout.OPEN_MESSAGE_OFFSET), "expected no open message once it is whole");
        assertCounts(1, 0, 1, true, "one chunked message");

        byte[] raw = message(2, 9000);
        assertTrue(write(Ring.RAW, raw), "expected a raw 9000-byte message to fit");
        assertEquals(MORE | Ring.RAW | 4088, header(5016), "expected RAW and MORE on the first record");
        assertEquals(CONT | MORE | Ring.RAW | 4088, header(5016 + 4096), "expected RAW, CONT and MORE on the middle record");
        assertEquals(CONT | Ring.RAW | 824, header(5016 + 2 * 4096), "expected RAW and CONT, not MORE, on the last record");

        assertEquals(5000, ring.peekLength(), "expected peekLength to give the whole message's length");
        assertArrayEquals(m, ring.read(now(), Guard.NONE), "expected the chunked message whole");
        assertFalse(ring.lastReadRaw, "expected the first message not raw");
        assertCounts(2, 1, 1, true, "one read");
        assertArrayEquals(raw, ring.read(now(), Guard.NONE), "expected the raw chunked message whole");
        assertTrue(ring.lastReadRaw, "expected the second message raw");
        assertCounts(2, 2, 0, false, "both read");
    }

    @Test
    void theRawFlagRoundTrips() throws Exception {
        lockBoth();
        int[] flags = {Ring.RAW, 0, Ring.RAW, Ring.RAW, 0};
        int[] lengths = {0, 5, MAX_CHUNK, 3000, 3000};
        for (int i = 0; i < flags.length; i++) {
            assertTrue(write(flags[i], message(i, lengths[i])), "expected message " + i + " to fit");
            if (lengths[i] <= MAX_CHUNK) {
                assertEquals(flags[i] | lengths[i], header(tail() - align(8 + lengths[i])),
                        "expected the header to carry the length and the RAW flag as given");
            }
            byte[] got = ring.read(now(), Guard.NONE);
            assertArrayEquals(message(i, lengths[i]), got, "expected message " + i + " back whole (its length not mixed with RAW)");
            assertEquals(flags[i] != 0, ring.lastReadRaw, "expected lastReadRaw " + (flags[i] != 0) + " for message " + i);
        }
        assertCounts(flags.length, flags.length, 0, false, "all read");
    }

    @Test
    void peekLengthSkipsAPadAndDoesNotConsume() throws Exception {
        lockBoth();
        advanceTo(4 * 1008); // four records of 1008: 64 bytes left before the end
        assertTrue(write(0, message(1, 1000)), "expected 1000 bytes to fit after a PAD");
        assertEquals(PAD | 64, header(4032), "expected a PAD of the last 64 bytes");
        assertCounts(5, 4, 1, true, "a message behind a PAD");
        assertEquals(1000, ring.peekLength(), "expected peekLength to skip the PAD and give 1000");
        assertEquals(CAPACITY, head(), "expected peekLength to move the head past the PAD, not past the message");
        assertEquals(1000, ring.peekLength(), "expected a second peekLength to give the same length");
        assertCounts(5, 4, 1, true, "after peeking");
        assertArrayEquals(message(1, 1000), ring.read(now(), Guard.NONE), "expected the peeked message read whole");
        assertCounts(5, 5, 0, false, "after reading");
        assertEquals(-1, ring.peekLength(), "expected peekLength -1 once empty");
    }

    /**
     * Messages up to 16 times the ring (chunked into MORE/CONT records) travel while a reader in
     * another thread reads them: the writer waits for the room the reader makes, the reader for
     * the chunks the writer publishes, both sleeping on the ring's tables and woken by the other.
     */
    @Test
    void chunkedMessagesLongerThanTheRingStreamToAConcurrentReader() throws Exception {
        int[] lengths = {MAX_CHUNK + 1, 2500, CAPACITY, 10_000, 0, 65_537, 5, 4 * MAX_CHUNK, CAPACITY * 3 + 3, 1};
        List<byte[]> got = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                assertTrue(ring.lockForReading(Backoff.timed(TimeUnit.SECONDS.toNanos(10)), Guard.NONE).held(),
                        "expected the reader to get the consumer lock");
                try {
                    for (int i = 0; i < lengths.length; i++) {
                        try (Backoff b = Backoff.timed(TimeUnit.SECONDS.toNanos(10))) {
                            byte[] m = ring.read(b, Guard.NONE);
                            assertNotNull(m, "expected message " + i + " to come within 10 s");
                            got.add(m);
                        }
                    }
                } finally {
                    ring.consumerLock.release();
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "RingTest-reader");
        reader.start();
        assertEquals(Acquisition.ACQUIRED, ring.lockForWriting(now(), Guard.NONE), "expected the producer lock");
        producing = true;
        for (int i = 0; i < lengths.length; i++) {
            try (Backoff b = Backoff.timed(TimeUnit.SECONDS.toNanos(10))) {
                byte[] m = message(i, lengths[i]);
                assertTrue(ring.write(i % 2 == 0 ? 0 : Ring.RAW, m, 0, m.length, b, Guard.NONE),
                        "expected message " + i + " (" + lengths[i] + " bytes) written within 10 s; the reader: " + failure.get());
            }
        }
        reader.join(TimeUnit.SECONDS.toMillis(20));
        if (reader.isAlive()) {
            reader.interrupt();
            fail("expected the reader to finish within 20 s; it has " + got.size() + " of " + lengths.length + " messages");
        }
        if (failure.get() != null) {
            throw new AssertionError("expected the reader to read every message without failing", failure.get());
        }
        assertEquals(lengths.length, got.size(), "expected every message read");
        for (int i = 0; i < lengths.length; i++) {
            assertArrayEquals(message(i, lengths[i]), got.get(i), "expected message " + i + " (" + lengths[i] + " bytes) whole");
        }
        assertCounts(lengths.length, lengths.length, 0, false, "all streamed");
        assertEquals(-1L, word(RingLayout.OPEN_MESSAGE_OFFSET), "expected no open message at the end");
        assertEquals(-1L, word(RingLayout.ABANDONED_OFFSET), "expected nothing abandoned");
    }

    /**
     * A writer that runs out of time after publishing some chunks marks the message abandoned:
     * it was never counted put, a reader drops the chunks it read (whether the writer wrote
     * something after it or not), and the next message is intact.
     */
    @ParameterizedTest(name = "a message written after the abandoned one: {0}")
    @CsvSource({"false", "true"})
    void aWriterThatTimesOutMidMessageLeavesItAbandonedAndUncounted(boolean another) throws Exception {
        lockBoth();
        assertTrue(write(0, message(1, MAX_CHUNK)), "expected filler 1");
        assertTrue(write(0, message(2, MAX_CHUNK)), "expected filler 2");
        // 3000 bytes: records of 1024, 1024, 976; the first two fit the half ring left, the third does not.
        assertFalse(write(0, message(3, 3000)), "expected a 3000-byte message not to fit with half the ring taken");
        assertEquals(2048L, word(RingLayout.ABANDONED_OFFSET), "expected the message's start (2048) marked abandoned");
        assertEquals(-1L, word(RingLayout.OPEN_MESSAGE_OFFSET), "expected no open message after giving up");
        assertEquals(CAPACITY, tail(), "expected its first two chunks published");
        assertCounts(2, 0, 2, true, "abandoned message in the ring");

        assertArrayEquals(message(1, MAX_CHUNK), ring.read(now(), Guard.NONE), "expected filler 1");
        assertArrayEquals(message(2, MAX_CHUNK), ring.read(now(), Guard.NONE), "expected filler 2");
        if (another) {
            assertTrue(write(0, message(4, 100)), "expected room for a small message");
            assertCounts(3, 2, 1, true, "a message after the abandoned one");
            assertArrayEquals(message(4, 100), ring.read(now(), Guard.NONE),
                    "expected the reader to drop the abandoned chunks and read the next message");
            assertCounts(3, 3, 0, false, "after reading past the abandoned message");
        } else {
            assertNull(ring.read(now(), Guard.NONE), "expected the reader to drop the abandoned chunks and find nothing");
            assertCounts(2, 2, 0, false, "after dropping the abandoned message");
        }
        assertEquals(tail(), head(), "expected the head past the abandoned chunks");
        assertTrue(write(0, message(5, 2500)), "expected a chunked message to fit afterwards");
        assertArrayEquals(message(5, 2500), ring.read(now(), Guard.NONE), "expected it whole");
    }

    /**
     * A writer that gives a message up (its time ran out, it was interrupted, its channel was
     * closed) while no reader holds the consumer lock takes back the chunks it published: the
     * tail returns to where the message began, before its PAD if it had one, nothing is marked
     * abandoned or counted, and the ring has all its room again, as before the write.
     */
    @ParameterizedTest(name = "{0}, a filler at {1} before it")
    @CsvSource({"timed out,0", "timed out,2560", "interrupted,0", "interrupted,2560", "closed,0", "closed,2560"})
    void aWriterThatGivesUpAMessageNobodyBeganTakesItsChunksBack(String how, long filler) throws Exception {
        lockForWritingOnly();
        long fillers = advanceTo(filler);
        assertTrue(write(0, message(1, MAX_CHUNK)), "expected the filler to fit an empty ring");
        long before = filler + CAPACITY / 4;
        // 3500 bytes: three records of 1024 and one of 440; with the filler, the last does not fit.
        byte[] m = message(2, 3500);
        switch (how) {
            case "timed out":
                assertFalse(write(0, m), "expected the 3500-byte message not to fit beside the filler");
                break;
            case "interrupted":
                Thread.currentThread().interrupt();
                try (Backoff untimed = Backoff.untimed()) {
                    assertThrows(InterruptedException.class, () -> ring.write(0, m, 0, m.length, untimed, Guard.NONE),
                            "expected the write interrupted while it waits for room");
                }
                break;
            default:
                assertThrows(IllegalStateException.class, () -> ring.write(0, m, 0, m.length, now(), slow -> {
                    throw new IllegalStateException("closed");
                }), "expected the guard's exception");
        }
        assertFalse(Thread.interrupted(), "expected the interrupt status cleared with the InterruptedException");
        assertEquals(before, tail(), "expected the tail back where the message began (before any PAD)");
        assertEquals(-1L, word(RingLayout.OPEN_MESSAGE_OFFSET), "expected no open message after giving up");
        assertEquals(-1L, word(RingLayout.ABANDONED_OFFSET), "expected nothing marked abandoned: nothing of it is left");
        assertTrue(ring.consumerLock.tryAcquireFree(), "expected the consumer lock free again");
        ring.consumerLock.release();
        assertCounts(fillers + 1, fillers, 1, true, "the filler alone");

        assertArrayEquals(message(1, MAX_CHUNK), ring.read(now(), Guard.NONE), "expected the filler");
        assertCounts(fillers + 1, fillers + 1, 0, false, "emptied");
        assertTrue(ring.hasRoomFor(CAPACITY - 2 * CAPACITY / 4), "expected the ring's whole room");
        assertTrue(write(0, m), "expected the message to fit the empty ring now");
        assertEquals(m.length, ring.peekLength(), "expected the next message read to be the new one");
        assertArrayEquals(m, ring.read(now(), Guard.NONE), "expected it whole");
        assertCounts(fillers + 2, fillers + 2, 0, false, "after the message");
    }

    /**
     * A reader that moved the head past the PAD before a message (peekLength) but read none of
     * it: the tail goes back to the head, not before the PAD behind it.
     */
    @Test
    void aRewindStopsAtAHeadAlreadyPastThePad() throws Exception {
        lockForWritingOnly();
        long fillers = advanceTo(CAPACITY - 512);
        // 5000 bytes: a PAD of 512, then four records of 1024 and one of 912; the fourth waits.
        byte[] m = message(3, 5000);
        assertThrows(IllegalStateException.class, () -> ring.write(0, m, 0, m.length, now(), slow -> {
            assertEquals(5000, ring.peekLength(), "expected the reader to see the message behind the PAD");
            throw new IllegalStateException("closed");
        }), "expected the guard's exception");
        assertEquals(CAPACITY, head(), "expected peekLength to move the head past the PAD");
        assertEquals(CAPACITY, tail(), "expected the tail back to the head, where the message began");
        assertEquals(-1L, word(RingLayout.ABANDONED_OFFSET), "expected nothing marked abandoned");
        assertCounts(fillers, fillers, 0, false, "after the rewind");
        assertTrue(write(0, message(4, 100)), "expected a message to fit");
        assertArrayEquals(message(4, 100), ring.read(now(), Guard.NONE), "expected it whole");
    }

    /**
     * A writer dies after publishing two chunks: the next writer, taking its lock over while no
     * reader holds the consumer lock, takes the chunks back instead of leaving them abandoned.
     */
    @Test
    void theWriterThatTakesOverFromADeadOneTakesItsChunksBack() throws Exception {
        lockForWritingOnly();
        assertTrue(write(0, message(1, 100)), "expected a message before");
        long before = tail();
        int[] left = {2};
        Ring.deathPoint = p -> {
            if (p.equals("put: chunk published") && --left[0] == 0) {
                throw new Died();
            }
        };
        assertThrows(Died.class, () -> write(0, message(2, 3000)), "expected the writer to die after two chunks");
        Ring.deathPoint = null;
        assertEquals(before + 2 * CAPACITY / 4, tail(), "expected two chunks published by the dead writer");
        ring.producerLock.release();
        producing = false;
        Words.setVolatile(buffer, AT + RingLayout.PRODUCER_LOCK_OFFSET, DEAD_TOKEN);

        assertEquals(Acquisition.TAKEN_OVER, ring.lockForWriting(now(), Guard.NONE), "expected the lock taken over");
        producing = true;
        assertEquals(before, tail(), "expected the dead writer's chunks taken back");
        assertEquals(-1L, word(RingLayout.OPEN_MESSAGE_OFFSET), "expected no open message");
        assertEquals(-1L, word(RingLayout.ABANDONED_OFFSET), "expected nothing marked abandoned");
        assertCounts(1, 0, 1, true, "the message before");
        assertArrayEquals(message(1, 100), ring.read(now(), Guard.NONE), "expected the message before");
        assertNull(ring.read(now(), Guard.NONE), "expected nothing of the dead writer's message");
        assertCounts(1, 1, 0, false, "drained");
    }

    /**
     * A writer gives a message up while a reader in another thread is inside it (stopped after
     * its first chunk, holding the consumer lock): nothing is taken back under the reader; the
     * message is marked abandoned, the reader drops what it read and reads past the rest, and
     * takes the next message whole.
     */
    @Test
    void aWriterThatGivesUpAMessageAReaderBeganLeavesItAbandonedForThatReader() throws Exception {
        byte[] next = message(6, 300);
        AtomicReference<Object> got = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                assertTrue(ring.lockForReading(Backoff.timed(TimeUnit.SECONDS.toNanos(10)), Guard.NONE).held());
                try (Backoff b = Backoff.timed(TimeUnit.SECONDS.toNanos(20))) {
                    got.set(ring.read(b, Guard.NONE));
                } finally {
                    ring.consumerLock.release();
                }
            } catch (Throwable t) {
                got.set(t);
            }
        }, "RingTest-reader");
        SimulatedDeaths.Pause inside = SimulatedDeaths.pauseAt("take: chunk taken", reader);
        reader.start();
        Await.until(Duration.ofSeconds(10), "the reader to hold the consumer lock", ring.consumerLock::isHeldByThisProcess);
        lockForWritingOnly();
        // 6000 bytes: five records of 1024 and one of 888; the reader frees one record's room only.
        byte[] m = message(5, 6000);
        try (Backoff b = Backoff.timed(TimeUnit.MILLISECONDS.toNanos(300))) {
            assertFalse(ring.write(0, m, 0, m.length, b, Guard.NONE), "expected the write to time out");
        }
        assertTrue(inside.awaitReached(), "expected the reader inside the message");
        assertEquals(0L, word(RingLayout.ABANDONED_OFFSET), "expected the message (at 0) marked abandoned");
        assertEquals(-1L, word(RingLayout.OPEN_MESSAGE_OFFSET), "expected no open message");
        assertEquals(5L * CAPACITY / 4, tail(), "expected the published chunks left for the reader");
        inside.resume();
        try (Backoff b = Backoff.timed(TimeUnit.SECONDS.toNanos(10))) {
            assertTrue(ring.write(0, next, 0, next.length, b, Guard.NONE), "expected the next message written");
        }
        reader.join(TimeUnit.SECONDS.toMillis(20));
        assertFalse(reader.isAlive(), "expected the reader to finish");
        Ring.deathPoint = null;
        assertTrue(got.get() instanceof byte[], "expected the reader to read a message: " + got.get());
        assertArrayEquals(next, (byte[]) got.get(), "expected the reader to read the next message whole");
        assertCounts(1, 1, 0, false, "after the next message");
    }

    /**
     * A reader dies (stopped at a death point, its lock then held by a dead process) after
     * reading the first chunk(s) of a three-record message, at several places in the ring,
     * including with a PAD record between its chunks. Until the next reader comes, the message
     * does not count in {@code size()} (its start is gone with the dead reader); the next reader
     * takes the lock over, drops the rest, counts the message taken once, and the ring goes on.
     */
    @ParameterizedTest(name = "start at {0}, dies after chunk {1}, next reader peeks first: {2}")
    @CsvSource({"0,1,false", "0,2,false", "0,1,true", "0,2,true", "2560,1,false", "2560,1,true", "2560,2,false",
            "3072,1,false", "3584,2,true", "4032,1,false", "6656,1,true", "6656,2,false"})
    void aReaderThatDiesMidMessageIsFollowedByOneThatDropsTheRest(long start, int chunksRead, boolean peek) throws Exception {
        lockBoth();
        long fillers = advanceTo(start);
        byte[] big = message(100, 2500); // records of 1024, 1024 and 480 bytes
        assertTrue(write(0, big), "expected the 2500-byte message to fit an empty ring");
        assertCounts(fillers + 1, fillers, 1, true, "the chunked message written");

        int[] left = {chunksRead};
        Ring.deathPoint = p -> {
            if (p.equals("take: chunk taken") && --left[0] == 0) {
                throw new Died();
            }
        };
        assertThrows(Died.class, () -> ring.read(now(), Guard.NONE), "expected the reader to die after chunk " + chunksRead);
        Ring.deathPoint = null;
        // Its process is gone: the lock word names a dead process (the local lock went with it).
        ring.consumerLock.release();
        consuming = false;
        Words.setVolatile(buffer, AT + RingLayout.CONSUMER_LOCK_OFFSET, DEAD_TOKEN);
        assertCounts(fillers + 1, fillers, 0, true, "the reader died inside the message");

        byte[] after = message(200, 77);
        if (peek) {
            assertTrue(write(0, after), "expected room for a 77-byte message");
            assertCounts(fillers + 2, fillers, 1, true, "a message after the half-read one");
        }
        assertEquals(Acquisition.TAKEN_OVER, ring.lockForReading(now(), Guard.NONE),
                "expected the next reader to take the consumer lock over from the dead one");
        consuming = true;
        if (peek) {
            assertEquals(77, ring.peekLength(), "expected peekLength to drop the dead reader's message and give the next one's length");
            assertCounts(fillers + 2, fillers + 1, 1, true, "after peekLength dropped the rest");
            assertEquals(77, ring.peekLength(), "expected peekLength again the same, dropping nothing more");
            assertCounts(fillers + 2, fillers + 1, 1, true, "after a second peekLength");
        } else {
            assertNull(ring.read(now(), Guard.NONE), "expected the next reader to drop the rest and find no message");
            assertCounts(fillers + 1, fillers + 1, 0, false, "after the rest was dropped");
            assertNull(ring.read(now(), Guard.NONE), "expected still nothing");
            assertTrue(write(0, after), "expected room for a 77-byte message");
        }
        assertArrayEquals(after, ring.read(now(), Guard.NONE), "expected the message after the half-read one, whole");
        assertCounts(fillers + 2, fillers + 2, 0, false, "after the next message");
        assertEquals(-1, ring.peekLength(), "expected nothing more");
    }

    /**
     * Two failures together: a writer gives a message up (its time ran out) after two of its
     * chunks are published, and a reader dies after reading only the first. The next message is
     * committed and can be taken, so {@code size()} must say 1: the head is inside a message (a
     * CONT record), but one that was abandoned, never counted put, so nothing is subtracted for
     * it (an earlier version did, and said 0). (With a live reader the answer is only off while it reads; with a dead one it stays
     * off until the next reader comes.)
     */
    @Test
    void sizeCountsTheNextMessageWhenTheHalfReadOneWasAbandoned() throws Exception {
        lockBoth();
        assertTrue(write(0, message(1, MAX_CHUNK)), "expected filler 1");
        assertTrue(write(0, message(2, MAX_CHUNK)), "expected filler 2");
        assertFalse(write(0, message(3, 3000)), "expected the 3000-byte message given up after two chunks");
        assertEquals(2048L, word(RingLayout.ABANDONED_OFFSET), "expected it marked abandoned at 2048");
        assertArrayEquals(message(1, MAX_CHUNK), ring.read(now(), Guard.NONE), "expected filler 1");
        assertArrayEquals(message(2, MAX_CHUNK), ring.read(now(), Guard.NONE), "expected filler 2");
        Ring.deathPoint = p -> {
            if (p.equals("take: chunk taken")) {
                throw new Died();
            }
        };
        assertThrows(Died.class, () -> ring.read(now(), Guard.NONE), "expected the reader to die after the first chunk");
        Ring.deathPoint = null;
        ring.consumerLock.release();
        consuming = false;
        Words.setVolatile(buffer, AT + RingLayout.CONSUMER_LOCK_OFFSET, DEAD_TOKEN);
        assertTrue(write(0, message(4, 100)), "expected room for a 100-byte message");
        assertEquals(3, ring.put(), "expected the fillers and the 100-byte message counted put, not the abandoned one");
        assertEquals(2, ring.taken(), "expected the fillers counted taken");

        assertEquals(1, ring.size(), "expected size() 1: the 100-byte message can be taken");

        assertEquals(Acquisition.TAKEN_OVER, ring.lockForReading(now(), Guard.NONE), "expected the lock taken over");
        consuming = true;
        assertArrayEquals(message(4, 100), ring.read(now(), Guard.NONE), "expected the 100-byte message taken");
    }
}
