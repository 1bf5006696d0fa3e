package org.multiprocessing4j;

import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.time.Duration;
import java.util.AbstractQueue;
import java.util.Collection;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.internal.access.ProcessQueueAccess;
import org.multiprocessing4j.internal.access.SharedSecrets;
import org.multiprocessing4j.internal.channel.LocalQueueStore;
import org.multiprocessing4j.spi.QueueStore;

/**
 * A FIFO queue that every process of a family can put to and take from: Python's
 * {@code multiprocessing.Queue} as a {@link BlockingQueue}.
 *
 * <p>Make one with {@link ProcessContext#queue()} or {@link #create()}, and pass it to a child
 * by capturing it in the target (or keeping it in a field of a {@link JvmProcess} subclass).
 * It travels as a small handle and re-attaches in the child; its items stay where they are.
 * Any number of threads in any processes of the family (parent, children, grandchildren) may
 * put and take at once. Items put by one thread come out in the order it put them.
 *
 * <p>Items live in shared memory, not in a feeder thread: an item whose {@code put} has
 * returned is delivered even if its producer dies at once, and a process that has put items
 * nobody has read can be joined (Python deadlocks there). An item is encoded in the caller's
 * thread before anything is written, so one that cannot be serialized is refused by
 * {@code put} with a {@link ProcessSerializationException} naming its class. {@code Integer},
 * {@code Long}, {@code Double}, {@code Boolean}, {@code String} and {@code byte[]} take a fast
 * path; other items use Java serialization and must be {@link Serializable}, with their classes
 * on the class path of the processes that take them. Null items are refused, as in every
 * {@code BlockingQueue}.
 *
 * <p>Bounds: a queue made with a {@code maxsize} holds at most that many items, and its
 * {@code put} waits for room as {@code BlockingQueue} requires. Every queue has a ring of shared
 * memory (4 MiB unless the system property {@code multiprocessing4j.queueBufferBytes} says
 * otherwise, rounded up to a power of two). A bounded queue's {@code put} also waits when unread
 * items fill the ring; an item larger than a quarter of it travels in pieces, streamed while a
 * consumer reads it. An unbounded queue ({@link #create()}) never makes {@code put} wait, as
 * Python's {@code Queue()} does not: items the ring cannot take go to further segments of
 * shared memory, which outlive their producer (a process can put 64 MiB nobody reads yet, end,
 * be joined, and a consumer still gets every item in order) and are freed as they are read.
 * What one unbounded queue may use in all is capped by {@code -Dmultiprocessing4j.queueMaxBytes}
 * (default: a quarter of {@code /dev/shm}); a {@code put} past it throws
 * {@link IllegalStateException} and an {@code offer} returns false, with nothing put. Where
 * {@code /dev/shm} is full, the segments go to {@code java.io.tmpdir} instead.
 *
 * <p>A waiting thread spins for some microseconds, then sleeps in the kernel until the process
 * that puts an item (or takes one, for a full queue) wakes it: an idle consumer uses no CPU.
 *
 * <p>Memory consistency effects: an item travels as a copy, even between threads of one JVM.
 * {@code put} encodes it in the calling thread (a {@code byte[]} is copied into shared memory
 * during the call), so the taker gets a new object with the content the item had while
 * {@code put} ran; changes made to the item afterwards are seen by nobody. As in any
 * {@code BlockingQueue}, actions in a thread prior to placing an item into the queue
 * ({@code put}, {@code offer}, {@code add}) happen-before actions subsequent to the removal of
 * that item ({@code take}, {@code poll}, {@code drainTo}) in another thread of this JVM, or in a
 * thread of another process of the family for the memory the two processes share (the shared
 * objects of this package, such as {@link SharedLong} or {@link SharedMemory}): the producer
 * writes the item's bytes and then publishes them with a release store, and the consumer reads
 * that position with an acquire load before it copies them out (see the package description).
 * {@code size()}, {@code isEmpty()} and {@code remainingCapacity()} give no such guarantee.
 *
 * <p>{@link #close()} closes the queue in this process only (as Python's {@code close()}):
 * later calls here throw {@link IllegalStateException}, threads of this process waiting in it
 * wake with that exception, and other processes are unaffected. The shared memory is released
 * when no process uses the queue any more, even if processes were killed.
 *
 * <p>Not supported, because another process can take any item at any moment: {@link #peek},
 * {@link #element}, {@link #iterator} and what is built on it ({@code contains},
 * {@code remove(Object)}, {@code toArray}); they throw {@link UnsupportedOperationException}.
 *
 * @param <E> the type of the items
 */
public class ProcessQueue<E> extends AbstractQueue<E> implements BlockingQueue<E>, AutoCloseable, Serializable {
    private static final long serialVersionUID = 1L;
    /** What errors call a queue; {@link #kind()}. */
    static final String KIND = "queue";

