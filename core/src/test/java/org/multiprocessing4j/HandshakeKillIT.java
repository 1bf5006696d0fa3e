package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.multiprocessing4j.internal.launch.ForkServerLauncher;
import org.multiprocessing4j.testing.Await;
import org.multiprocessing4j.testing.BlockingCall;
import org.multiprocessing4j.testing.Files2;
import org.multiprocessing4j.testing.NoLeftovers;
import org.multiprocessing4j.testing.OsSignals;

/**
 * SIGTERM and SIGKILL of a child during its handshake, before its target runs (issue 16 part
 * 4), under both start methods: while its JVM starts and has not read the handshake, while the
 * parent is still writing a handshake larger than a pipe holds, and while the child decodes
 * its target. {@code start()} and {@code join()} return promptly, the exit code is the signal's,
 * nothing is left behind, and the parent starts the next process as usual.
 *
 * <p>Each stage is reached for certain, not by timing: a SPAWN child's JVM is held at its start
 * by HotSpot's {@code PauseAtStartup} (until its pause file is deleted, which it never is here);
 * a FORKSERVER child is an idle JVM stopped with SIGSTOP before it is handed out; and a target
 * that captures a {@link Stall} blocks in its own deserialization.
 */
@ExtendWith(NoLeftovers.class)
@Timeout(180)
class HandshakeKillIT {
    private static final Duration LONG = Duration.ofSeconds(60);
    /** How soon after its signal a child must be seen to have ended: generous for a busy machine. */
    private static final Duration PROMPTLY = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    static List<Arguments> methodsAndSignals() {
        return List.of(Arguments.of(StartMethod.SPAWN, "TERM"), Arguments.of(StartMethod.SPAWN, "KILL"),
                Arguments.of(StartMethod.FORKSERVER, "TERM"), Arguments.of(StartMethod.FORKSERVER, "KILL"));
    }

    /** Captured by a target: its deserialization in the child says so in a file, then blocks for ever. */
    static final class Stall implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String marker;

