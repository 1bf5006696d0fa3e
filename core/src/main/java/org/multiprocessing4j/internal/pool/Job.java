package org.multiprocessing4j.internal.pool;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A source of tasks and a sink of their outcomes: one submit, one map, one imap. The public
 * package implements it ({@code CallJob}, {@code MapJob}); the engine calls it.
 */
public abstract class Job {
    private static final AtomicInteger FUNCTIONS = new AtomicInteger();

    /** Java-serialized function shared by the job's tasks, or null for a RUN task. */
    final byte[] function;
    final int functionId;
    final Set<Integer> definedIn = new HashSet<>(); // worker ids; guarded by the engine lock
    /** When it was submitted ({@code System.nanoTime()}): its tasks' queue wait in a recording. */
    final long submittedNanos = System.nanoTime();

    protected Job(byte[] function) {
        this.function = function;
        this.functionId = function == null ? 0 : FUNCTIONS.incrementAndGet();
    }

    /**
     * The next task, or null if there is none now. Called without the engine lock (it may
     * read the user's input), possibly by several threads at once.
     *
     * @param ids gives task ids
     * @param throttle false once the pool is closed: make tasks even far ahead of a reader
     */
    protected abstract Task next(AtomicLong ids, boolean throttle);

    /** Whether the job may still make tasks (false once its input is used up or it failed). */
    protected abstract boolean mayHaveMore();

    /** Item {@code index} succeeded. Called by the collector, without the engine lock. */
    protected abstract void succeeded(long index, Object value);

    /**
     * The outcomes of items {@code first..}: {@code values[k]}, or {@code errors[k]} where
     * {@code errors} is not null and has one. Called by the collector; a job may override it
     * to take a whole chunk at once.
     */
    protected void delivered(long first, Object[] values, Throwable[] errors) {
        for (int k = 0; k < values.length; k++) {
            if (errors != null && errors[k] != null) {
                failed(first + k, errors[k], false);
            } else {
                succeeded(first + k, values[k]);
            }
        }
    }

    /**
     * Item {@code index} failed: what its task threw in the worker, or why its worker died;
     * {@code index} −1 means the whole job failed (the pool broke).
     */
    protected abstract void failed(long index, Throwable error, boolean workerDied);

    /** The pool was terminated before the job finished. */
    protected abstract void cancelled(CancellationException e);

    /** Whether every item has an outcome. */
    protected abstract boolean isFinished();

    /** A description of items {@code first .. first+count-1}, for error messages. */
    public abstract String describe(long first, int count);

    /** For subclasses: a task that runs {@code callable}, a Java-serialized {@code SerializableCallable}. */
    protected final Task runTask(long id, byte[] callable) {
        return new Task(id, this, 0, 1, new PoolMessage.Run(id, callable).toBytes());
    }

    /**
     * For subclasses: a CALL of this job's function being built, to which the subclass adds
     * items of {@code arity} arguments.
     *
     * @param expectedItems how many items it will probably hold (sizes the buffer)
     */
    protected final CallBuilder startCall(long taskId, int arity, int expectedItems) {
        return new CallBuilder(taskId, functionId, arity, expectedItems);
    }

    /** For subclasses: the task of a built CALL, whose items are items {@code firstIndex..} of this job. */
    protected final Task task(long id, long firstIndex, CallBuilder call) {
        return new Task(id, this, firstIndex, call.items(), call.build());
    }
}
