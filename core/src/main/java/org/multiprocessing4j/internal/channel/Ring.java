package org.multiprocessing4j.internal.channel;

import static org.multiprocessing4j.internal.channel.RingLayout.ABANDONED_OFFSET;
import static org.multiprocessing4j.internal.channel.RingLayout.COMMIT_HEAD_OFFSET;
import static org.multiprocessing4j.internal.channel.RingLayout.COMMIT_PUT_OFFSET;
import static org.multiprocessing4j.internal.channel.RingLayout.COMMIT_TAIL_OFFSET;
import static org.multiprocessing4j.internal.channel.RingLayout.COMMIT_TAKE_OFFSET;
import static org.multiprocessing4j.internal.channel.RingLayout.DONE_COUNT_OFFSET;
import static org.multiprocessing4j.internal.channel.RingLayout.HEAD_OFFSET;
import static org.multiprocessing4j.internal.channel.RingLayout.OPEN_MESSAGE_OFFSET;
import static org.multiprocessing4j.internal.channel.RingLayout.PUT_COUNT_OFFSET;
import static org.multiprocessing4j.internal.channel.RingLayout.READING_START_OFFSET;
import static org.multiprocessing4j.internal.channel.RingLayout.REWIND_TAIL_OFFSET;
import static org.multiprocessing4j.internal.channel.RingLayout.TAIL_OFFSET;
import static org.multiprocessing4j.internal.channel.RingLayout.TAKE_COUNT_OFFSET;

import java.nio.ByteBuffer;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.multiprocessing4j.internal.platform.ProcessToken;
import org.multiprocessing4j.internal.shm.Backoff;
import org.multiprocessing4j.internal.shm.Guard;
import org.multiprocessing4j.internal.shm.SharedMutex.Acquisition;
import org.multiprocessing4j.internal.shm.SharedMutex;
import org.multiprocessing4j.internal.shm.SleeperTable;
import org.multiprocessing4j.internal.shm.Words;

/**
 * A ring of messages in shared memory with a producer lock and a consumer lock, so that any
 * number of threads in any processes can put and take; between the two lock holders it is a
 * single-producer single-consumer ring, which needs no atomic instruction per message.
 *
 * <p>Layout, from {@code at}: one 128-byte line each for the producer's words (tail, messages
 * put, the start of a message being written in chunks, the start of the last abandoned one, the
 * put's commit record, where a rewind takes the tail back to), the consumer's words (head, messages taken, the take's commit record),
 * the two locks, and the {@code taskDone()} count of {@code JoinableProcessQueue}; five
 * {@link SleeperTable}s (waiting for data, for room, for {@code join}, for each lock); then {@code capacity} bytes of records. Positions only grow
 * (but for a rewind, below); the index in the ring is {@code position & (capacity - 1)}.
 *
 * <p>A record is an 8-byte header ({@code int} chunk length with flags, {@code int} message
 * length) and its bytes, padded to 8. A message longer than a quarter of the ring travels as
 * several records under the producer lock. The producer publishes {@code tail} with a release
 * store only after a whole record is written, so a producer that dies leaves every record
 * either whole or absent. A chunked message left unfinished (the producer timed out, was
 * interrupted or died) must not keep its chunks' room: if no consumer has begun it, the producer
 * takes the tail back to where it began (a rewind, {@link #rewind}), and the ring is as before
 * the put; if one has, it is marked abandoned, and that consumer drops the chunks it has read of
 * it and reads past the rest.
 *
 * <p><b>Counters that a death cannot leave wrong.</b> The messages-put count and the tail are two
 * words, and a process can die between any two stores. So the last record of a message is
 * published as a small redo log: the producer first notes the tail it is about to publish and
 * the count that goes with it (the commit record), then publishes the tail (the commit point),
 * then stores the count. {@link #put()} derives the count from these: if the noted tail has been
 * published, the noted count holds, whether or not it was stored. A producer that dies anywhere
 * in the sequence has therefore either put its message, counted, or not put it, uncounted. The
 * consumer side does the same with the head and the taken count. Unfinished tasks are not a
 * counter of their own but messages put minus {@code taskDone()} calls, so they are exact by the
 * same argument.
 */
