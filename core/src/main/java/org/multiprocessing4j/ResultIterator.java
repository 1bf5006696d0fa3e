package org.multiprocessing4j;

import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * The results of {@link ProcessPool#imap} or {@link ProcessPool#imapUnordered}, as they arrive.
 * {@link #hasNext()} and {@link #next()} wait for the next result, {@link #next(Duration)} at
 * most a given time; the pool reads the input only as its workers can take more, and stays a
 * bounded distance ahead of this iterator.
 *
 * <p>An item that failed throws its {@link TaskFailedException} from {@code next()} at its
 * place; iteration can go on after it. For use by one thread at a time.
 *
 * <p><b>Interrupts.</b> The waiting methods do not throw {@code InterruptedException}:
 * {@code hasNext()} and {@code next()} cannot ({@link Iterator} does not let them), and
 * {@code next(Duration)} does as they do, so that a loop that mixes them meets one behaviour. A
 * thread interrupted while it waits gets an {@link IllegalStateException} whose cause is the
 * {@code InterruptedException}, with its interrupt flag set again; no result is lost, and the
 * iterator can be used again.
 *
 * <p><b>End of the pool.</b> {@link ProcessPool#shutdown()} and {@link ProcessPool#close()} let
 * the job run to its end, so the results keep coming. After {@link ProcessPool#terminate()}
 * (or {@code shutdownNow()}) the results that had not come are not coming: the waiting methods
 * throw an {@code IllegalStateException} whose cause is the {@code CancellationException}; if the
 * pool broke, they throw a {@link BrokenPoolException}.
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
    public R next() {
        if (!job.awaitNext()) {
            throw new NoSuchElementException("no more results");
        }
        return take();
    }

    /**
     * The next result, waiting at most {@code timeout} for it: Python's
     * {@code imap(...).next(timeout)}. A zero or negative timeout looks once, without waiting.
     * When the time runs out the iterator is as it was: the result is still on its way, and a
     * later call ({@code next(Duration)}, {@code next()} or {@code hasNext()}) gets it.
     *
     * <p>A timeout is an exception, not a return value, because a result may itself be null (and
     * Python raises too). Call it from the thread that reads this iterator; it blocks until the
     * next result is there, the time runs out, or the pool stops (see the class comment for
     * interrupts, {@code shutdown()} and {@code terminate()}).
     *
     * @param timeout the longest to wait
     * @return the next result
     * @throws NullPointerException if {@code timeout} is null
     * @throws ResultTimeoutException if the next result did not come within {@code timeout}
     * @throws TaskFailedException if that item failed (iteration can go on)
     * @throws NoSuchElementException if there are no more results
     * @throws BrokenPoolException if the pool broke before the next result came
     * @throws IllegalStateException if the thread is interrupted while waiting (its interrupt
     *         flag is set again) or the pool was terminated
     */
    public R next(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        switch (job.awaitNext(ProcessQueue.nanos(timeout))) {
            case END:
                throw new NoSuchElementException("no more results");
            case LATE:
                throw new ResultTimeoutException("the next result of " + job.name() + " did not come within " + timeout
                        + "; it may still come");
            default:
                return take();
        }
    }

    @SuppressWarnings("unchecked")
    private R take() {
        return (R) job.takeNext();
    }

    /** How many items there are (once known), have completed and have failed. Does not block. */
    public TaskProgress progress() {
        return job.progress();
    }
}
