package org.multiprocessing4j.spi;

import java.util.Objects;
import org.multiprocessing4j.BrokenPoolException;
import org.multiprocessing4j.JvmProcess;
import org.multiprocessing4j.ProcessPool;
import org.multiprocessing4j.RemoteThrowable;
import org.multiprocessing4j.SerializableRunnable;
import org.multiprocessing4j.internal.access.SharedSecrets;
import org.multiprocessing4j.internal.codec.Codec;
import org.multiprocessing4j.internal.pool.EncodedRunnable;
import org.multiprocessing4j.internal.runtime.ProcessRegistry;

/**
 * What a backend module needs of the core: binding processes to it, starting a child JVM from a
 * process encoded elsewhere, and carrying a throwable between JVMs. Static methods, thread-safe.
 */
public final class Backends {
    /**
     * The system property that names, in a pool worker of a cluster node, that node (set by the
     * node's agent): errors of the worker name it.
     */
    public static final String NODE_PROPERTY = org.multiprocessing4j.internal.pool.ChunkCall.NODE_PROPERTY;

    private Backends() {
    }

    /**
     * Makes {@code process}, not started yet, start through {@code backend} instead of as this
     * JVM's child: what a backend's {@link org.multiprocessing4j.ProcessContext#bind} does.
     *
     * @param process a process that has not been started
     * @param backend where it will start
     * @param <P> the process's type
     * @return {@code process}
     * @throws NullPointerException if either is null
     * @throws IllegalStateException if the process has been started or closed
     */
    public static <P extends JvmProcess> P bind(P process, ProcessBackend backend) {
        Objects.requireNonNull(process, "process");
        Objects.requireNonNull(backend, "backend");
        SharedSecrets.getJvmProcessAccess().bindBackend(process, backend);
        return process;
    }

    /**
     * Starts {@code launch}, encoded by another JVM, as a child JVM of this one (SPAWN, on this
     * JVM's class path), whose standard output and error go to {@code output} line by line. The
     * child ends with this JVM as any child does, and this JVM's shutdown treats it as its own.
     * The control's {@code whenEnded()} completes after the last line of output has been handed
     * to {@code output} (or 2 s after the end, if a grandchild keeps the child's pipes open).
     *
     * @param launch the process to start
     * @param output where its lines go
     * @return the control of the started child
     * @throws org.multiprocessing4j.ProcessStartException if no JVM could be started
     * @throws IllegalStateException if this JVM is shutting down
     */
    public static ProcessControl launchHere(ProcessLaunch launch, OutputSink output) {
        Objects.requireNonNull(launch, "launch");
        Objects.requireNonNull(output, "output");
        return ProcessRegistry.launchPiped(launch, output);
    }

    /**
     * Submits {@code task}, an encoded {@code SerializableCallable} (a {@link ChunkRunner}'s
     * task, from a driver), to {@code pool} on this machine, without decoding it here: one of the
     * pool's workers decodes and runs it.
     *
     * @param pool a pool of this machine
     * @param task the encoded callable
     * @param description what it is, for error messages
     * @return its result, decoded here (a {@code ChunkRunner}'s task returns a {@code byte[]})
     * @throws java.util.concurrent.RejectedExecutionException if the pool is shut down
     */
    public static java.util.concurrent.CompletableFuture<Object> submitEncoded(ProcessPool pool, byte[] task,
                                                                              String description) {
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(task, "task");
        return SharedSecrets.getPoolAccess().submitEncoded(pool, task, description);
    }

    /**
     * A builder of pools bound to {@code context}: what a {@link PoolBackend} context's
     * {@code poolBuilder()} returns. The pool it builds runs its tasks through
     * {@link PoolBackend#openPool}.
     *
     * @param context the context whose pools these are
     * @return a new builder
     */
    public static ProcessPool.Builder poolBuilder(org.multiprocessing4j.ProcessContext context) {
        return SharedSecrets.getPoolAccess().builder(Objects.requireNonNull(context, "context"));
    }

    /**
     * The initializer a driver encoded ({@link PoolSpec#initializer()}), as a runnable for a
     * pool of this machine: its workers decode and run it, this JVM never decodes it.
     *
     * @param encoded the encoded initializer
     * @return a runnable for {@code ProcessPool.Builder.initializer}
     */
    public static SerializableRunnable initializerOf(byte[] encoded) {
        return new EncodedRunnable(Objects.requireNonNull(encoded, "encoded"));
    }

    /**
     * What a {@link ChunkRunner} completes a task with when the pool's workers can run nothing any
     * more (their initializer failed where the task was sent): the pool breaks, and the task, the
     * pool's other unfinished work and every later submission fail with it.
     *
     * @param message where and why, e.g. {@code "on node 'na', the pool is broken: its initializer
     *        failed in a worker: java.lang.IllegalStateException: no database"}
     * @return the exception, without a cause
     */
    public static BrokenPoolException brokenPool(String message) {
        Objects.requireNonNull(message, "message");
        return SharedSecrets.getPoolAccess().brokenPool(message, null);
    }

    /**
     * Encodes {@code t} for another JVM; if it (or its cause) cannot be serialized, encodes a
     * {@link RemoteThrowable} carrying its class name, message and stack trace instead.
     *
     * @param t the throwable
     * @return its bytes, for {@link #decodeThrowable}
     */
    public static byte[] encodeThrowable(Throwable t) {
        Objects.requireNonNull(t, "t");
        try {
            return Codec.defaultCodec().encode(t, "an exception");
        } catch (RuntimeException notSerializable) {
            return Codec.defaultCodec().encode(RemoteThrowable.of(t), "an exception");
        }
    }

    /**
     * Decodes what {@link #encodeThrowable} made. Only for bytes from a peer that proved it holds
     * the key: decoding runs the classes' own code.
     *
     * @param bytes the encoded throwable
     * @return the throwable, or a {@link RemoteThrowable} saying it could not be decoded here
     */
    public static Throwable decodeThrowable(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        try {
            Object o = Codec.defaultCodec().decode(bytes);
            if (o instanceof Throwable) {
                return (Throwable) o;
            }
            return new RemoteThrowable(String.valueOf(o == null ? null : o.getClass().getName()),
                    "not a throwable", new StackTraceElement[0], null);
        } catch (Exception | Error e) {
            return new RemoteThrowable(e.getClass().getName(), "an exception could not be decoded here: " + e,
                    new StackTraceElement[0], null);
        }
    }
}