final class Ring {
    /** Bytes a ring takes before its records. */
    public static final int HEADER_BYTES = RingLayout.HEADER_LENGTH;


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
    public final SharedMutex producerLock;
    public final SharedMutex consumerLock;
    /** Consumers waiting for a message (or the rest of one). */
    final SleeperTable dataWaiters;
    /** Producers waiting for room (or, in a bounded queue, for an item to be taken). */
    final SleeperTable roomWaiters;
    /** Waiters in {@code JoinableProcessQueue.join()}. */
    final SleeperTable joinWaiters;
    /** Set by {@link #read}, for its caller while it still holds the consumer lock. */
    boolean lastReadRaw;

    /**
     * Where a test stops a producer or consumer as a SIGKILL would, between two stores to shared
     * memory: each point calls it with its name, and it may throw. Null outside tests.
     */
    public static DeathPoint deathPoint;

    /** A test's hook into the points where a process may die mid-operation. */
    public interface DeathPoint {
        void reached(String point);
    }

    static void mayDieHere(String point) {
        DeathPoint d = deathPoint;
        if (d != null) {
            d.reached(point);
        }
    }

    Ring(ByteBuffer buffer, int at, int capacity) {
        this(buffer, at, capacity, null);
    }

    /**
     * A ring whose locks and sleeper tables are {@code owner}'s (when not null): an overflow
     * ring of an unbounded queue, written and read only by the holders of the queue's own
     * ring's locks, whose waiters that ring's tables wake.
     */
    Ring(ByteBuffer buffer, int at, int capacity, Ring owner) {
        if (Integer.bitCount(capacity) != 1 || capacity < 4096) {
            throw new IllegalArgumentException("ring capacity " + capacity);
        }
        this.buffer = buffer;
        this.at = at;
        this.data = at + HEADER_BYTES;
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.maxChunk = Math.min(capacity / 4, 1 << 27) - 8;
        if (owner != null) {
            this.dataWaiters = owner.dataWaiters;
            this.roomWaiters = owner.roomWaiters;
            this.joinWaiters = owner.joinWaiters;
            this.producerLock = owner.producerLock;
            this.consumerLock = owner.consumerLock;
            return;
        }
        this.dataWaiters = new SleeperTable(buffer, at + RingLayout.DATA_WAITERS_OFFSET);
        this.roomWaiters = new SleeperTable(buffer, at + RingLayout.ROOM_WAITERS_OFFSET);
        this.joinWaiters = new SleeperTable(buffer, at + RingLayout.JOIN_WAITERS_OFFSET);
        this.producerLock = new SharedMutex(buffer, at + RingLayout.PRODUCER_LOCK_OFFSET,
                new SleeperTable(buffer, at + RingLayout.PRODUCER_LOCK_WAITERS_OFFSET), true);
        this.consumerLock = new SharedMutex(buffer, at + RingLayout.CONSUMER_LOCK_OFFSET,
                new SleeperTable(buffer, at + RingLayout.CONSUMER_LOCK_WAITERS_OFFSET), true);
    }

    /** Bytes of records this ring holds. */
    int capacity() {
        return capacity;
    }

    /**
     * Whether a message of {@code length} bytes can be written now without waiting for room;
     * the caller holds the producer lock, so the answer can only become truer.
     */
    boolean hasRoomFor(int length) {
        long tail = Words.getAcquire(buffer, at + TAIL_OFFSET);
        int chunks = Math.max(1, (length + maxChunk - 1) / maxChunk);
        long records = (long) chunks * 8 + length + 8L * chunks;
        // Padding to the end of the ring: at most once per lap, and at most a record's worth.
        long need = records + align(8 + Math.min(length, maxChunk));
        return need <= capacity - (tail - seenHead) || need <= capacity - (tail - readHead());
    }

