package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiprocessing4j.internal.launch.ForkServerLauncher;
import org.multiprocessing4j.drivers.Drivers;
import org.multiprocessing4j.testing.Await;
import org.multiprocessing4j.testing.JavaProgram;
import org.multiprocessing4j.testing.NoLeftovers;

/** What only FORKSERVER has: idle JVMs booted ahead of need, and how they are handed out. */
@ExtendWith(NoLeftovers.class)
@Timeout(120)
class ForkServerIT {
    private static final Duration LONG = Duration.ofSeconds(60);
    private static final ForkServerLauncher SERVER = ForkServerLauncher.INSTANCE;

    private static long awaitIdleJvm() {
        Await.until(LONG, "an idle JVM to be booted", () -> !SERVER.idlePids().isEmpty());
        return SERVER.idlePids().get(0);
    }

    @Test
    void aProcessGetsAnIdleJvm() throws Exception {
        ProcessContext ctx = Multiprocessing.getContext(StartMethod.FORKSERVER);
        assertEquals(StartMethod.FORKSERVER, ctx.getStartMethod());
        long idle = awaitIdleJvm();
        JvmProcess p = ctx.process("warm", () -> { });
        p.start();
        assertEquals(idle, p.pid(), "the process runs in the JVM that was idle");
        p.join();
        assertEquals(OptionalInt.of(0), p.exitCode());
    }

    @Test
    void idleJvmsAreNotChildren() {
        Multiprocessing.getContext(StartMethod.FORKSERVER);
        long idle = awaitIdleJvm();
        assertTrue(Multiprocessing.activeChildren().stream().noneMatch(p -> p.pid() == idle),
                "idle JVM listed as a child: " + Multiprocessing.activeChildren());
    }

    @Test
    void anIdleJvmKilledFromOutsideIsNeverHandedOut() throws Exception {
        ProcessContext ctx = Multiprocessing.getContext(StartMethod.FORKSERVER);
        long idle = awaitIdleJvm();
        ProcessHandle.of(idle).orElseThrow().destroyForcibly();
        Await.until(LONG, "the killed idle JVM " + idle + " to be gone", () -> Await.isGone(idle));
        JvmProcess p = ctx.process(() -> { });
        p.start();
        assertNotEquals(idle, p.pid());
        p.join();
        assertEquals(OptionalInt.of(0), p.exitCode());
        awaitIdleJvm(); // and a replacement boots
    }

    @Test
    void aProcessWithItsOwnJvmOptionsBootsItsOwnJvm() throws Exception {
        ProcessContext ctx = Multiprocessing.getContext(StartMethod.FORKSERVER);
        long idle = awaitIdleJvm();
        JvmProcess p = ctx.process(() -> { });
        p.setJvmOptions(List.of("-Dmp4j.own=1"));
        p.start();
        assertNotEquals(idle, p.pid());
        assertTrue(SERVER.idlePids().contains(idle), "the idle JVM is still idle");
        p.join();
        assertEquals(OptionalInt.of(0), p.exitCode());
    }