    /** Where the items are; told when this facade is closed, so that its waiters wake. */
    final transient QueueStore store;
    private transient volatile boolean closed;

    static {
        SharedSecrets.setProcessQueueAccess(new ProcessQueueAccess() {
            @Override
            public <E> ProcessQueue<E> create(int bufferBytes) {
                return new ProcessQueue<>(LocalQueueStore.create(0, bufferBytes, KIND));
            }

            @Override
            public java.util.List<Object> drainAfterDeath(ProcessQueue<?> queue, long lockPatienceNanos)
                    throws InterruptedException {
                // The pool's own queues, made above: always of this machine.
                return ((LocalQueueStore) queue.store).drain(lockPatienceNanos);
            }
        });
    }

    /** {@link #what()}, once made (a benign race: every thread makes the same string). */
    private transient String what;

    ProcessQueue(QueueStore store) {
        this.store = store;
    }

    /**
     * Makes an unbounded queue: {@code put} never waits, up to the memory cap of the class
     * description. Any thread may call this.
     *
     * @throws java.io.UncheckedIOException if the shared memory cannot be made (a full
     *         {@code /dev/shm}, say); the message names the directory
     */
    public static <E> ProcessQueue<E> create() {
        return new ProcessQueue<>(LocalQueueStore.create(0, KIND));
    }

    /**
     * Makes a queue that holds at most {@code maxsize} items, as Python's {@code Queue(maxsize)}.
     *
     * @param maxsize the most items the queue holds; 0 means no bound but the buffer
     * @throws IllegalArgumentException if {@code maxsize} is negative
     * @throws java.io.UncheckedIOException if the shared memory cannot be made
     */
    public static <E> ProcessQueue<E> create(int maxsize) {
        return new ProcessQueue<>(LocalQueueStore.create(checkMaxsize(maxsize), KIND));
    }

    static int checkMaxsize(int maxsize) {
        if (maxsize < 0) {
            throw new IllegalArgumentException("maxsize must be 0 (no bound) or positive, not " + maxsize);
        }
        return maxsize;
    }

    String kind() {
        return KIND;
    }

    /**
     * Puts {@code item}, waiting for room if the queue is full. Any thread may call this.
     *
     * @throws NullPointerException if {@code item} is null
     * @throws ProcessSerializationException if {@code item} cannot be serialized; nothing is put
     * @throws IllegalStateException if the queue is closed in this process (also if it is
     *         closed by another thread while this one waits), or if it is unbounded and the
     *         item would take it past {@code -Dmultiprocessing4j.queueMaxBytes} (nothing is put)
     * @throws java.io.UncheckedIOException if an unbounded queue needs more shared memory and
     *         no directory has room for it (nothing is put; the message names the directories)
     * @throws InterruptedException if interrupted while waiting; nothing is put
     */
    @Override
    public void put(E item) throws InterruptedException {
        store.put(checkItem(item), what(), -1);
    }

