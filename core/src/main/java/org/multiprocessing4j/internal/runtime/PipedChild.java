package org.multiprocessing4j.internal.runtime;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.internal.log.LibraryLog;
import org.multiprocessing4j.spi.OutputSink;
import org.multiprocessing4j.spi.ProcessControl;

/**
 * A child whose standard output and error are read here line by line, by one thread per
 * stream, and handed to a sink: a backend's agent forwards them to the driver. It counts as
 * ended for {@link #whenEnded()} once the JVM has ended and both streams are read to their end,
 * so that whoever reports the end reports it after the last line; a stream that something else
 * (a grandchild) keeps open is waited for at most {@link #DRAIN_MILLIS} after the end.
 */
final class PipedChild implements ProcessControl {
    static final long DRAIN_MILLIS = 2000;

    private final LaunchedChild child;
    private final CountDownLatch drained = new CountDownLatch(2);
    private final CompletableFuture<Void> whenEnded;

    PipedChild(LaunchedChild child, Process jvm, OutputSink sink) {
        this.child = child;
        pump(jvm.getInputStream(), false, sink);
        pump(jvm.getErrorStream(), true, sink);
        this.whenEnded = child.whenEnded().thenRun(this::awaitDrained);
    }

    private void pump(InputStream in, boolean standardError, OutputSink sink) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, Charset.defaultCharset()))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    try {
                        sink.line(standardError, line);
                    } catch (RuntimeException e) {
                        LibraryLog.debug("the output sink of process " + child.name() + " failed: " + e);
                    }
                }
            } catch (IOException e) {
                // The pipe broke with the child: there is nothing more to read.
            } finally {
                drained.countDown();
            }
        }, "multiprocessing4j-output-" + child.name() + (standardError ? "-err" : "-out"));
        t.setDaemon(true);
        t.start();
    }

    private void awaitDrained() {
        try {
            drained.await(DRAIN_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public long pid() {
        return child.pid();
    }

    @Override
    public boolean isAlive() {
        return child.isAlive();
    }

    @Override
    public boolean await(long timeoutNanos) throws InterruptedException {
        return child.await(timeoutNanos);
    }

    @Override
    public CompletableFuture<Void> whenEnded() {
        return whenEnded;
    }

    @Override
    public void terminate() {
        child.terminate();
    }

    @Override
    public void kill() {
        child.kill();
    }

    @Override
    public OptionalInt exitCode() {
        return child.exitCode();
    }

    @Override
    public Optional<Throwable> exception() {
        return child.exception();
    }
}
