package org.multiprocessing4j.internal.pool;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;

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

    /** What {@link #collectWhileWaiting} did. */
    enum Waited {
        /** {@code done} became true. */
        DONE,
        /** The time ran out first. */
        TIMED_OUT,
        /** This thread cannot collect now (another does, or the pool is ending): it waits as before. */
        NOT_NOW
    }

    /**
     * For a thread about to wait for a result ({@code done}), for at most {@code nanos}
     * (negative: no limit): it may collect the pool's results itself, so that its own result
     * reaches it without a hand-off from another thread. Engines that cannot do this return
     * {@link Waited#NOT_NOW} at once.
     *
     * @throws InterruptedException if interrupted (nothing is lost: a result it did not read is
     *         read by the pool)
     */
    default Waited collectWhileWaiting(BooleanSupplier done, long nanos) throws InterruptedException {
        return Waited.NOT_NOW;
    }

    /** The pids of the live workers (on this machine or not). */
    List<Long> workerPids();

    /** Python's close(): no new jobs; the pool ends once the submitted ones are done. */
    void close();

    /** Python's terminate(): ends now; returns the jobs that had not finished (now cancelled). */
    List<Job> terminate();

    boolean awaitTermination(long nanos) throws InterruptedException;

    void awaitTermination() throws InterruptedException;
}