    /**
     * Puts {@code item} if there is room now (waiting at most a few milliseconds for another
     * process that is putting at this moment).
     *
     * @return false if the queue is full (for an unbounded queue: if the item would take it past
     *         {@code -Dmultiprocessing4j.queueMaxBytes})
     * @throws NullPointerException if {@code item} is null
     * @throws ProcessSerializationException if {@code item} cannot be serialized
     * @throws IllegalStateException if the queue is closed in this process
     * @throws java.io.UncheckedIOException if an unbounded queue needs more shared memory and
     *         no directory has room for it (nothing is put; the message names the directories)
     */
    @Override
    public boolean offer(E item) {
        Object checked = checkItem(item);
        try {
            return store.put(checked, what(), 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Puts {@code item}, waiting at most {@code timeout} for room.
     *
     * @return false if there was no room in time (for an unbounded queue: if the item would take
     *         it past {@code -Dmultiprocessing4j.queueMaxBytes}); nothing is put
     * @throws NullPointerException if an argument is null
     * @throws ProcessSerializationException if {@code item} cannot be serialized
     * @throws IllegalStateException if the queue is closed in this process
     * @throws java.io.UncheckedIOException if an unbounded queue needs more shared memory and
     *         no directory has room for it (nothing is put; the message names the directories)
     * @throws InterruptedException if interrupted while waiting; nothing is put
     */
    @Override
    public boolean offer(E item, long timeout, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(unit, "unit");
        return store.put(checkItem(item), what(), Math.max(0, unit.toNanos(timeout)));
    }

    /** As {@link #offer(Object, long, TimeUnit)}, with a {@code Duration}. */
    public boolean offer(E item, Duration timeout) throws InterruptedException {
        return store.put(checkItem(item), what(), nanos(timeout));
    }

    /**
     * Takes the next item, waiting until there is one. Any thread may call this.
     *
     * @throws IllegalStateException if the queue is closed in this process (also while
     *         waiting), or if the item cannot be decoded in this JVM (its class is missing,
     *         say; the item is consumed)
     * @throws InterruptedException if interrupted while waiting; nothing is taken
     */
    @Override
    public E take() throws InterruptedException {
        checkOpen();
        return taken(store.take(-1));
    }

    /**
     * Takes the next item, waiting at most {@code timeout}.
     *
     * @return the item, or null if none came in time
     * @throws IllegalStateException as {@link #take()}
     * @throws InterruptedException if interrupted while waiting; nothing is taken
     */
    @Override
    public E poll(long timeout, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(unit, "unit");
        checkOpen();
        return taken(store.take(Math.max(0, unit.toNanos(timeout))));
    }

    /** As {@link #poll(long, TimeUnit)}, with a {@code Duration}. */
    public E poll(Duration timeout) throws InterruptedException {
        long nanos = nanos(timeout);
        checkOpen();
        return taken(store.take(nanos));
    }

    /**
     * Takes the next item if there is one now.
     *
     * @return the item, or null if the queue is empty
     * @throws IllegalStateException as {@link #take()}
     */
    @Override
    public E poll() {
        checkOpen();
        try {
            return taken(store.take(0));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    private E taken(Object item) {
        return (E) item;
    }

    /** Not supported: another process may take the item at any moment. Use {@link #poll()}. */
    @Override
    public E peek() {
        throw new UnsupportedOperationException("peek() is not supported by a " + kind()
                + " shared between processes: another process may take the item at any moment; use poll()");
    }

    /** Not supported: see {@link #peek()}. */
    @Override
    public Iterator<E> iterator() {
        throw new UnsupportedOperationException("a " + kind() + " shared between processes cannot be"
                + " iterated: another process may take any item at any moment; use poll() or drainTo()");
    }

    /**
     * The number of items put and not yet taken: a best-effort count, exact only while nobody
     * puts or takes.
     *
     * @throws IllegalStateException if the queue is closed in this process
     */
    @Override
    public int size() {
        checkOpen();
        return store.size();
    }

    /** Whether no item is waiting now; best effort, as {@link #size()}. */
    @Override
    public boolean isEmpty() {
        checkOpen();
        return store.isEmpty();
    }

    /**
     * For a queue made with a {@code maxsize}, how many more items fit (best effort); otherwise
     * {@link Integer#MAX_VALUE}.
     */
    @Override
    public int remainingCapacity() {
        checkOpen();
        int max = store.maxsize();
        return max == 0 ? Integer.MAX_VALUE : Math.max(0, max - store.size());
    }

    /** The bound this queue was made with, or 0 if it has none. */
    public int maxsize() {
        return store.maxsize();
    }

    /** Takes every item there is now into {@code sink}; returns how many. */
    @Override
    public int drainTo(Collection<? super E> sink) {
        return drainTo(sink, Integer.MAX_VALUE);
    }

    /**
     * Takes at most {@code maxElements} items there are now into {@code sink}.
     *
     * @throws IllegalArgumentException if {@code sink} is this queue
     */
    @Override
    public int drainTo(Collection<? super E> sink, int maxElements) {
        Objects.requireNonNull(sink, "sink");
        if (sink == this) {
            throw new IllegalArgumentException("cannot drain a queue into itself");
        }
        int n = 0;
        E item;
        while (n < maxElements && (item = poll()) != null) {
            sink.add(item);
            n++;
        }
        return n;
    }

    /**
     * Closes this queue in this process; idempotent. Threads of this process waiting in it
     * wake with an {@link IllegalStateException}. Items already put stay for other processes.
     */
    @Override
    public synchronized void close() {
        // Synchronized: the store is told once (QueueStore.closedHere), even by threads closing at once.
        if (!closed) {
            closed = true;
            store.closedHere();
        }
    }

    /** Whether {@link #close()} was called in this process. */
    public boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return (closed ? "closed " : "") + kind() + "[" + (closed ? "" : "size≈" + store.size())
                + (store.maxsize() > 0 ? ", maxsize=" + store.maxsize() : "") + "]";
    }

    Facade facade() {
        return Facade.QUEUE;
    }

    /** How an item is named in an error; made once, as a put must not build a string. */
    private String what() {
        String w = what;
        if (w == null) {
            w = "an item of a " + kind();
            what = w;
        }
        return w;
    }

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException(kind() + " is closed");
        }
    }

    private Object checkItem(E item) {
        checkOpen();
        if (item == null) {
            throw new NullPointerException(kind() + " items cannot be null");
        }
        return item;
    }

    static long nanos(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            return 0;
        }
        try {
            return timeout.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    /** What travels instead of a queue: how to reach its store, not its items. */
    Object writeReplace() throws ObjectStreamException {
        checkOpen();
        return facade().handle(store.handle());
    }

    private void readObject(ObjectInputStream in) throws InvalidObjectException {
        throw new InvalidObjectException("a queue travels as its handle");
    }
}