    /**
     * The head as this JVM's producers last read it: never more than the real head, which only
     * grows, so room it shows is there. Reading the head is a cache miss whenever the consumer
     * (on another core) has moved it since; a producer ahead of its consumer by more than the
     * message rereads it only when the room it last saw runs out. Guarded by the producer lock.
     */
    private long seenHead;

    /** Reads the head (acquire: the consumer is done with everything before it) and notes it. */
    private long readHead() {
        long head = Words.getAcquire(buffer, at + HEAD_OFFSET);
        seenHead = head;
        return head;
    }

    /** Whether every message put has been taken (by the commit counts; none is being read). */
    boolean drained() {
        return put() == taken();
    }

    /** Bytes a ring of {@code capacity} takes in its segment. */
    static int footprint(int capacity) {
        return HEADER_BYTES + capacity;
    }

    /** Sets the words a new ring needs that are not zero. */
    void initialize() {
        Words.setRelease(buffer, at + OPEN_MESSAGE_OFFSET, -1L);
        Words.setRelease(buffer, at + ABANDONED_OFFSET, -1L);
    }

    /**
     * Messages put and not yet taken: exact when nobody is putting or taking (a process that
     * died mid-operation counts as not putting or taking).
     */
    long size() {
        long taken = taken();
        long n = put() - taken;
        if (n > 0 && headInsideMessage()) {
            // The head is past the start of a message: a consumer has it (or had it and died,
            // and then it is lost with that consumer): nobody else can take it.
            n--;
        }
        return Math.max(0, n);
    }

    /** True if the next record to read continues a message whose start was read. */
    private boolean headInsideMessage() {
        long head = Words.getAcquire(buffer, at + HEAD_OFFSET);
        long tail = Words.getAcquire(buffer, at + TAIL_OFFSET);
        if (head == tail) {
            return false;
        }
        int info = Words.getIntAcquire(buffer, data + (int) (head & mask));
        if ((info & PAD) != 0) {
            head += capacity - (int) (head & mask);
            if (head == tail) {
                return false;
            }
            info = Words.getIntAcquire(buffer, data);
        }
        if ((info & CONT) == 0) {
            return false;
        }
        // Unless that message was given up by its writer: then it was never counted put.
        long abandoned = Words.getAcquire(buffer, at + ABANDONED_OFFSET);
        return abandoned < 0 || abandoned != Words.getAcquire(buffer, at + READING_START_OFFSET);
    }

    /** True if a message (or part of one) is there to read. */
    boolean hasData() {
        return Words.getAcquire(buffer, at + TAIL_OFFSET)
                != Words.getAcquire(buffer, at + HEAD_OFFSET);
    }

    /**
     * For {@code JoinableProcessQueue.taskDone()}: counts one more message handled, unless
     * every message put is already; returns false if it was. Any process may call it, holding
     * no lock.
     */
    public boolean countDone() {
        return countDone(this::put);
    }

    /** {@link #countDone()} for a queue whose messages put {@code puts} counts (an unbounded queue's every ring). */
    boolean countDone(LongSupplier puts) {
        while (true) {
            long done = Words.getVolatile(buffer, at + DONE_COUNT_OFFSET);
            if (done >= puts.getAsLong()) {
                return false;
            }
            if (Words.cas(buffer, at + DONE_COUNT_OFFSET, done, done + 1)) {
                if (done + 1 >= puts.getAsLong()) {
                    joinWaiters.wakeAll();
                }
                return true;
            }
        }
    }

    /** Messages put and not yet counted done: exact when nobody is putting or finishing. */
    long unfinished() {
        return unfinished(put());
    }

    /** {@link #unfinished()} of a queue that has put {@code puts} messages. */
    long unfinished(long puts) {
        long done = Words.getVolatile(buffer, at + DONE_COUNT_OFFSET);
        return Math.max(0, puts - done);
    }

