package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.multiprocessing4j.testing.Await;
import org.multiprocessing4j.testing.FailureReport;
import org.multiprocessing4j.testing.Files2;
import org.multiprocessing4j.testing.NoLeftovers;

/** The life cycle of DESIGN.md section 2, with real child JVMs, in this JVM as the parent. */
@ExtendWith(NoLeftovers.class)
@Timeout(120)
abstract class JvmProcessContract extends StartMethodSuite {

    private static final Duration LONG = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private static JvmProcess blocking(String name) {
        return new JvmProcess(name, Files2::blockForever);
    }

    /** What a child that redirected its standard error there printed, line by line. */
    private static List<String> lines(String path) {
        return Files2.read(Path.of(path)).lines().collect(Collectors.toList());
    }

    @Test
    void runReturningGivesExitCodeZero() throws Exception {
        String out = dir.resolve("out").toString();
        JvmProcess p = new JvmProcess(() -> Files2.write(out, "ran"));
        p.start();
        p.join();
        assertEquals(OptionalInt.of(0), p.exitCode());
        assertEquals("ran", Files2.read(Path.of(out)));
        assertFalse(p.isAlive());
        assertTrue(p.exception().isEmpty());
    }

    @Test
    void isAliveWhileRunningAndJoinWithTimeoutReturnsFalse() throws Exception {
        JvmProcess p = blocking("blocked");
        assertFalse(p.isAlive(), "not alive before start");
        assertTrue(p.exitCode().isEmpty());
        p.start();
        assertTrue(p.isAlive());
        assertFalse(p.join(Duration.ofMillis(200)), "join with a timeout while the child runs");
        assertFalse(p.join(Duration.ZERO), "a zero timeout polls");
        assertFalse(p.join(Duration.ofMillis(-5)), "a negative timeout polls");
        assertTrue(p.exitCode().isEmpty(), "no exit code while running");
        p.kill();
        assertTrue(p.join(LONG));
        assertTrue(p.join(Duration.ZERO), "an ended process polls true");
        assertEquals(OptionalInt.of(-9), p.exitCode());
    }

    @Test
    void exitCodesThatLookLikeSignalsArePreserved() throws Exception {
        List<JvmProcess> ps = new ArrayList<>();
        for (int code : new int[] {3, 137, 143, 255}) {
            JvmProcess p = new JvmProcess("exit" + code, () -> System.exit(code));
            p.start();
            ps.add(p);
        }
        int[] expected = {3, 137, 143, 255};
        for (int i = 0; i < ps.size(); i++) {
            ps.get(i).join();
            assertEquals(OptionalInt.of(expected[i]), ps.get(i).exitCode(), ps.get(i).getName());
        }
    }

    @Test
    void uncaughtExceptionGivesExitCodeOneAndTheThrowable() throws Exception {
        String err = dir.resolve("stderr").toString();
        JvmProcess p = new JvmProcess("raises", () -> {
            Files2.redirectStderr(err);
            throw new IllegalStateException("There was an error!");
        });
        p.start();
        p.join();
        assertEquals(OptionalInt.of(1), p.exitCode());
        Throwable t = p.exception().orElseThrow();
        assertInstanceOf(IllegalStateException.class, t);
        assertEquals("There was an error!", t.getMessage());
        assertTrue(t.getStackTrace()[0].getMethodName().contains("lambda"),
                "the child's stack trace travels: " + t.getStackTrace()[0]);
        assertEquals("<JvmProcess(raises, stopped[1])>", p.toString());
        FailureReport.assertPrinted(lines(err), "raises", "java.lang.IllegalStateException: There was an error!");
    }

    /** Serializable in form, but not in fact: its field is not. */
    static final class UnsendableError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        @SuppressWarnings("unused")
        private final transient Object ok = new Object();
        private final Object notSerializable = new Object();

