package org.multiprocessing4j.spi;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Runs a pool's tasks somewhere else (on cluster nodes): what a {@link PoolBackend} gives the
 * core's {@code ProcessPool}, which keeps its jobs, chunking, ordering and futures here and hands
 * each task to {@link #run} as an encoded callable. Thread-safe.
 */
public interface ChunkRunner {
    /**
     * How many tasks may run at once: the pool's workers, wherever they are. The pool keeps
     * about twice as many in flight, so that no worker waits for its next task.
     *
     * @return at least 1
     */
    int parallelism();

    /**
     * Runs {@code task}, an encoded {@code SerializableCallable<byte[]>}, on a worker, and
     * completes with what it returned. Never blocks for long.
     *
     * @param task the encoded callable
     * @param description what the task is, for error messages
     * @return its result; completed exceptionally if the worker was lost (its node died, say),
     *         with an exception whose message says where and how; or, if the workers can run
     *         nothing any more (their initializer failed), with the exception
     *         {@link Backends#brokenPool} makes, which breaks the whole pool
     */
    CompletableFuture<byte[]> run(byte[] task, String description);

    /** @return the pids of the workers (on their machines) */
    List<Long> workerPids();

    /** Ends the workers; futures not yet complete fail. Idempotent. */
    void close();
}