        Stall(Path marker) {
            this.marker = marker.toString();
        }

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            Files.writeString(Path.of(marker), "decoding");
            Files2.blockForever();
        }

        void neverCalled() {
            throw new AssertionError("the target ran");
        }
    }

    /** The child's JVM has not read its handshake: held at its start (SPAWN) or stopped while idle (FORKSERVER). */
    @ParameterizedTest(name = "{0}, SIG{1}")
    @MethodSource("methodsAndSignals")
    void signalledBeforeItReadsItsHandshake(StartMethod method, String signal) throws Exception {
        ProcessContext ctx = Multiprocessing.getContext(method);
        Held held = hold(method, ctx);
        JvmProcess p = held.configure(ctx.process("unread", Files2::blockForever));
        p.start();
        held.awaitHeld(p.pid());
        long signalled = send(p, signal);
        held.release(p.pid());
        assertEndedBy(p, signal, signalled);
        assertTheNextProcessRuns(ctx);
    }

    /** {@code start()} is still writing a handshake of 1 MiB when someone else signals the child. */
    @ParameterizedTest(name = "{0}, SIG{1}")
    @MethodSource("methodsAndSignals")
    void signalledWhileTheParentStillWritesItsHandshake(StartMethod method, String signal) throws Exception {
        ProcessContext ctx = Multiprocessing.getContext(method);
        Held held = hold(method, ctx);
        byte[] ballast = new byte[1 << 20];
        JvmProcess p = held.configure(ctx.process("half-sent", () -> {
            if (ballast.length > 0) {
                Files2.blockForever();
            }
        }));
        BlockingCall start = BlockingCall.start("start() with a handshake of 1 MiB", () -> {
            p.start();
            return null;
        }).awaitBlockedIn("start");
        long pid = held.awaitHeld(-1);
        long signalled = System.nanoTime();
        OsSignals.send(pid, signal);
        held.release(pid);
        start.awaitEnd();
        assertEquals(null, start.thrown(), "start() returned: " + start);
        assertEquals(pid, p.pid());
        assertEndedBy(p, signal, signalled);
        assertTheNextProcessRuns(ctx);
    }

    /** The child has read its handshake and blocks in the deserialization of its target. */
    @ParameterizedTest(name = "{0}, SIG{1}")
    @MethodSource("methodsAndSignals")
    void signalledWhileItDecodesItsTarget(StartMethod method, String signal) throws Exception {
        ProcessContext ctx = Multiprocessing.getContext(method);
        Path marker = dir.resolve("decoding");
        Stall stall = new Stall(marker);
        JvmProcess p = ctx.process("decoding", stall::neverCalled);
        p.start();
        Await.until(LONG, "the child to decode its target", () -> Files.exists(marker));
        long signalled = send(p, signal);
        assertEndedBy(p, signal, signalled);
        assertTheNextProcessRuns(ctx);
    }

    /** Terminates or kills {@code p}; returns when, as {@code System.nanoTime()}. */
    private static long send(JvmProcess p, String signal) {
        long now = System.nanoTime();
        if (signal.equals("TERM")) {
            p.terminate();
        } else {
            p.kill();
        }
        return now;
    }

    private static void assertEndedBy(JvmProcess p, String signal, long signalledNanos) throws InterruptedException {
        assertTrue(p.join(LONG), p + " did not end within " + LONG.toSeconds() + " s of SIG" + signal);
        Duration took = Duration.ofNanos(System.nanoTime() - signalledNanos);
        assertTrue(took.compareTo(PROMPTLY) < 0, p + " took " + took.toMillis() + " ms to be seen ended");
        int code = signal.equals("TERM") ? -15 : -9;
        assertEquals(OptionalInt.of(code), p.exitCode(), p.toString());
        assertEquals(Optional.empty(), p.exception(), "no throwable: the target never ran");
        assertEquals("<JvmProcess(" + p.getName() + ", stopped[SIG" + signal + "])>", p.toString());
    }

    private static void assertTheNextProcessRuns(ProcessContext ctx) throws InterruptedException {
        SharedLong ran = SharedLong.create(0);
        JvmProcess next = ctx.process("next", ran::incrementAndGet);
        next.start();
        assertTrue(next.join(LONG), "the next process ended");
        assertEquals(OptionalInt.of(0), next.exitCode());
        assertEquals(1, ran.get());
    }

    private Held hold(StartMethod method, ProcessContext ctx) throws InterruptedException {
        return method == StartMethod.SPAWN ? new PausedAtStart(dir.resolve("paused")) : new StoppedWhileIdle(ctx);
    }

    /** How a child's JVM is kept from reading its handshake. */
    private interface Held {
        /** Readies the process before its start. */
        JvmProcess configure(JvmProcess p);

        /** Waits until the child's JVM is held; returns its pid ({@code pid}, if known, or found). */
        long awaitHeld(long pid);

        /** Lets a signal sent to the held JVM take effect. */
        void release(long pid);
    }

    /** SPAWN: HotSpot waits at its start while the pause file exists; a signal ends it there. */
    private static final class PausedAtStart implements Held {
        private final Path pauseFile;

        PausedAtStart(Path pauseFile) {
            this.pauseFile = pauseFile;
        }

        @Override
        public JvmProcess configure(JvmProcess p) {
            p.setJvmOptions(List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:+PauseAtStartup",
                    "-XX:PauseAtStartupFile=" + pauseFile));
            return p;
        }

        @Override
        public long awaitHeld(long pid) {
            Await.until(LONG, "the child's JVM to pause at its start", () -> Files.exists(pauseFile));
            if (pid > 0) {
                return pid;
            }
            List<ProcessHandle> paused = ProcessHandle.current().children()
                    .filter(h -> h.info().commandLine().orElse("").contains(pauseFile.toString()))
                    .collect(Collectors.toList());
            assertEquals(1, paused.size(), "one child pauses: " + paused);
            return paused.get(0).pid();
        }

        @Override
        public void release(long pid) {
            // Nothing to do: the JVM takes signals while it pauses.
        }
    }

    /** FORKSERVER: the idle JVM that the next start takes, stopped (SIGSTOP) before it is handed out. */
    private static final class StoppedWhileIdle implements Held {
        private final long pid;

        StoppedWhileIdle(ProcessContext ctx) throws InterruptedException {
            // A process started and joined: the forkserver then keeps an idle JVM for the next.
            JvmProcess first = ctx.process("first", () -> { });
            first.start();
            assertTrue(first.join(LONG));
            Await.until(LONG, "an idle JVM to be booted", () -> !ForkServerLauncher.INSTANCE.idlePids().isEmpty());
            pid = ForkServerLauncher.INSTANCE.idlePids().get(0); // the first in line
            OsSignals.send(pid, "STOP");
            Await.until(LONG, "the idle JVM to stop", () -> OsSignals.isStopped(pid));
        }

        @Override
        public JvmProcess configure(JvmProcess p) {
            return p;
        }

        @Override
        public long awaitHeld(long handedOut) {
            if (handedOut > 0) {
                assertEquals(pid, handedOut, "the stopped idle JVM was handed out");
            } else {
                Await.until(LONG, "the stopped idle JVM to be handed out",
                        () -> !ForkServerLauncher.INSTANCE.idlePids().contains(pid));
            }
            return pid;
        }

        @Override
        public void release(long handedOut) {
            OsSignals.sendIfAlive(pid, "CONT"); // a stopped JVM acts on SIGTERM once it runs again
        }
    }
}
