package org.multiprocessing4j.internal.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.multiprocessing4j.ProcessStartException;
import org.multiprocessing4j.internal.jfr.Jfr;
import org.multiprocessing4j.internal.jfr.JfrEvents;
import org.multiprocessing4j.internal.launch.Handshake;
import org.multiprocessing4j.internal.log.LibraryLog;
import org.multiprocessing4j.internal.platform.ExitStatus;
import org.multiprocessing4j.internal.platform.Signals;
import org.multiprocessing4j.spi.ProcessControl;

/**
 * A child JVM this JVM started, seen from here. Its standard input is the control pipe: the
 * handshake goes down it, and then it stays open and silent for as long as this JVM lives, so
 * that the child sees end-of-file the moment this JVM dies, however it dies.
 *
 * <p>One watcher thread waits for the JVM to end, reads its exit report, closes the pipe,
 * deletes the report and then wakes joiners, in that order, so a joiner that wakes sees the
 * final exit code and no file is left behind.
 */
final class LaunchedChild implements ProcessControl {
    private final Process jvm;
    private final ProcessHandle handle;
    private final String name;
    private final boolean daemon;
    private final Path report;
    private final Consumer<LaunchedChild> onEnd;
    private final CountDownLatch ended = new CountDownLatch(1);
    private final CompletableFuture<Void> whenEnded = new CompletableFuture<>();
    private volatile int exitCode;
    private volatile Throwable exception;
    /** The last signal this JVM sent the child, 0 if none. */
    private volatile int sentSignal;
    /** When it was started ({@code System.nanoTime()}), for its run time in a recording. */
    private final long startedNanos = System.nanoTime();

    LaunchedChild(Process jvm, String name, boolean daemon, Path report, Consumer<LaunchedChild> onEnd) {
        this.jvm = jvm;
        this.handle = jvm.toHandle();
        this.name = name;
        this.daemon = daemon;
        this.report = report;
        this.onEnd = onEnd;
    }

    String name() {
        return name;
    }

    boolean isDaemon() {
        return daemon;
    }

    /**
     * Sends the JVM its handshake, then starts watching it (in that order: the child can start
     * its work while this thread starts the watcher).
     *
     * @throws ProcessStartException if the handshake could not be sent to a JVM still alive
     *         (which is then killed)
     */
    void begin(Handshake handshake) {
        IOException failure = null;
        try {
            handshake.writeTo(jvm.getOutputStream());
        } catch (IOException e) {
            failure = e;
        }
        // A JVM that broke the pipe is usually ending (a bad JVM option, say) but may not have
        // been reaped yet: give it a moment to end by itself before calling it orphaned.
        boolean orphanedJvm = failure != null && !endsWithin(jvm, 2);
        if (orphanedJvm) {
            // A JVM that will never get its handshake would wait for it forever.
            jvm.destroyForcibly();
        }
        Thread watcher = new Thread(this::watch, "multiprocessing4j-watch-" + name);
        // A non-daemon child keeps this JVM alive through its watcher, as Python does.
        watcher.setDaemon(daemon);
        watcher.start();
        if (orphanedJvm) {
            throw new ProcessStartException("could not send process '" + name + "' to its JVM: " + failure, failure);
        } else if (failure != null) {
            // The child died before reading it (a bad JVM option, say); its exit code says so.
            LibraryLog.debug("could not send process " + name + " its handshake: " + failure);
        }
    }

    private static boolean endsWithin(Process jvm, int seconds) {
        try {
            return jvm.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !jvm.isAlive();
        }
    }

    private void watch() {
        int code = -1;
        Throwable thrown = null;
        try {
            while (true) {
                try {
                    jvm.waitFor();
                    break;
                } catch (InterruptedException e) {
                    // Nobody interrupts this thread on purpose; keep waiting.
                }
            }
            // What the exit value alone says, in case reading the report fails below.
            code = ExitStatus.fromUnreportedExit(jvm.exitValue());
            ExitReport.Outcome outcome = ExitReport.read(report, jvm.exitValue(), sentSignal);
            code = outcome.exitCode;
            thrown = outcome.exception;
        } finally {
            // Whatever happened above, joiners must wake and nothing may be left behind.
            exception = thrown;
            exitCode = code;
            try {
                jvm.getOutputStream().close();
            } catch (IOException ignored) {
                // The pipe is already broken: nothing left to release.
            }
            try {
                Files.deleteIfExists(report);
            } catch (IOException e) {
                LibraryLog.debug("could not delete " + report + ": " + e);
            }
            recordEnd(code);
            try {
                onEnd.accept(this);
            } finally {
                ended.countDown();
                whenEnded.complete(null); // after the latch: a callback sees isAlive() false
            }
        }
    }

    /** Before joiners wake, so that a recording holds the end of every process a join saw end. */
    private void recordEnd(int code) {
        try {
            if (Jfr.on()) {
                JfrEvents.processEnded(name, jvm.pid(), code, code < 0 ? Signals.name(-code) : null,
                        System.nanoTime() - startedNanos);
            }
        } catch (RuntimeException | LinkageError e) {
            LibraryLog.debug("could not record the end of " + name + ": " + e);
        }
    }

    @Override
    public long pid() {
        return jvm.pid();
    }

    @Override
    public CompletableFuture<Void> whenEnded() {
        return whenEnded;
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
    public void terminate() {
        // ProcessHandle.destroy signals the pid without closing our pipes (Process.destroy
        // would close them, and the child would mistake that for our death).
        if (isAlive()) {
            sentSignal = Signals.SIGTERM;
            handle.destroy();
        }
    }

    @Override
    public void kill() {
        if (isAlive()) {
            sentSignal = Signals.SIGKILL;
            handle.destroyForcibly();
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
}
