package org.multiprocessing4j.cluster.internal;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.spi.ProcessControl;

/**
 * A process running on a node, seen from its driver: what its {@code JvmProcess} delegates to.
 * It ends when the node's agent reports the end, or when the node leaves the cluster (then with
 * exit code -9 and a {@code NodeDiedException}). Thread-safe.
 */
final class RemoteProcess implements ProcessControl {
    final String key;
    final String name;
    final String node;
    final UUID member;
    final boolean daemon;
    private final ClusterBackend backend;
    private final CountDownLatch ended = new CountDownLatch(1);
    private final CompletableFuture<Void> whenEnded = new CompletableFuture<>();
    private volatile long pid = -1;
    private volatile int exitCode;
    private volatile Throwable exception;

    RemoteProcess(ClusterBackend backend, String key, String name, String node, UUID member, boolean daemon) {
        this.backend = backend;
        this.key = key;
        this.name = name;
        this.node = node;
        this.member = member;
        this.daemon = daemon;
    }

    void started(long pid) {
        this.pid = pid;
    }

    /** Records the end; only the first call counts. */
    void end(int code, Throwable thrown) {
        synchronized (this) {
            if (ended.getCount() == 0) {
                return;
            }
            exitCode = code;
            exception = thrown;
            ended.countDown();
        }
        backend.forget(this);
        whenEnded.complete(null);
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public boolean isAlive() {
        return ended.getCount() > 0;
    }

    @Override
    public boolean await(long timeoutNanos) throws InterruptedException {
        if (timeoutNanos < 0) {
            ended.await();
            return true;
        }
        return ended.await(timeoutNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public CompletableFuture<Void> whenEnded() {
        return whenEnded;
    }

    @Override
    public void terminate() {
        if (isAlive()) {
            backend.signal(this, 15);
        }
    }

    @Override
    public void kill() {
        if (isAlive()) {
            backend.signal(this, 9);
        }
    }

    @Override
    public OptionalInt exitCode() {
        return isAlive() ? OptionalInt.empty() : OptionalInt.of(exitCode);
    }

    @Override
    public Optional<Throwable> exception() {
        return isAlive() ? Optional.empty() : Optional.ofNullable(exception);
    }

    @Override
    public String toString() {
        return name + "@" + node;
    }
}
