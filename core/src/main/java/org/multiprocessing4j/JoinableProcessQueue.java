package org.multiprocessing4j;

import java.time.Duration;
import org.multiprocessing4j.internal.channel.LocalQueueStore;
import org.multiprocessing4j.spi.QueueStore;

/**
 * A {@link ProcessQueue} that counts unfinished work, as Python's
 * {@code multiprocessing.JoinableQueue}: every item put adds one, every {@link #taskDone()}
 * (by whichever process handled an item) takes one away, and {@link #join()} waits until the
 * count is zero. The count lives in shared memory with the items, so it is the same in every
 * process. Everything else is as in {@link ProcessQueue}.
 *
 * <p>Memory consistency effects: those of {@link ProcessQueue}, and in addition: actions in a
 * thread prior to calling {@link #taskDone()} happen-before actions following the return of a
 * {@link #join()} (or a {@link #join(Duration)} that returns true) that counted that call, in
 * another thread of any process of the family (across processes, for the memory they share).
 * {@code taskDone()} is a compare-and-set on a count in shared memory and {@code join()} reads it
 * with volatile reads. A {@code join(Duration)} that returns false, and
 * {@link #unfinishedTasks()}, give no such guarantee.
 *
 * @param <E> the type of the items
 */
public final class JoinableProcessQueue<E> extends ProcessQueue<E> {
    private static final long serialVersionUID = 1L;
    /** What errors call a joinable queue; {@link #kind()}. */
    static final String KIND = "joinable queue";

    JoinableProcessQueue(QueueStore store) {
        super(store);
    }

    /**
     * Makes an unbounded joinable queue: {@code put} never waits (see {@link ProcessQueue} for
     * its memory cap).
     *
     * @throws java.io.UncheckedIOException if the shared memory cannot be made
     */
    public static <E> JoinableProcessQueue<E> create() {
        return new JoinableProcessQueue<>(LocalQueueStore.create(0, KIND));
    }

    /**
     * Makes a joinable queue that holds at most {@code maxsize} items.
     *
     * @throws IllegalArgumentException if {@code maxsize} is negative
     * @throws java.io.UncheckedIOException if the shared memory cannot be made
     */
    public static <E> JoinableProcessQueue<E> create(int maxsize) {
        return new JoinableProcessQueue<>(LocalQueueStore.create(checkMaxsize(maxsize), KIND));
    }

    @Override
    String kind() {
        return KIND;
    }

    @Override
    Facade facade() {
        return Facade.JOINABLE_QUEUE;
    }

    /**
     * Says that one item taken from this queue has been handled. Any thread of any process of
     * the family may call it, once per item. Does not block.
     *
     * @throws IllegalStateException if called more times than items were put, or if the queue
     *         is closed in this process
     */
    public void taskDone() {
        checkOpen();
        if (!store.taskDone()) {
            throw new IllegalStateException("taskDone() called more times than there were items put");
        }
    }

    /**
     * Waits until every item put has been taken and marked done with {@link #taskDone()}.
     * Returns at once if none is unfinished.
     *
     * @throws IllegalStateException if the queue is closed in this process (also while waiting)
     * @throws InterruptedException if interrupted while waiting
     */
    public void join() throws InterruptedException {
        checkOpen();
        store.join(-1);
    }

    /**
     * Waits at most {@code timeout} for every item put to be marked done.
     *
     * @return true if none is unfinished, false if the time ran out first
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalStateException if the queue is closed in this process
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean join(Duration timeout) throws InterruptedException {
        long nanos = nanos(timeout);
        checkOpen();
        return store.join(nanos);
    }

    /** Items put and not yet marked done; best effort while others put or finish. */
    public long unfinishedTasks() {
        checkOpen();
        return store.unfinishedTasks();
    }
}
