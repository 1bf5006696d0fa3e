package org.multiprocessing4j.internal.channel;

import java.nio.ByteBuffer;
import org.multiprocessing4j.internal.platform.ProcessToken;

/**
 * A ring of messages in shared memory with a producer lock and a consumer lock, so that any
 * number of threads in any processes can put and take; between the two lock holders it is a
 * single-producer single-consumer ring, which needs no atomic instruction per message.
 *
 * <p>Layout, from {@code at}: one 128-byte line each for the producer's words (tail, messages
 * put, the start of a message being written in chunks, the start of the last abandoned one),
 * the consumer's words (head, messages taken), the two locks, and a counter for
 * {@code JoinableProcessQueue}; five {@link SleeperTable}s (waiting for data, for room, for
 * {@code join}, for each lock); then {@code capacity} bytes of records. Positions only grow;
 * the index in the ring is {@code position & (capacity - 1)}.
 *
 * <p>A record is an 8-byte header ({@code int} chunk length with flags, {@code int} message
 * length) and its bytes, padded to 8. A message longer than a quarter of the ring travels as
 * several records under the producer lock. The producer publishes {@code tail} with a release
 * store only after a whole record is written, so a producer that dies leaves every record
 * either whole or absent. A chunked message left unfinished (the producer timed out or died)
 * is marked abandoned, and consumers drop the chunks they have read of it.
 */
final class Ring {
    private static final int TABLE_STRIDE = (SleeperTable.BYTES + 127) / 128 * 128;
    private static final int TABLES = 640;
    static final int HEADER_BYTES = TABLES + 5 * TABLE_STRIDE;

    private static final int TAIL = 0;
    private static final int PUT_COUNT = 8;
    private static final int OPEN_MESSAGE = 16;
    private static final int ABANDONED = 24;
    private static final int PENDING_COUNTED = 32;
    private static final int HEAD = 128;
    private static final int TAKE_COUNT = 136;
    private static final int PRODUCER_LOCK = 256;
    private static final int CONSUMER_LOCK = 384;
    private static final int UNFINISHED = 512;

    private static final int MORE = 1 << 31;
    private static final int CONT = 1 << 30;
    private static final int PAD = 1 << 29;
    /** The message is a {@code byte[]} as it is, not the codec's bytes. */
    static final int RAW = 1 << 28;
    private static final int LENGTH = RAW - 1;

    private final ByteBuffer buffer;
    private final int at;
    private final int data;
    private final int capacity;
    private final int mask;
    private final int maxChunk;
    final SharedLock producerLock;
    final SharedLock consumerLock;
    /** Consumers waiting for a message (or the rest of one). */
    final SleeperTable dataWaiters;
    /** Producers waiting for room (or, in a bounded queue, for an item to be taken). */
    final SleeperTable roomWaiters;
    /** Waiters in {@code JoinableProcessQueue.join()}. */
    final SleeperTable joinWaiters;
    /** Set by {@link #read}, for its caller while it still holds the consumer lock. */
    boolean lastReadRaw;

    Ring(ByteBuffer buffer, int at, int capacity) {
        if (Integer.bitCount(capacity) != 1 || capacity < 4096) {
            throw new IllegalArgumentException("ring capacity " + capacity);
        }
        this.buffer = buffer;
        this.at = at;
        this.data = at + HEADER_BYTES;
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.maxChunk = Math.min(capacity / 4, 1 << 27) - 8;
        this.dataWaiters = new SleeperTable(buffer, at + TABLES);
        this.roomWaiters = new SleeperTable(buffer, at + TABLES + TABLE_STRIDE);
        this.joinWaiters = new SleeperTable(buffer, at + TABLES + 2 * TABLE_STRIDE);
        this.producerLock = new SharedLock(buffer, at + PRODUCER_LOCK,
                new SleeperTable(buffer, at + TABLES + 3 * TABLE_STRIDE));
        this.consumerLock = new SharedLock(buffer, at + CONSUMER_LOCK,
                new SleeperTable(buffer, at + TABLES + 4 * TABLE_STRIDE));
    }

