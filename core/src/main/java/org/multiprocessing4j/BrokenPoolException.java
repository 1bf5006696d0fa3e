package org.multiprocessing4j;

/**
 * A {@link ProcessPool} can run nothing any more, as Python's
 * {@code concurrent.futures.process.BrokenProcessPool} says. A pool breaks when its
 * {@link ProcessPool.Builder#initializer initializer} throws in a worker, when its workers keep
 * ending before they are ready (a bad JVM option, an initializer that exits the JVM), or when no
 * worker can be started any more; a pool of a cluster also breaks when the initializer fails on
 * one of its nodes. A broken pool terminates its workers at once and stays broken.
 *
 * <p>Where it is thrown: by every method that submits work to a broken pool ({@code submit},
 * {@code apply}, {@code applyAsync}, {@code map}, {@code imap}...), in place of the
 * {@code RejectedExecutionException} a terminated pool throws; by the blocking calls that were
 * waiting for work the break failed ({@code apply}, {@code map}, {@code starmap}, and
 * {@code next()} and {@code hasNext()} of a {@link ResultIterator}); and a future of such work
 * fails with it as the cause of its {@code ExecutionException}.
 *
 * <p>The message says why the pool broke and names the initializer's exception; that exception
 * itself (recreated with the worker's stack trace, or a {@link RemoteThrowable} standing in for
 * it) is the {@link #getCause() cause} when it can be had here. On a cluster the message names
 * the node and the exception, and there is no cause.
 *
 * <p>It extends {@link IllegalStateException}, which is what a broken pool threw before this
 * class existed, so code that catches {@code IllegalStateException} keeps working.
 */
public final class BrokenPoolException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * Makes one; for the library.
     *
     * @param message why the pool broke
     * @param cause the initializer's exception (or what else broke the pool), or null
     */
    BrokenPoolException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * The same break, thrown again in the calling thread (with that thread's stack trace) by
     * another call that met it: the same cause, the message prefixed with what could not be done.
     */
    BrokenPoolException again(String what) {
        return new BrokenPoolException(what + ": " + getMessage(), getCause());
    }
}