    /**
     * Takes the producer lock, waiting as {@code backoff} allows, and mends what a dead holder
     * left half done before returning.
     *
     * @return how the lock was taken, or {@link Acquisition#TIMED_OUT}
     */
    public Acquisition lockForWriting(Backoff backoff, Guard guard) throws InterruptedException {
        Acquisition got = producerLock.acquire(backoff, guard);
        if (got == Acquisition.TAKEN_OVER) {
            repairAfterDeadProducer();
        }
        return got;
    }

    /** The consumer's {@link #lockForWriting}. */
    public Acquisition lockForReading(Backoff backoff, Guard guard) throws InterruptedException {
        Acquisition got = consumerLock.acquire(backoff, guard);
        if (got == Acquisition.TAKEN_OVER) {
            repairAfterDeadConsumer();
        }
        return got;
    }

    /** For the consumer that took the lock over from a dead one: settles its commit record. */
    void repairAfterDeadConsumer() {
        settleCommit(TAKES);
    }

    /**
     * For the producer that took the lock over from a dead one: settles its commit record, and
     * takes back (or marks abandoned) its partly published message.
     */
    void repairAfterDeadProducer() {
        settleCommit(PUTS);
        long open = Words.getAcquire(buffer, at + OPEN_MESSAGE_OFFSET);
        long tail = Words.getAcquire(buffer, at + TAIL_OFFSET);
        if (open != -1 && open < tail) {
            dropPublishedChunks(open);
        }
        // (open >= tail: it died before its first chunk was published, or after it had taken
        // the tail back; nothing of it is there, and the next message may start at that very
        // position, so it must not be marked.)
        Words.setRelease(buffer, at + OPEN_MESSAGE_OFFSET, -1L);
    }

    /**
     * Writes one message; the caller holds the producer lock. Waits for room as
     * {@code backoff} allows.
     *
     * @return false if the time ran out; the message is then absent (or, if it was being
     *         written in chunks and a consumer had begun it, abandoned: that consumer drops what
     *         it read of it)
     * @throws InterruptedException if interrupted while waiting for room (the message is
     *         absent or abandoned)
     */
    boolean write(int flags, byte[] body, int offset, int length, Backoff backoff, Guard guard)
            throws InterruptedException {
        long tail = Words.getAcquire(buffer, at + TAIL_OFFSET);
        long before = tail;
        long start = -1;
        int done = 0;
        boolean first = true;
        do {
            int chunk = Math.min(length - done, maxChunk);
            boolean more = done + chunk < length;
            int record = align(8 + chunk);
            int contiguous = capacity - (int) (tail & mask);
            long need = record <= contiguous ? record : (long) contiguous + record;
            boolean room;
            try {
                room = awaitRoom(tail + need, backoff, guard);
            } catch (InterruptedException | RuntimeException | Error e) {
                giveUp(start);
                throw e;
            }
            if (!room) {
                giveUp(start);
                return false;
            }
            backoff.progress();
            if (record > contiguous) {
                Words.setIntPlain(buffer, data + (int) (tail & mask), PAD | contiguous);
                tail += contiguous;
            }
            int i = data + (int) (tail & mask);
            if (first && more) {
                start = tail;
                // Before the message is open: whoever finds it open (this producer giving up,
                // or the one that takes its lock over) rewinds to here, its PAD included.
                Words.setRelease(buffer, at + REWIND_TAIL_OFFSET, before);
                Words.setRelease(buffer, at + OPEN_MESSAGE_OFFSET, start);
            }
            Words.putBytes(buffer, i + 8, body, offset + done, chunk);
            Words.setIntPlain(buffer, i, chunk | flags | (more ? MORE : 0) | (first ? 0 : CONT));
            Words.setIntPlain(buffer, i + 4, length);
            tail += record;
            mayDieHere("put: record written");
            if (more) {
                Words.setRelease(buffer, at + TAIL_OFFSET, tail);
                mayDieHere("put: chunk published");
            } else {
                commit(PUTS, tail);
            }
            dataWaiters.wakeOne();
            done += chunk;
            first = false;
        } while (done < length);
        if (start != -1) {
            Words.setRelease(buffer, at + OPEN_MESSAGE_OFFSET, -1L);
        }
        return true;
    }

