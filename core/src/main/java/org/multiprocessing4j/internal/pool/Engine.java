package org.multiprocessing4j.internal.pool;

import java.util.List;
import java.util.concurrent.Executor;

/**
 * What a {@code ProcessPool} runs its jobs on: this machine's worker processes
 * ({@link PoolEngine}), or a backend's that runs chunks elsewhere ({@link RemoteEngine}).
 * Implementations are thread-safe.
 */
public interface Engine {
    /**
     * Adds a job.
     *
     * @throws org.multiprocessing4j.BrokenPoolException if the pool is broken (checked first)
     * @throws java.util.concurrent.RejectedExecutionException if the pool is shut down or terminated
     */
    void submit(Job job);

    /** A job may make tasks again (an iterator consumed results). */
    void poke();

    /** Where futures are completed: never on a thread the pool needs to make progress. */
    Executor completer();

    PoolState state();

    /** The pids of the live workers (on this machine or not). */
    List<Long> workerPids();

    /** Python's close(): no new jobs; the pool ends once the submitted ones are done. */
    void close();

    /** Python's terminate(): ends now; returns the jobs that had not finished (now cancelled). */
    List<Job> terminate();

    boolean awaitTermination(long nanos) throws InterruptedException;

    void awaitTermination() throws InterruptedException;
}