    /** Bytes a ring of {@code capacity} takes in its segment. */
    static int footprint(int capacity) {
        return HEADER_BYTES + capacity;
    }

    /** Sets the words a new ring needs that are not zero. */
    void initialize() {
        SharedSegment.LONGS.setRelease(buffer, at + OPEN_MESSAGE, -1L);
        SharedSegment.LONGS.setRelease(buffer, at + ABANDONED, -1L);
    }

    /** Messages put and not yet taken: exact when nobody is putting or taking. */
    long size() {
        long taken = (long) SharedSegment.LONGS.getAcquire(buffer, at + TAKE_COUNT);
        long put = (long) SharedSegment.LONGS.getAcquire(buffer, at + PUT_COUNT);
        return Math.max(0, put - taken);
    }

    /** True if a message (or part of one) is there to read. */
    boolean hasData() {
        return (long) SharedSegment.LONGS.getAcquire(buffer, at + TAIL)
                != (long) SharedSegment.LONGS.getAcquire(buffer, at + HEAD);
    }

    /** The counter behind {@code JoinableProcessQueue}: adds {@code delta}, returns the new value. */
    long addUnfinished(long delta) {
        return (long) SharedSegment.LONGS.getAndAdd(buffer, at + UNFINISHED, delta) + delta;
    }

    /** Subtracts one unless the counter is zero; returns false if it was. */
    boolean decrementUnfinished() {
        while (true) {
            long n = (long) SharedSegment.LONGS.getVolatile(buffer, at + UNFINISHED);
            if (n <= 0) {
                return false;
            }
            if (SharedSegment.LONGS.compareAndSet(buffer, at + UNFINISHED, n, n - 1)) {
                if (n == 1) {
                    joinWaiters.wakeAll();
                }
                return true;
            }
        }
    }

    long unfinished() {
        return (long) SharedSegment.LONGS.getVolatile(buffer, at + UNFINISHED);
    }

    /**
     * For the producer that took the lock over from a dead one: marks its partly published
     * message abandoned, and takes back the unfinished count of a message it did not finish.
     */
    void repairAfterDeadProducer() {
        long open = (long) SharedSegment.LONGS.getAcquire(buffer, at + OPEN_MESSAGE);
        long tail = (long) SharedSegment.LONGS.getAcquire(buffer, at + TAIL);
        if (open != -1 && open < tail) {
            SharedSegment.LONGS.setRelease(buffer, at + ABANDONED, open);
            dataWaiters.wakeAll();
        }
        // (open == tail: it died before its first chunk was published; nothing of it is there,
        // and the next message will start at that very position, so it must not be marked.)
        SharedSegment.LONGS.setRelease(buffer, at + OPEN_MESSAGE, -1L);
        uncountUnfinished();
    }

