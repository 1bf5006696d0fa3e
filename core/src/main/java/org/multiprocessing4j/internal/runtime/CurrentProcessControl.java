package org.multiprocessing4j.internal.runtime;

import java.util.Optional;
import java.util.OptionalInt;
import org.multiprocessing4j.spi.ProcessControl;

/** This JVM, seen as a process: always alive, never joinable. */
final class CurrentProcessControl implements ProcessControl {
    static final CurrentProcessControl INSTANCE = new CurrentProcessControl();

    private CurrentProcessControl() {
    }

    @Override
    public long pid() {
        return ProcessHandle.current().pid();
    }

    @Override
    public boolean isAlive() {
        return true;
    }

    @Override
    public boolean await(long timeoutNanos) {
        throw new IllegalStateException("a process cannot join itself: join() waits for a child process");
    }

    @Override
    public java.util.concurrent.CompletableFuture<Void> whenEnded() {
        throw new IllegalStateException("a process cannot wait for its own end: onExit() is for child processes");
    }

    @Override
    public void terminate() {
        throw new IllegalStateException("the current process cannot terminate itself this way; call System.exit");
    }

    @Override
    public void kill() {
        throw new IllegalStateException("the current process cannot kill itself this way; call Runtime.halt");
    }

    @Override
    public OptionalInt exitCode() {
        return OptionalInt.empty();
    }

    @Override
    public Optional<Throwable> exception() {
        return Optional.empty();
    }
}
