package org.multiprocessing4j;

import java.time.Duration;

/**
 * A task of a {@link ProcessPool} ran longer than the pool's time limit, so the pool killed its
 * worker process (the only way to stop code that does not stop by itself) and started a
 * replacement.
 */
public final class TaskTimeoutException extends TaskFailedException {
    private static final long serialVersionUID = 1L;

    private final Duration limit;
    private final long pid;

    TaskTimeoutException(String task, Duration limit, long pid) {
        super(task, task + " ran longer than the pool's limit of " + limit + "; its worker (pid " + pid
                + ") was killed", null);
        this.limit = limit;
        this.pid = pid;
    }

    /** The time limit the task exceeded. */
    public Duration limit() {
        return limit;
    }

    /** The pid of the worker that was killed. */
    public long pid() {
        return pid;
    }
}