    /**
     * Writes one message; the caller holds the producer lock. Waits for room as
     * {@code backoff} allows.
     *
     * @return false if the time ran out; the message is then absent (or, if it was being
     *         written in chunks, abandoned: consumers drop what they read of it)
     * @throws InterruptedException if interrupted while waiting for room (the message is
     *         absent or abandoned)
     */
    boolean write(int flags, byte[] body, int offset, int length, Backoff backoff, Guard guard)
            throws InterruptedException {
        long tail = (long) SharedSegment.LONGS.getAcquire(buffer, at + TAIL);
        long start = -1;
        int done = 0;
        boolean first = true;
        do {
            int chunk = Math.min(length - done, maxChunk);
            boolean more = done + chunk < length;
            int record = align(8 + chunk);
            int contiguous = capacity - (int) (tail & mask);
            long need = record <= contiguous ? record : (long) contiguous + record;
            try {
                backoff.on(roomWaiters);
                while (tail + need - (long) SharedSegment.LONGS.getAcquire(buffer, at + HEAD) > capacity) {
                    guard.check(backoff.slowCheckDue());
                    if (!backoff.idle()
                            && tail + need - (long) SharedSegment.LONGS.getAcquire(buffer, at + HEAD) > capacity) {
                        abandon(start);
                        return false;
                    }
                }
            } catch (InterruptedException | RuntimeException | Error e) {
                abandon(start);
                throw e;
            }
            backoff.progress();
            if (record > contiguous) {
                SharedSegment.INTS.set(buffer, data + (int) (tail & mask), PAD | contiguous);
                tail += contiguous;
            }
            int i = data + (int) (tail & mask);
            if (first && more) {
                start = tail;
                SharedSegment.LONGS.setRelease(buffer, at + OPEN_MESSAGE, start);
            }
            buffer.put(i + 8, body, offset + done, chunk);
            SharedSegment.INTS.set(buffer, i, chunk | flags | (more ? MORE : 0) | (first ? 0 : CONT));
            SharedSegment.INTS.set(buffer, i + 4, length);
            tail += record;
            if (!more) {
                // Counted and cleared before the last record is published, by the same release
                // store: a producer that dies after it has put its message wholly, and one that
                // dies before it has not, as far as the counters say.
                long put = (long) SharedSegment.LONGS.get(buffer, at + PUT_COUNT);
                SharedSegment.LONGS.set(buffer, at + PUT_COUNT, put + 1);
                SharedSegment.LONGS.set(buffer, at + PENDING_COUNTED, 0L);
            }
            SharedSegment.LONGS.setRelease(buffer, at + TAIL, tail);
            dataWaiters.wakeOne();
            done += chunk;
            first = false;
        } while (done < length);
        if (start != -1) {
            SharedSegment.LONGS.setRelease(buffer, at + OPEN_MESSAGE, -1L);
        }
        return true;
    }

    /**
     * For a {@code JoinableProcessQueue} producer holding the lock: counts one more unfinished
     * item for the message it is about to write, remembering that it did, so that whoever takes
     * the lock over from it if it dies before the message is whole can take the count back.
     */
    void countUnfinished() {
        SharedSegment.LONGS.setRelease(buffer, at + PENDING_COUNTED, 1L);
        addUnfinished(1);
    }

    /** Takes back {@link #countUnfinished()} for a message that was not written. */
    void uncountUnfinished() {
        if ((long) SharedSegment.LONGS.getAcquire(buffer, at + PENDING_COUNTED) != 0) {
            SharedSegment.LONGS.setRelease(buffer, at + PENDING_COUNTED, 0L);
            decrementUnfinished();
        }
    }

    private void abandon(long start) {
        if (start != -1) {
            SharedSegment.LONGS.setRelease(buffer, at + ABANDONED, start);
            SharedSegment.LONGS.setRelease(buffer, at + OPEN_MESSAGE, -1L);
            dataWaiters.wakeAll();
        }
    }

    /** Messages put so far; with {@link #taken()} it tells whether a bounded queue is full. */
    long put() {
        return (long) SharedSegment.LONGS.getAcquire(buffer, at + PUT_COUNT);
    }

    long taken() {
        return (long) SharedSegment.LONGS.getAcquire(buffer, at + TAKE_COUNT);
    }

