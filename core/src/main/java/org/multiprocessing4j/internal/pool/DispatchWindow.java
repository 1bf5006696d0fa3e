package org.multiprocessing4j.internal.pool;

/**
 * How many tasks a worker may hold (its window: sent and not yet answered), and which messages
 * wait for an idle worker.
 *
 * <p>The window adapts so that a worker has about {@link #QUEUED_WORK_NANOS} of work queued,
 * by an average of recent run times per item, between {@link #MIN} and {@link #MAX} tasks:
 * short tasks stream (the worker never waits for the pool), long ones do not queue behind each
 * other (a task waiting in a busy worker's inbox could have run on a worker that became idle).
 * A message bigger than a quarter of an inbox goes only to an idle worker, for the same reason.
 *
 * <p>Not thread-safe: the engine uses it under its lock.
 */
final class DispatchWindow {
    static final int MIN = 2;
    static final int MAX = 64;
    /** A window is sized so that a worker has about this much work queued. */
    static final long QUEUED_WORK_NANOS = 300_000;

    private final int maxTasksPerChild;
    private final int bigMessageBytes;
    /** Average run time of one item: 7/8 of the last average and 1/8 of the newest task's. */
    private long itemNanos = QUEUED_WORK_NANOS;

    /**
     * @param maxTasksPerChild items a worker runs before it exits, or 0 for no limit
     * @param inboxBytes the size of a worker's inbox
     */
    DispatchWindow(int maxTasksPerChild, int inboxBytes) {
        this.maxTasksPerChild = maxTasksPerChild;
        this.bigMessageBytes = inboxBytes / 4;
    }

    /** A task of {@code items} items was answered {@code tookNanos} after it was sent or started. */
    void answered(long tookNanos, int items) {
        itemNanos = (itemNanos * 7 + Math.max(1, tookNanos / Math.max(1, items))) / 8;
    }

    /** How many tasks a worker may hold now. */
    int size() {
        long w = QUEUED_WORK_NANOS / Math.max(1, itemNanos) + 1;
        return (int) Math.max(MIN, Math.min(MAX, w));
    }

    /**
     * Whether a worker that holds {@code inFlight} tasks and was sent {@code itemsSent} items
     * in all may be sent another: its window is not full, and it has not been sent all it may run.
     */
    boolean hasRoom(int inFlight, long itemsSent) {
        return inFlight < size() && (maxTasksPerChild <= 0 || itemsSent < maxTasksPerChild);
    }

    /** Whether a message of {@code bytes} may go to a worker now: a big one only when it is idle. */
    boolean mayGo(int bytes, boolean workerIdle) {
        return workerIdle || bytes <= bigMessageBytes;
    }
}
