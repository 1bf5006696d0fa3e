package org.multiprocessing4j;

/**
 * A task of a {@link ProcessPool} did not produce a result. Thrown by the blocking calls
 * ({@code apply}, {@code map}, {@code starmap}, a result iterator's {@code next()}); a future
 * of the pool fails with the same exception as the cause of its {@code ExecutionException},
 * except that a task that threw fails its future with the child's throwable itself.
 *
 * <p>{@link #getCause()} is what the task threw in the worker (recreated with the worker's
 * stack trace, or a {@link RemoteThrowable} standing in for it), for a task that threw or
 * whose result could not be serialized. The subclasses {@link WorkerDiedException} and
 * {@link TaskTimeoutException} say that the worker process ended under the task.
 */
public class TaskFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String task;

    /**
     * Makes one; for the library.
     *
     * @param task a description of the task, e.g. "item 17 of map(Example$$Lambda$14)"
     * @param message what happened
     * @param cause what the task threw, or null
     */
    TaskFailedException(String task, String message, Throwable cause) {
        super(message, cause);
        this.task = task;
    }

    /** A description of the task that failed, e.g. {@code item 17 of map(...)}. */
    public String task() {
        return task;
    }
}
