package org.multiprocessing4j.spi;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

/**
 * What a {@code JvmProcess} facade delegates to once it stands for a real process: a child this
 * JVM started, this JVM itself, or this JVM's parent. Implementations are thread-safe.
 */
public interface ProcessControl {
    /** The OS process id. */
    long pid();

    /** Whether the process is still running. Never blocks. */
    boolean isAlive();

    /**
     * Waits for the process to end.
     *
     * @param timeoutNanos how long to wait; negative means forever, zero polls
     * @return true if the process has ended
     * @throws IllegalStateException if this process cannot be waited for (the current process)
     */
    boolean await(long timeoutNanos) throws InterruptedException;

    /**
     * Completes once the process has ended and {@link #isAlive()} says so, in the thread that
     * saw the end.
     *
     * @throws IllegalStateException if this process cannot be waited for (the current process)
     */
    CompletableFuture<Void> whenEnded();

    /** Sends SIGTERM, if the process is still running. */
    void terminate();

    /** Sends SIGKILL, if the process is still running. */
    void kill();

    /** The exit code, once the process has ended and that is known. */
    OptionalInt exitCode();

    /** What the process's {@code run()} threw, once it has ended. */
    Optional<Throwable> exception();
}