    /**
     * The four words one side of the ring keeps a count in (see the class comment), and the
     * names of the points between its stores, for {@link #deathPoint}.
     */
    private static final class CountWords {
        final int notedPosition;
        final int notedCount;
        final int position;
        final int stored;
        final String[] points;

        CountWords(int notedPosition, int notedCount, int position, int stored, String side, String what) {
            this.notedPosition = notedPosition;
            this.notedCount = notedCount;
            this.position = position;
            this.stored = stored;
            this.points = new String[] {side + ": commit " + what + " noted", side + ": commit count noted",
                    side + ": " + what + " published", side + ": count stored"};
        }
    }

    private static final CountWords PUTS = new CountWords(COMMIT_TAIL_OFFSET, COMMIT_PUT_OFFSET, TAIL_OFFSET, PUT_COUNT_OFFSET, "put", "tail");
    private static final CountWords TAKES = new CountWords(COMMIT_HEAD_OFFSET, COMMIT_TAKE_OFFSET, HEAD_OFFSET, TAKE_COUNT_OFFSET, "take", "head");

    /**
     * Publishes {@code position} (the end of a message's last record) and counts the message,
     * as a redo log: the commit record, then the position (the commit point), then the count.
     */
    private void commit(CountWords w, long position) {
        // The stored count is exact for the lock holder: a holder that died mid-commit left it
        // behind, but whoever took its lock over settled it (lockForWriting/lockForReading)
        // before writing anything, so one load serves where committed(w) would take four.
        long count = Words.getAcquire(buffer, at + w.stored) + 1;
        Words.setRelease(buffer, at + w.notedPosition, position);
        mayDieHere(w.points[0]);
        Words.setRelease(buffer, at + w.notedCount, count);
        mayDieHere(w.points[1]);
        Words.setRelease(buffer, at + w.position, position);
        mayDieHere(w.points[2]);
        Words.setRelease(buffer, at + w.stored, count);
        mayDieHere(w.points[3]);
    }

    /** The consumer's {@link #commit}, which also makes room for waiting producers. */
    private void commitTake(long head) {
        commit(TAKES, head);
        roomWaiters.wakeOne();
    }

    /**
     * For whoever took a lock over from a dead holder: finishes or forgets the holder's commit
     * record, so that the record is true again before the position moves (a noted position left
     * ahead of the published one would otherwise count the dead message once a later record is
     * published past it). The count first, then the position: the record stays ignorable until
     * it is true, so a repairer that dies too leaves it for the next.
     */
    private void settleCommit(CountWords w) {
        long count = committed(w);
        Words.setRelease(buffer, at + w.stored, count);
        Words.setRelease(buffer, at + w.notedCount, count);
        Words.setRelease(buffer, at + w.notedPosition,
                Words.getAcquire(buffer, at + w.position));
    }

    /**
     * A count kept by {@link #commit}: the noted count if the noted position has been
     * published, else the stored one. Reads the noted count first, so a commit record of a
     * later message can only make the answer smaller, never larger, while someone is writing;
     * when nobody is (or the writer died), the answer is exact.
     */
    private long committed(CountWords w) {
        long noted = Words.getAcquire(buffer, at + w.notedCount);
        long notedAt = Words.getAcquire(buffer, at + w.notedPosition);
        long published = Words.getAcquire(buffer, at + w.position);
        long count = Words.getAcquire(buffer, at + w.stored);
        return notedAt <= published ? Math.max(count, noted) : count;
    }

    /**
     * Waits until the ring has room up to position {@code end}, as {@code backoff} allows; the
     * caller holds the producer lock.
     *
     * @return false if the time ran out
     */
    private boolean awaitRoom(long end, Backoff backoff, Guard guard) throws InterruptedException {
        if (end - seenHead <= capacity) {
            return true;
        }
        backoff.on(roomWaiters);
        while (end - readHead() > capacity) {
            guard.check(backoff.slowCheckDue());
            if (!backoff.idle() && end - readHead() > capacity) {
                return false;
            }
        }
        return true;
    }

