package org.multiprocessing4j.internal.access;

import java.time.Duration;
import org.multiprocessing4j.BrokenPoolException;
import org.multiprocessing4j.TaskTimeoutException;
import org.multiprocessing4j.WorkerDiedException;

/**
 * The pool's exceptions, whose constructors are not public (users read them, never make them).
 * Implemented in {@code ProcessPool}'s package and handed to {@link SharedSecrets} by
 * {@code ProcessPool}'s static initializer.
 */
public interface PoolAccess {
    /** A worker ended while it held {@code task}; {@code cause} is what ended its thread, or null. */
    WorkerDiedException workerDied(String task, long pid, int exitCode, Throwable cause);

    /** A worker on another machine was lost while it held {@code task}; {@code cause} says how. */
    WorkerDiedException workerLost(String task, Throwable cause);

    /** Submits an encoded callable to {@code pool} without decoding it. */
    java.util.concurrent.CompletableFuture<Object> submitEncoded(org.multiprocessing4j.ProcessPool pool, byte[] task,
                                                                String description);

    /** A builder of pools whose workers {@code context} starts. */
    org.multiprocessing4j.ProcessPool.Builder builder(org.multiprocessing4j.ProcessContext context);

    /** {@code task} ran longer than {@code limit}, so its worker {@code pid} was killed. */
    TaskTimeoutException timedOut(String task, Duration limit, long pid);

    /** The pool broke, as {@code message} says ("the pool is broken: ..."); {@code cause} is why, or null. */
    BrokenPoolException brokenPool(String message, Throwable cause);

    /** {@code broken} thrown again in the calling thread by a call that met it; {@code what} says what could not be done. */
    BrokenPoolException brokenAgain(BrokenPoolException broken, String what);
}
