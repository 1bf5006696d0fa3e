package org.multiprocessing4j.internal.runtime;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.spi.ProcessControl;

/**
 * The parent, seen from a child. The child learns that its parent ended from the end of the
 * pipe that only the parent holds open, so {@link #await} wakes within milliseconds of the
 * parent's death (the JDK's own {@code ProcessHandle.onExit} polls non-children slowly).
 */
final class ParentProcessControl implements ProcessControl {
    private final long pid;
    private final CountDownLatch gone = new CountDownLatch(1);
    private final CompletableFuture<Void> ended = new CompletableFuture<>();

    ParentProcessControl(long pid) {
        this.pid = pid;
    }

    void markGone() {
        gone.countDown();
        ended.complete(null);
    }

    @Override
    public CompletableFuture<Void> whenEnded() {
        return ended;
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public boolean isAlive() {
        return gone.getCount() > 0;
    }

    @Override
    public boolean await(long timeoutNanos) throws InterruptedException {
        if (timeoutNanos < 0) {
            gone.await();
            return true;
        }
        return gone.await(timeoutNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void terminate() {
        throw new IllegalStateException("a child cannot terminate its parent process");
    }

    @Override
    public void kill() {
        throw new IllegalStateException("a child cannot kill its parent process");
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
