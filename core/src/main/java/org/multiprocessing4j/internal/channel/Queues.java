package org.multiprocessing4j.internal.channel;

import java.util.function.Function;
import org.multiprocessing4j.ProcessQueue;

/**
 * Lets the library's internals wrap a {@link QueueChannel} they made (with a buffer size of
 * their choosing) in the public {@link ProcessQueue}, whose constructor is not public.
 */
public final class Queues {
    private static volatile Function<QueueChannel, ProcessQueue<?>> wrapper;
    private static volatile Function<ProcessQueue<?>, QueueChannel> unwrapper;

    private Queues() {
    }

    /** Called once by {@code ProcessQueue}'s static initializer. */
    public static void setWrapper(Function<QueueChannel, ProcessQueue<?>> w, Function<ProcessQueue<?>, QueueChannel> u) {
        wrapper = w;
        unwrapper = u;
    }

    /**
     * Takes what is left in a queue whose consumer may have died holding its consumer lock:
     * waits up to {@code lockPatienceNanos} for the lock (a dead holder's lock is taken over
     * within milliseconds), never for items.
     *
     * @return the items (as the queue gives them), in order
     */
    public static java.util.List<Object> drainAfterDeath(ProcessQueue<?> queue, long lockPatienceNanos)
            throws InterruptedException {
        return unwrapper.apply(queue).drain(lockPatienceNanos);
    }

    /** A queue with a buffer of {@code bufferBytes}. */
    @SuppressWarnings("unchecked")
    public static <E> ProcessQueue<E> create(int bufferBytes) {
        if (wrapper == null) {
            try {
                Class.forName(ProcessQueue.class.getName(), true, ProcessQueue.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        }
        return (ProcessQueue<E>) wrapper.apply(QueueChannel.create(0, bufferBytes));
    }
}