    /** The producer stops writing the message it opened at {@code start} (-1: none open). */
    private void giveUp(long start) {
        if (start != -1) {
            dropPublishedChunks(start);
            Words.setRelease(buffer, at + OPEN_MESSAGE_OFFSET, -1L);
        }
    }

    /**
     * Makes the published chunks of the unfinished message at {@code start} not a message:
     * gone, by a {@link #rewind}, if no consumer has begun it; else marked abandoned, so that
     * the consumer that has drops what it read and reads past the rest.
     */
    private void dropPublishedChunks(long start) {
        if (!rewind(start)) {
            Words.setRelease(buffer, at + ABANDONED_OFFSET, start);
            dataWaiters.wakeAll();
        }
    }

    /**
     * Takes the tail back to where the unfinished message at {@code start} began, if no
     * consumer has begun it; the caller holds the producer lock. Else its chunks would keep
     * their room until a consumer read past them: a bounded queue with no item in it would
     * refuse a small one (and its producer would wait for a consumer).
     *
     * <p>Consumers read only under the consumer lock, so while this holds it none is in the
     * ring, and the head says whether one got past the start. It takes the lock only if it is
     * free, never waiting: a holder may be a consumer inside this very message, waiting for
     * the chunks that will not come, or a dead one. A consumer that comes meanwhile waits for
     * the lock and finds the ring as it was before the message. The tail is the one word that
     * moves: a producer killed before that store leaves the message open, to be dropped by the
     * producer that takes its lock over (abandoned, as it finds the consumer lock held by a dead
     * process, until a consumer takes that over); one killed after it leaves the message gone
     * and the open-message word at or past the tail, which that producer knows to clear. The counts
     * need nothing: the message was never counted put, and a commit record noting a position
     * past the new tail (one a repair settled) notes the stored count, so it counts nothing.
     *
     * @return false if the message is still there: a consumer holds the lock, or has read part
     *         of it and let go (it found the producer dead, or took the lock over from a dead
     *         reader that had begun it)
     */
    private boolean rewind(long start) {
        if (!consumerLock.tryAcquireFree()) {
            return false;
        }
        try {
            long head = Words.getAcquire(buffer, at + HEAD_OFFSET);
            if (head > start) {
                return false;
            }
            mayDieHere("rewind: consumer lock taken");
            // Not behind the head: a consumer may have moved it past the PAD before the message.
            long before = Math.max(head, Words.getAcquire(buffer, at + REWIND_TAIL_OFFSET));
            Words.setRelease(buffer, at + TAIL_OFFSET, before);
            mayDieHere("rewind: tail taken back");
        } finally {
            consumerLock.release();
        }
        return true;
    }

    /** Messages put so far; with {@link #taken()} it tells whether a bounded queue is full. */
    long put() {
        return committed(PUTS);
    }

    /** Messages taken so far (a message a dead consumer had started counts, once dropped). */
    long taken() {
        return committed(TAKES);
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
        return read(backoff, guard, null);
    }

    /** What {@link #read(Backoff, Guard, BooleanSupplier)} returns for a ring left for good. */
    static final byte[] MOVED_ON = new byte[0];

