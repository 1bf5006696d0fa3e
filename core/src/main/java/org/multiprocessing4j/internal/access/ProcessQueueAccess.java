package org.multiprocessing4j.internal.access;

import java.util.List;
import org.multiprocessing4j.ProcessQueue;

/** What the internals need of {@code ProcessQueue} that it does not make public. */
public interface ProcessQueueAccess {
    /** A queue of no bound with a buffer of {@code bufferBytes} (the pool sizes its own). */
    <E> ProcessQueue<E> create(int bufferBytes);

    /**
     * Takes what is left in a queue whose consumer may have died holding its consumer lock:
     * waits up to {@code lockPatienceNanos} for the lock (a dead holder's lock is taken over
     * within milliseconds), never for items.
     *
     * @return the items, in order
     */
    List<Object> drainAfterDeath(ProcessQueue<?> queue, long lockPatienceNanos) throws InterruptedException;
}
