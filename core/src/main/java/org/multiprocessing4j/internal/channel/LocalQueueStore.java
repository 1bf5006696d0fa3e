package org.multiprocessing4j.internal.channel;

import java.io.Serializable;
import java.util.List;
import org.multiprocessing4j.internal.shm.Guard;
import org.multiprocessing4j.spi.QueueStore;
import org.multiprocessing4j.spi.StoreHandle;

/**
 * A queue of this machine as one {@code ProcessQueue} sees it: the {@link QueueChannel} every
 * handle to the queue in this JVM shares, and what is this facade's own, whether it was closed
 * here. One per facade, so that closing one facade wakes only its own waiters.
 */
public final class LocalQueueStore implements QueueStore {
    private final QueueChannel channel;
    /** "queue" or "joinable queue", for the message a closed queue's waiters get. */
    private final String kind;
    private volatile boolean closed;
    /** What every wait checks: that this facade was not closed here meanwhile. */
    private final Guard guard;

    private LocalQueueStore(QueueChannel channel, String kind) {
        this.channel = channel;
        this.kind = kind;
        this.guard = slow -> {
            if (closed) {
                throw new IllegalStateException(kind + " is closed");
            }
        };
    }

    /**
     * Makes a queue with the default buffer.
     *
     * @param maxsize the most items it holds, or 0 for no bound but its buffer
     * @param kind how errors name it: "queue" or "joinable queue"
     * @throws java.io.UncheckedIOException if the shared memory cannot be made
     */
    public static LocalQueueStore create(int maxsize, String kind) {
        return new LocalQueueStore(QueueChannel.create(maxsize), kind);
    }

    /** Makes a queue with a buffer of {@code bytes} (a power of two, at least 4 KiB). */
    public static LocalQueueStore create(int maxsize, int bytes, String kind) {
        return new LocalQueueStore(QueueChannel.create(maxsize, bytes), kind);
    }

    @Override
    public boolean put(Object item, String what, long timeoutNanos) throws InterruptedException {
        return channel.put(item, what, timeoutNanos, guard);
    }

    @Override
    public Object take(long timeoutNanos) throws InterruptedException {
        Object item = channel.take(timeoutNanos, guard);
        return item == QueueChannel.NOTHING ? null : item;
    }

    /**
     * Takes every item there is now, waiting up to {@code lockPatienceNanos} for the consumer
     * lock (taking it over from a dead holder) but never for items.
     */
    public List<Object> drain(long lockPatienceNanos) throws InterruptedException {
        return channel.drain(lockPatienceNanos);
    }

    @Override
    public int size() {
        return channel.size();
    }

    /** Whether no byte of an item is in the ring: an item being written or read counts. */
    @Override
    public boolean isEmpty() {
        return channel.isEmpty();
    }

    @Override
    public int maxsize() {
        return channel.maxsize();
    }

    @Override
    public boolean taskDone() {
        return channel.taskDone();
    }

    @Override
    public boolean join(long timeoutNanos) throws InterruptedException {
        return channel.join(timeoutNanos, guard);
    }

    @Override
    public long unfinishedTasks() {
        return channel.unfinished();
    }

    @Override
    public void closedHere() {
        closed = true;
        channel.closedHere();
    }

    @Override
    public StoreHandle<QueueStore> handle() {
        return new Handle(channel.handle(), kind);
    }

    @Override
    public String toString() {
        return channel.toString();
    }

    /** The handle a queue over {@code segment} travels as; for {@link ChannelWarmUp}. */
    static StoreHandle<QueueStore> handleOf(Serializable segment) {
        return new Handle(segment, "queue");
    }

    // A plain class, not a record: see SegmentId.
    private static final class Handle implements StoreHandle<QueueStore> {
        private static final long serialVersionUID = 1L;
        private final Serializable segment;
        private final String kind;

        Handle(Serializable segment, String kind) {
            this.segment = segment;
            this.kind = kind;
        }

        @Override
        public QueueStore attach() {
            return new LocalQueueStore(QueueChannel.attach(segment), kind);
        }
    }
}