    /**
     * {@link #read(Backoff, Guard)}, except that once the ring is empty and {@code left} says
     * its producer has moved on to another ring for good, it returns {@link #MOVED_ON} instead
     * of waiting.
     */
    byte[] read(Backoff backoff, Guard guard, BooleanSupplier left) throws InterruptedException {
        long head = Words.getAcquire(buffer, at + HEAD_OFFSET);
        byte[] out = null;
        int filled = 0;
        long messageStart = -1;
        boolean raw = false;
        boolean interrupted = false;
        backoff.on(dataWaiters);
        try {
            while (true) {
                long tail = Words.getAcquire(buffer, at + TAIL_OFFSET);
                if (head == tail) {
                    boolean slow = backoff.slowCheckDue();
                    if (out == null) {
                        if (interrupted) {
                            // A message it had started was abandoned: nothing was taken.
                            interrupted = false;
                            throw new InterruptedException();
                        }
                        guard.check(slow);
                        // The producer's last store to this ring came before it said it left,
                        // so the tail read after that is final.
                        if (left != null && left.getAsBoolean()
                                && head == Words.getAcquire(buffer, at + TAIL_OFFSET)) {
                            return MOVED_ON;
                        }
                        if (!backoff.idle() && head == Words.getAcquire(buffer, at + TAIL_OFFSET)) {
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
                int info = Words.getIntPlain(buffer, i);
                if ((info & PAD) != 0) {
                    head += capacity - (int) (head & mask);
                    publishHead(head);
                    continue;
                }
                int chunk = info & LENGTH;
                int record = align(8 + chunk);
                if ((info & CONT) == 0) {
                    // A new message; one being read before it was abandoned.
                    out = new byte[Words.getIntPlain(buffer, i + 4)];
                    filled = 0;
                    messageStart = head;
                    if ((info & MORE) != 0) {
                        // Before the head moves past this first chunk: size() asks which
                        // message a consumer (perhaps a dead one) is inside.
                        Words.setRelease(buffer, at + READING_START_OFFSET, head);
                    }
                    raw = (info & RAW) != 0;
                } else if (out == null) {
                    // The rest of a message whose start a consumer that died had taken: drop it,
                    // and count it as taken, as that consumer would have.
                    head += record;
                    publishRecordTaken(head, (info & MORE) == 0);
                    continue;
                }
                Words.getBytes(buffer, i + 8, out, filled, chunk);
                filled += chunk;
                head += record;
                mayDieHere("take: record copied");
                if ((info & MORE) == 0) {
                    commitTake(head);
                    lastReadRaw = raw;
                    return out;
                }
                publishHead(head);
                mayDieHere("take: chunk taken");
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Moves the head past a record; if it ended a message, counts the message taken. */
    private void publishRecordTaken(long head, boolean last) {
        if (last) {
            commitTake(head);
        } else {
            publishHead(head);
        }
    }

    /**
     * For a caller holding the consumer lock: drops the rest of a message a dead consumer had
     * started, then returns the length of the next message, or -1 if there is none yet.
     */
    int peekLength() {
        long head = Words.getAcquire(buffer, at + HEAD_OFFSET);
        while (head != Words.getAcquire(buffer, at + TAIL_OFFSET)) {
            int i = data + (int) (head & mask);
            int info = Words.getIntPlain(buffer, i);
            if ((info & PAD) != 0) {
                head += capacity - (int) (head & mask);
                publishHead(head);
                continue;
            }
            if ((info & CONT) != 0) {
                head += align(8 + (info & LENGTH));
                publishRecordTaken(head, (info & MORE) == 0);
                continue;
            }
            return Words.getIntPlain(buffer, i + 4);
        }
        return -1;
    }

    private void publishHead(long head) {
        Words.setRelease(buffer, at + HEAD_OFFSET, head);
        roomWaiters.wakeOne();
    }

    /** Wakes every sleeper on this ring: something they must look at changed (a pipe end closed). */
    void wakeEveryone() {
        dataWaiters.wakeAll();
        roomWaiters.wakeAll();
        joinWaiters.wakeAll();
    }

    private boolean isAbandoned(long messageStart, boolean slow) {
        if (Words.getAcquire(buffer, at + ABANDONED_OFFSET) == messageStart) {
            return true;
        }
        if (!slow) {
            return false;
        }
        // A writer that died mid-message, with no other producer yet to take its lock over. Read
        // the tail last: a writer that finished just before it died has published its last chunk.
        long tail = Words.getAcquire(buffer, at + TAIL_OFFSET);
        long writer = producerLock.holder();
        return writer != 0
                && Words.getAcquire(buffer, at + OPEN_MESSAGE_OFFSET) == messageStart
                && !ProcessToken.isAlive(writer)
                && tail == Words.getAcquire(buffer, at + TAIL_OFFSET);
    }

    private static int align(int n) {
        return (n + 7) & ~7;
    }
}
