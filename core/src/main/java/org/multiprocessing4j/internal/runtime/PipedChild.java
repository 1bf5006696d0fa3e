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
    private final CountDownLatch drained;
    private final CompletableFuture<Void> whenEnded;

    PipedChild(LaunchedChild child, CountDownLatch drained) {
        this.child = child;
        this.drained = drained;
        this.whenEnded = child.whenEnded().thenRun(this::awaitDrained);
    }

    /**
     * Starts reading {@code jvm}'s output, before its handshake is sent (a JVM that prints much
     * while it boots would otherwise fill its pipe and never read the handshake); the latch
     * opens when both streams have ended.
     */
    static CountDownLatch pump(Process jvm, String name, OutputSink sink) {
        CountDownLatch drained = new CountDownLatch(2);
        pump(jvm.getInputStream(), false, sink, name, drained);
        pump(jvm.getErrorStream(), true, sink, name, drained);
        return drained;
    }

    private static void pump(InputStream in, boolean standardError, OutputSink sink, String name,
                             CountDownLatch drained) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, Charset.defaultCharset()))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    try {
                        sink.line(standardError, line);
                    } catch (RuntimeException e) {
                        LibraryLog.debug("the output sink of process " + name + " failed: " + e);
                    }
                }
            } catch (IOException e) {
                // The pipe broke with the child: there is nothing more to read.
            } finally {
                drained.countDown();
            }
        }, "multiprocessing4j-output-" + name + (standardError ? "-err" : "-out"));
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