    @Test
    void aBurstOfProcessesAllRun() throws Exception {
        ProcessContext ctx = Multiprocessing.getContext(StartMethod.FORKSERVER);
        List<JvmProcess> ps = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            int code = i % 3;
            JvmProcess p = ctx.process(() -> System.exit(code));
            p.start();
            ps.add(p);
        }
        for (int i = 0; i < ps.size(); i++) {
            ps.get(i).join();
            assertEquals(OptionalInt.of(i % 3), ps.get(i).exitCode());
        }
    }

    @Test
    void aContextBindsSubclassesAndNotStartedProcessesOnly() throws Exception {
        ProcessContext ctx = Multiprocessing.getContext(StartMethod.FORKSERVER);
        long idle = awaitIdleJvm();
        Quiet q = ctx.bind(new Quiet());
        q.start();
        assertEquals(idle, q.pid());
        assertThrows(IllegalStateException.class, () -> ctx.bind(q));
        assertThrows(NullPointerException.class, () -> ctx.bind(null));
        q.join();
        assertEquals(OptionalInt.of(0), q.exitCode());
        assertSame(StartMethod.SPAWN, Multiprocessing.getContext(StartMethod.SPAWN).getStartMethod());
    }

    static final class Quiet extends JvmProcess {
        private static final long serialVersionUID = 1L;

        @Override
        public void run() {
        }
    }

    /** Its static initializer marks the JVM it runs in: it must run only where a process carries it. */
    static final class MarksItsJvm implements SerializableRunnable {
        private static final long serialVersionUID = 1L;
        static final String PROPERTY = "preload.test.marked"; // not multiprocessing4j.*, which children inherit

        static {
            System.setProperty(PROPERTY, "yes");
        }

        @Override
        public void run() {
        }
    }

    /** Exits 3 if a {@link MarksItsJvm} was initialized in this JVM, which this process does not carry. */
    static final class ExitsThreeIfMarked implements SerializableRunnable {
        private static final long serialVersionUID = 1L;

        @Override
        public void run() {
            System.exit(System.getProperty(MarksItsJvm.PROPERTY) != null ? 3 : 0);
        }
    }

    /**
     * An idle JVM booted after a process started is sent that process's class names and loads
     * them ahead (PreloadListTest checks the loading); here, that none of their code runs in a
     * JVM whose process does not carry them. The check holds whether or not the JVM got as far
     * as loading them before it was handed out.
     */
    @Test
    void anIdleJvmRunsNoCodeOfTheClassesItLoadsAhead() throws Exception {
        ProcessContext ctx = Multiprocessing.getContext(StartMethod.FORKSERVER);
        long first = awaitIdleJvm();
        JvmProcess marker = ctx.process(new MarksItsJvm());
        marker.start();
        assertTrue(marker.join(LONG), "expected the marking process to end");
        assertEquals(OptionalInt.of(0), marker.exitCode());
        // The JVMs booted from now on are sent MarksItsJvm's name and load it ahead.
        Await.until(LONG, "an idle JVM booted after the marking process started",
                () -> SERVER.idlePids().stream().anyMatch(pid -> pid != first && pid != marker.pid()));
        JvmProcess checker = ctx.process(new ExitsThreeIfMarked());
        checker.start();
        assertTrue(checker.join(LONG), "expected the checking process to end");
        assertEquals(OptionalInt.of(0), checker.exitCode(), "expected no static initializer of a class loaded"
                + " ahead (exit code 3: MarksItsJvm's ran in a JVM whose process does not carry it)");
    }

    @Test
    void theNumberOfIdleJvmsGrowsUnderABurstAndShrinksWhenQuiet() throws Exception {
        try (JavaProgram program = JavaProgram.start(Drivers.ForkServerDemand.class, List.of(
                "-Dmultiprocessing4j.forkserver.maxIdle=3", "-Dmultiprocessing4j.forkserver.shrinkAfterMillis=2000"))) {
            assertEquals(0, program.awaitExit(LONG));
            List<String> out = program.stdout();
            assertTrue(out.size() == 2 && out.get(0).matches("after the burst [23]"), out.toString());
            assertEquals("when quiet 1", out.get(1));
        }
    }

    @Test
    void anIdleJvmEndedBySigtermGoesQuietlyAndIsReplaced() throws Exception {
        try (JavaProgram program = JavaProgram.start(Drivers.IdleJvmEnded.class)) {
            String line = program.awaitStdoutLine(LONG, "an idle JVM's pid", l -> l.startsWith("idle "));
            long idle = Long.parseLong(line.substring("idle ".length()));
            Process kill = new ProcessBuilder("kill", "-TERM", Long.toString(idle)).start();
            assertEquals(0, kill.waitFor());
            assertEquals(0, program.awaitExit(LONG));
            List<String> out = program.stdout();
            assertEquals(3, out.size(), out.toString());
            assertTrue(out.get(1).startsWith("ran in ") && !out.get(1).equals("ran in " + idle), out.toString());
            assertEquals("exit code 0", out.get(2));
            assertEquals(List.of(), program.stderr());
        }
    }

    @Test
    void retiredIdleJvmsEndAndBootAgainOnDemand() throws Exception {
        ProcessContext ctx = Multiprocessing.getContext(StartMethod.FORKSERVER);
        long idle = awaitIdleJvm();
        SERVER.retireIdle(false);
        assertFalse(SERVER.idlePids().contains(idle));
        assertTrue(Await.isGone(idle), "a retired JVM has ended and been reaped");
        JvmProcess p = ctx.process(() -> { });
        p.start();
        p.join();
        assertEquals(OptionalInt.of(0), p.exitCode());
        awaitIdleJvm();
    }
}