    /**
     * Reads one whole message; the caller holds the consumer lock. Waits for one as
     * {@code backoff} allows, except that once it has read part of a chunked message it waits
     * for the rest for as long as its producer is alive and writing (the producer is waiting
     * for exactly the room this reader makes).
     *
     * @return the message, or null if the time ran out with nothing read; {@link #lastReadRaw}
     *         says whether it was written with {@link #RAW}
     * @throws InterruptedException if interrupted while no message was partly read
     */
    byte[] read(Backoff backoff, Guard guard) throws InterruptedException {
        long head = (long) SharedSegment.LONGS.getAcquire(buffer, at + HEAD);
        byte[] out = null;
        int filled = 0;
        long messageStart = -1;
        boolean raw = false;
        boolean interrupted = false;
        backoff.on(dataWaiters);
        try {
            while (true) {
                long tail = (long) SharedSegment.LONGS.getAcquire(buffer, at + TAIL);
                if (head == tail) {
                    boolean slow = backoff.slowCheckDue();
                    if (out == null) {
                        if (interrupted) {
                            // A message it had started was abandoned: nothing was taken.
                            interrupted = false;
                            throw new InterruptedException();
                        }
                        guard.check(slow);
                        if (!backoff.idle() && head == (long) SharedSegment.LONGS.getAcquire(buffer, at + TAIL)) {
                            return null;
                        }
                        continue;
                    }
                    // Part of a message is read: finish it whatever else happens (its producer is
                    // waiting for the room this makes), unless its producer gave it up or died.
                    if (isAbandoned(messageStart, slow)) {
                        out = null;
                        continue;
                    }
                    try {
                        backoff.idle();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                    continue;
                }
                backoff.progress();
                int i = data + (int) (head & mask);
                int info = (int) SharedSegment.INTS.get(buffer, i);
                if ((info & PAD) != 0) {
                    head += capacity - (int) (head & mask);
                    publishHead(head);
                    continue;
                }
                int chunk = info & LENGTH;
                int record = align(8 + chunk);
                if ((info & CONT) == 0) {
                    // A new message; one being read before it was abandoned.
                    out = new byte[(int) SharedSegment.INTS.get(buffer, i + 4)];
                    filled = 0;
                    messageStart = head;
                    raw = (info & RAW) != 0;
                } else if (out == null) {
                    // The rest of a message whose start a consumer that died had taken: drop it,
                    // and count it as taken, as that consumer would have.
                    head += record;
                    if ((info & MORE) == 0) {
                        countTaken();
                    }
                    publishHead(head);
                    continue;
                }
                buffer.get(i + 8, out, filled, chunk);
                filled += chunk;
                head += record;
                if ((info & MORE) == 0) {
                    countTaken();
                    publishHead(head);
                    lastReadRaw = raw;
                    return out;
                }
                publishHead(head);
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void countTaken() {
        long taken = (long) SharedSegment.LONGS.get(buffer, at + TAKE_COUNT);
        SharedSegment.LONGS.set(buffer, at + TAKE_COUNT, taken + 1);
    }

    /**
     * For a caller holding the consumer lock: drops the rest of a message a dead consumer had
     * started, then returns the length of the next message, or -1 if there is none yet.
     */
    int peekLength() {
        long head = (long) SharedSegment.LONGS.getAcquire(buffer, at + HEAD);
        while (head != (long) SharedSegment.LONGS.getAcquire(buffer, at + TAIL)) {
            int i = data + (int) (head & mask);
            int info = (int) SharedSegment.INTS.get(buffer, i);
            if ((info & PAD) != 0) {
                head += capacity - (int) (head & mask);
                publishHead(head);
                continue;
            }
            if ((info & CONT) != 0) {
                head += align(8 + (info & LENGTH));
                if ((info & MORE) == 0) {
                    countTaken();
                }
                publishHead(head);
                continue;
            }
            return (int) SharedSegment.INTS.get(buffer, i + 4);
        }
        return -1;
    }

    private void publishHead(long head) {
        SharedSegment.LONGS.setRelease(buffer, at + HEAD, head);
        roomWaiters.wakeOne();
    }

    /** Wakes every sleeper on this ring: something they must look at changed (a pipe end closed). */
    void wakeEveryone() {
        dataWaiters.wakeAll();
        roomWaiters.wakeAll();
        joinWaiters.wakeAll();
    }

    private boolean isAbandoned(long messageStart, boolean slow) {
        if ((long) SharedSegment.LONGS.getAcquire(buffer, at + ABANDONED) == messageStart) {
            return true;
        }
        if (!slow) {
            return false;
        }
        // A writer that died mid-message, with no other producer yet to take its lock over. Read
        // the tail last: a writer that finished just before it died has published its last chunk.
        long tail = (long) SharedSegment.LONGS.getAcquire(buffer, at + TAIL);
        long writer = producerLock.holder();
        return writer != 0
                && (long) SharedSegment.LONGS.getAcquire(buffer, at + OPEN_MESSAGE) == messageStart
                && !ProcessToken.isAlive(writer)
                && tail == (long) SharedSegment.LONGS.getAcquire(buffer, at + TAIL);
    }

    private static int align(int n) {
        return (n + 7) & ~7;
    }
}
