package org.multiprocessing4j;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The results of {@link ProcessPool#imap} or {@link ProcessPool#imapUnordered}, as they arrive.
 * {@link #hasNext()} and {@link #next()} wait for the next result; the pool reads the input
 * only as its workers can take more, and stays a bounded distance ahead of this iterator.
 *
 * <p>An item that failed throws its {@link TaskFailedException} from {@code next()} at its
 * place; iteration can go on after it. For use by one thread at a time.
 *
 * <p>Memory consistency effects: the pool stores each outcome (a copy decoded in this JVM) under
 * the job's monitor, which {@code hasNext()} and {@code next()} also take, so storing it
 * happens-before the {@code next()} that returns it. See {@link ProcessPool} for what the tasks
 * see and what shared memory is visible once a result is back.
 *
 * @param <R> the type of a result
 */
public final class ResultIterator<R> implements Iterator<R> {
    private final MapJob job;

    ResultIterator(MapJob job) {
        this.job = job;
    }

    /**
     * Whether there is another result, waiting for it if it has not arrived.
     *
     * @throws BrokenPoolException if the pool broke before the next result came (an
     *         {@code IllegalStateException} too)
     * @throws IllegalStateException if the thread is interrupted while waiting (its interrupt
     *         flag is set again) or the pool was terminated
     */
    @Override
    public boolean hasNext() {
        return job.awaitNext();
    }

    /**
     * The next result, waiting for it if needed.
     *
     * @throws TaskFailedException if that item failed
     * @throws NoSuchElementException if there are no more results
     * @throws IllegalStateException as {@link #hasNext()}
     */
    @Override
    @SuppressWarnings("unchecked")
    public R next() {
        if (!job.awaitNext()) {
            throw new NoSuchElementException("no more results");
        }
        return (R) job.takeNext();
    }

    /** How many items there are (once known), have completed and have failed. Does not block. */
    public TaskProgress progress() {
        return job.progress();
    }
}
