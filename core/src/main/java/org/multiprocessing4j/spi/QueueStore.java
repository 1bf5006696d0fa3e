package org.multiprocessing4j.spi;

/**
 * Where the items of a {@link org.multiprocessing4j.ProcessQueue} (or a
 * {@link org.multiprocessing4j.JoinableProcessQueue}) live: shared memory on one machine, or a
 * cluster's queue. The facade checks its arguments (nulls, negative timeouts, closed-here) before
 * it calls; a store checks what only it can know. A timeout of {@code -1} nanoseconds means wait
 * as long as it takes, {@code 0} means do not wait.
 */
public interface QueueStore {
    /**
     * Puts {@code item}, encoding it in the caller's thread first (nothing is put if that fails).
     *
     * @param item a non-null item
     * @param what how to name the item in an error ("an item of a queue")
     * @return false if there was no room within the timeout
     * @throws org.multiprocessing4j.ProcessSerializationException if the item cannot be encoded
     * @throws IllegalStateException if the queue was closed in this process while waiting
     * @throws InterruptedException if interrupted while waiting (nothing was put)
     */
    boolean put(Object item, String what, long timeoutNanos) throws InterruptedException;

    /**
     * Takes the next item.
     *
     * @return the item, or null if none came within the timeout
     * @throws IllegalStateException if the queue was closed in this process while waiting
     * @throws InterruptedException if interrupted while waiting (nothing was taken)
     */
    Object take(long timeoutNanos) throws InterruptedException;

    /** How many items are in the queue now (a snapshot). */
    int size();

    /**
     * Whether no item is in the queue now (a snapshot). By default {@code size() == 0}; a store
     * that can tell more cheaply, or more exactly (an item being written or read counts), says so.
     */
    default boolean isEmpty() {
        return size() == 0;
    }

    /** The bound given when the queue was made, 0 for none. */
    int maxsize();

    /**
     * Counts one item as done (a joinable queue's {@code taskDone()}).
     *
     * @return false, changing nothing, if every item put is already done
     */
    boolean taskDone();

    /**
     * Waits until every item put has been counted done.
     *
     * @return false on timeout
     */
    boolean join(long timeoutNanos) throws InterruptedException;

    /** Items put and not yet counted done. */
    long unfinishedTasks();

    /**
     * The facade was closed in this process: wake this process's waiters with an
     * {@link IllegalStateException} and let go of what this process holds. Other processes are
     * unaffected. Called at most once.
     */
    void closedHere();

    /** The serial form of this store. */
    StoreHandle<QueueStore> handle();
}