        UnsendableError(String message) {
            super(message);
        }
    }

    @Test
    void throwableThatCannotTravelArrivesAsRemoteThrowable() throws Exception {
        assertThrowsNotSerializable(new UnsendableError("x"));
        String err = dir.resolve("stderr").toString();
        JvmProcess p = new JvmProcess(() -> {
            Files2.redirectStderr(err);
            throw new UnsendableError("native library said no");
        });
        p.start();
        p.join();
        assertEquals(OptionalInt.of(1), p.exitCode());
        RemoteThrowable t = assertInstanceOf(RemoteThrowable.class, p.exception().orElseThrow());
        assertEquals(UnsendableError.class.getName(), t.getRemoteClassName());
        assertEquals("native library said no", t.getMessage());
        assertTrue(t.toString().startsWith(UnsendableError.class.getName() + ": native"));
        assertTrue(t.getStackTrace().length > 0);
        FailureReport.assertPrinted(lines(err), p.getName(), UnsendableError.class.getName() + ": native library said no");
    }

    private static void assertThrowsNotSerializable(Object o) {
        try (ObjectOutputStream out = new ObjectOutputStream(java.io.OutputStream.nullOutputStream())) {
            out.writeObject(o);
            throw new AssertionError("expected " + o + " not to be serializable");
        } catch (NotSerializableException expected) {
            // as intended
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void terminateGivesMinus15AndKillGivesMinus9() throws Exception {
        JvmProcess t = blocking("to-terminate");
        JvmProcess k = blocking("to-kill");
        t.start();
        k.start();
        t.terminate();
        k.kill();
        t.join();
        k.join();
        assertEquals(OptionalInt.of(-15), t.exitCode());
        assertEquals(OptionalInt.of(-9), k.exitCode());
        assertEquals("<JvmProcess(to-terminate, stopped[SIGTERM])>", t.toString());
        assertEquals("<JvmProcess(to-kill, stopped[SIGKILL])>", k.toString());
        t.terminate(); // no-op once ended
        k.kill();
        assertEquals(OptionalInt.of(-15), t.exitCode());
    }

    @Test
    void signalsSentByOthersAreReportedAsMinusN() throws Exception {
        String ready = dir.resolve("ready").toString();
        int[] signals = {15, 9, 2, 1};
        List<JvmProcess> ps = new ArrayList<>();
        for (int s : signals) {
            String mark = ready + s;
            JvmProcess p = new JvmProcess("sig" + s, () -> {
                Files2.write(mark, "up");
                Files2.blockForever();
            });
            p.start();
            ps.add(p);
        }
        for (int i = 0; i < signals.length; i++) {
            Path mark = Path.of(ready + signals[i]);
            // Wait until run() is running, so the signal meets the library's handlers.
            Await.until(LONG, "child " + ps.get(i).getName() + " to start running", () -> mark.toFile().exists());
            Process kill = new ProcessBuilder("kill", "-" + signals[i], Long.toString(ps.get(i).pid())).start();
            assertEquals(0, kill.waitFor());
        }
        for (int i = 0; i < signals.length; i++) {
            ps.get(i).join();
            assertEquals(OptionalInt.of(-signals[i]), ps.get(i).exitCode(), ps.get(i).getName());
        }
    }

    @Test
    void terminateRightAfterStartStillGivesMinus15() throws Exception {
        JvmProcess p = blocking("early");
        p.start();
        p.terminate(); // most likely before the child's JVM has even booted
        p.join();
        assertEquals(OptionalInt.of(-15), p.exitCode());
    }

    @Test
    void childKnowsItsNamePidAndParent() throws Exception {
        String out = dir.resolve("who").toString();
        JvmProcess p = new JvmProcess("worker 1", () -> {
            JvmProcess me = Multiprocessing.currentProcess();
            JvmProcess parent = Multiprocessing.parentProcess().orElseThrow();
            boolean parentEnded;
            try {
                parentEnded = parent.join(Duration.ofMillis(50));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            Files2.write(out, me.getName() + "|" + me.pid() + "|" + me.isAlive() + "|" + parent.getName()
                    + "|" + parent.pid() + "|" + parent.isAlive() + "|" + me.isDaemon() + "|" + parentEnded);
        });
        p.start();
        p.join();
        assertEquals(OptionalInt.of(0), p.exitCode());
        String[] f = Files2.read(Path.of(out)).split("\\|");
        assertEquals("worker 1", f[0]);
        assertEquals(p.pid(), Long.parseLong(f[1]));
        assertNotEquals(ProcessHandle.current().pid(), p.pid());
        assertEquals("true", f[2]);
        assertEquals("MainProcess", f[3]);
        assertEquals(ProcessHandle.current().pid(), Long.parseLong(f[4]));
        assertEquals("true", f[5]);
        assertEquals("false", f[6]);
        assertEquals("false", f[7], "joining the parent with a timeout returns false while it lives");
    }

    @Test
    void mainProcessIsTheCurrentProcessHere() {
        JvmProcess main = Multiprocessing.currentProcess();
        assertEquals("MainProcess", main.getName());
        assertEquals(ProcessHandle.current().pid(), main.pid());
        assertTrue(main.isAlive());
        assertTrue(Multiprocessing.parentProcess().isEmpty());
        assertEquals("<JvmProcess(MainProcess, started)>", main.toString());
        assertTrue(Multiprocessing.cpuCount() >= 1);
    }

    @Test
    void grandchildrenAreNamedAfterTheirParentsNumber() throws Exception {
        String out = dir.resolve("grandchild").toString();
        JvmProcess p = new JvmProcess(() -> {
            JvmProcess grandchild = new JvmProcess(() -> Files2.write(out,
                    Multiprocessing.currentProcess().getName() + "|"
                            + Multiprocessing.parentProcess().orElseThrow().getName()));
            grandchild.start();
            try {
                grandchild.join();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        String childName = p.getName();
        String number = childName.substring("Process-".length());
        p.start();
        p.join();
        assertEquals(OptionalInt.of(0), p.exitCode());
        assertEquals("Process-" + number + ":1|" + childName, Files2.read(Path.of(out)));
    }

    @Test
    void defaultNamesCountEveryProcessCreated() {
        JvmProcess a = new JvmProcess(() -> { });
        JvmProcess named = new JvmProcess("named", () -> { });
        JvmProcess b = new JvmProcess(() -> { });
        int n = Integer.parseInt(a.getName().substring("Process-".length()));
        assertEquals("named", named.getName());
        assertEquals("Process-" + (n + 2), b.getName());
        assertEquals("Worker-" + (n + 3), new Worker("unused").getName());
        assertEquals("Process-" + (n + 4), new JvmProcess(null, () -> { }).getName());
        b.setName("renamed");
        assertEquals("renamed", b.getName());
    }

    static final class Worker extends JvmProcess {
        private static final long serialVersionUID = 1L;
        private final String out;

        Worker(String out) {
            this.out = out;
        }

        @Override
        public void run() {
            Files2.write(out, "In " + getName());
        }
    }

    @Test
    void subclassRunsInTheChildWithItsFields() throws Exception {
        String out = dir.resolve("subclass").toString();
        Worker w = new Worker(out);
        w.start();
        w.join();
        assertEquals(OptionalInt.of(0), w.exitCode());
        assertEquals("In " + w.getName(), Files2.read(Path.of(out)));
        assertTrue(w.getName().startsWith("Worker-"));
    }

    @Test
    void childStandardInputIsEmpty() throws Exception {
        String out = dir.resolve("stdin").toString();
        JvmProcess p = new JvmProcess(() -> {
            try {
                Files2.write(out, Integer.toString(System.in.read()));
            } catch (IOException e) {
                Files2.write(out, e.toString());
            }
        });
        p.start();
        p.join();
        assertEquals("-1", Files2.read(Path.of(out)));
    }

    @Test
    void jvmOptionsReachTheChild() throws Exception {
        String out = dir.resolve("props").toString();
        JvmProcess p = new JvmProcess(() -> Files2.write(out, System.getProperty("mp4j.test.option")
                + "|" + (Runtime.getRuntime().maxMemory() < 200L * 1024 * 1024)));
        p.setJvmOptions(List.of("-Dmp4j.test.option=hello", "-Xmx96m"));
        assertEquals(List.of("-Dmp4j.test.option=hello", "-Xmx96m"), p.getJvmOptions());
        p.start();
        p.join();
        assertEquals("hello|true", Files2.read(Path.of(out)));
    }

    @Test
    void runWaitsForTheNonDaemonThreadsItStarted() throws Exception {
        String out = dir.resolve("thread").toString();
        JvmProcess p = new JvmProcess(() -> {
            Thread worker = new Thread(() -> {
                try {
                    Thread.sleep(300); // work that outlives run()
                } catch (InterruptedException e) {
                    return;
                }
                Files2.write(out, "thread finished");
            });
            worker.start();
        });
        p.start();
        p.join();
        assertEquals(OptionalInt.of(0), p.exitCode());
        assertEquals("thread finished", Files2.read(Path.of(out)));
    }

    @Test
    void theParentDropsTheTargetAfterStart() throws Exception {
        String out = dir.resolve("big").toString();
        long[] big = new long[1 << 16];
        big[7] = 42;
        SerializableRunnable target = () -> Files2.write(out, Long.toString(big[7]));
        WeakReference<SerializableRunnable> ref = new WeakReference<>(target);
        JvmProcess p = new JvmProcess(target);
        target = null;
        p.start();
        p.join();
        assertEquals("42", Files2.read(Path.of(out)));
        Await.until(LONG, "the target to be garbage-collected after start()", () -> {
            System.gc();
            return ref.get() == null;
        });
    }

    @Test
    void manyProcessesAtOnce() throws Exception {
        List<JvmProcess> ps = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            int code = i % 4;
            JvmProcess p = new JvmProcess(() -> System.exit(code));
            p.start();
            ps.add(p);
        }
        Set<Long> pids = new HashSet<>();
        for (int i = 0; i < ps.size(); i++) {
            ps.get(i).join();
            assertEquals(OptionalInt.of(i % 4), ps.get(i).exitCode());
            pids.add(ps.get(i).pid());
        }
        assertEquals(ps.size(), pids.size(), "every process has its own pid");
    }

    @Test
    void activeChildrenListsRunningChildrenOnly() throws Exception {
        JvmProcess running = blocking("running");
        JvmProcess done = new JvmProcess(() -> { });
        running.start();
        done.start();
        done.join();
        List<JvmProcess> active = Multiprocessing.activeChildren();
        assertTrue(active.contains(running), "running child listed: " + active);
        assertFalse(active.contains(done), "ended child not listed: " + active);
        running.kill();
        running.join();
        assertFalse(Multiprocessing.activeChildren().contains(running));
    }

    @Test
    void aDaemonCannotStartChildren() throws Exception {
        String out = dir.resolve("daemon").toString();
        JvmProcess d = new JvmProcess("the-daemon", () -> {
            try {
                new JvmProcess(() -> { }).start();
                Files2.write(out, "started a child");
            } catch (IllegalStateException e) {
                Files2.write(out, e.getMessage());
            }
        });
        d.setDaemon(true);
        assertEquals("<JvmProcess(the-daemon, initial daemon)>", d.toString());
        d.start();
        d.join();
        assertTrue(Files2.read(Path.of(out)).contains("daemonic processes are not allowed to have children"),
                Files2.read(Path.of(out)));
    }

    @Test
    void toStringFollowsTheLifeCycle() throws Exception {
        JvmProcess p = new JvmProcess("p", () -> { });
        assertEquals("<JvmProcess(p, initial)>", p.toString());
        p.start();
        String started = p.toString();
        p.join();
        assertTrue(started.equals("<JvmProcess(p, started)>") || started.equals("<JvmProcess(p, stopped)>"), started);
        assertEquals("<JvmProcess(p, stopped)>", p.toString());
        p.close();
        assertEquals("<JvmProcess(p, closed)>", p.toString());
    }

    @Test
    void aChildExitingWhileItWaitsForAGrandchildStillEndsWhenTerminated() throws Exception {
        String out = dir.resolve("grandchild-pid").toString();
        JvmProcess p = new JvmProcess("exits-waiting", () -> {
            JvmProcess grandchild = new JvmProcess("grandchild", Files2::blockForever);
            grandchild.start();
            Files2.write(out, Long.toString(grandchild.pid()));
            System.exit(3); // shutdown now waits for the non-daemon grandchild
        });
        p.start();
        Await.until(LONG, "the grandchild to be started", () -> Path.of(out).toFile().length() > 0);
        long grandchild = Long.parseLong(Files2.read(Path.of(out)));
        p.terminate();
        assertTrue(p.join(LONG), "a terminated child ends although its shutdown waits for a grandchild");
        // Its own exit status once the grandchild is ended, or -15 if it had to be halted.
        int code = p.exitCode().orElseThrow();
        assertTrue(code == 3 || code == -15, "exit code " + code);
        Await.until(LONG, "the grandchild " + grandchild + " to end", () -> Await.hasEnded(grandchild));
    }

    @Test
    void aChildKilledWhileItsShutdownHooksRunReportsSigkill() throws Exception {
        String running = dir.resolve("running").toString();
        String hooking = dir.resolve("hooking").toString();
        JvmProcess p = new JvmProcess(() -> {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                Files2.write(hooking, "in hook");
                Files2.blockForever();
            }));
            Files2.write(running, "running");
            Files2.blockForever();
        });
        p.start();
        Await.until(LONG, "run() to be running", () -> Path.of(running).toFile().exists());
        p.terminate();
        Await.until(LONG, "the child's shutdown hook to run", () -> Path.of(hooking).toFile().exists());
        p.kill();
        p.join();
        assertEquals(OptionalInt.of(-9), p.exitCode(), "the signal that ended it, not the one before");
    }

    @Test
    void aVeryLongNameTravels() throws Exception {
        String out = dir.resolve("name").toString();
        String name = "n".repeat(70_000);
        JvmProcess p = new JvmProcess(name, () -> Files2.write(out,
                Integer.toString(Multiprocessing.currentProcess().getName().length())));
        p.start();
        assertTrue(p.join(LONG));
        assertEquals(OptionalInt.of(0), p.exitCode());
        assertEquals("70000", Files2.read(Path.of(out)));
    }

    /** Written fine in the child; its readObject fails in the parent. */
    static final class UnreadableError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnreadableError(String message) {
            super(message);
        }

        private void readObject(java.io.ObjectInputStream in) {
            throw new AssertionError("readObject fails on purpose");
        }
    }

    @Test
    void aThrowableThatFailsToDeserializeStillGivesExitCodeAndStandIn() throws Exception {
        String err = dir.resolve("stderr").toString();
        JvmProcess p = new JvmProcess(() -> {
            Files2.redirectStderr(err);
            throw new UnreadableError("from the child");
        });
        p.start();
        assertTrue(p.join(LONG), "join returns although the child's throwable cannot be read");
        assertEquals(OptionalInt.of(1), p.exitCode());
        RemoteThrowable t = assertInstanceOf(RemoteThrowable.class, p.exception().orElseThrow());
        assertEquals(UnreadableError.class.getName(), t.getRemoteClassName());
        FailureReport.assertPrinted(lines(err), p.getName(), UnreadableError.class.getName() + ": from the child");
    }
}
