package org.multiprocessing4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.multiprocessing4j.JvmProcess;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.ProcessPool;
import org.multiprocessing4j.ProcessQueue;

/**
 * Testing code that uses multiprocessing4j with JUnit 5 (docs/testing.md). The code under test
 * runs in real child JVMs; the tests assert what comes back from them (results, items on a
 * queue, exit codes, the child's exception), not what they print, and check after each test
 * that no child JVM is left.
 *
 * <p>An IT, run by Failsafe, because it starts JVMs (the project's rule for such tests); the
 * same class runs unchanged under Surefire. Either way the plugin must use the TCP fork channel
 * (the parent pom sets it for both), or what children print corrupts the plugin's channel.
 */
@Timeout(120)
class JUnitTestingExampleIT {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    /** The code under test: squares numbers in a pool of two worker JVMs. */
    static List<Integer> squares(List<Integer> numbers) throws InterruptedException {
        try (ProcessPool pool = ProcessPool.create(2)) { // close() waits for the workers to end
            return pool.map(x -> x * x, numbers);
        }
    }

    /** The code under test: refuses negative amounts. */
    static void withdraw(int amount) {
        if (amount < 0) {
            throw new IllegalArgumentException("negative amount: " + amount);
        }
    }

    @Test
    void aPoolComputesInWorkerJvms() throws Exception {
        assertEquals(List.of(0, 1, 4, 9, 16), squares(List.of(0, 1, 2, 3, 4)));
    }

    @Test
    void aChildAnswersThroughAQueue() throws Exception {
        try (ProcessQueue<String> answers = ProcessQueue.create()) {
            JvmProcess p = new JvmProcess("greeter",
                    () -> answers.add("hello from " + Multiprocessing.currentProcess().getName()));
            p.start();
            assertEquals("hello from greeter", answers.poll(PATIENCE), "the child's answer");
            assertTrue(p.join(PATIENCE), "the child ends");
            assertEquals(OptionalInt.of(0), p.exitCode());
        }
    }

    /**
     * A child whose {@code run()} throws prints {@code Process NAME:} and the stack trace on the
     * standard error it inherited, which here is the build log. The test's target sends the
     * child's {@code System.err} to a file first, then calls the code under test, and asserts
     * what was printed along with the exception that came back.
     */
    @Test
    void aFailureInAChildIsAssertedNotPrinted(@TempDir Path dir) throws Exception {
        String stderr = dir.resolve("stderr.txt").toString();
        JvmProcess p = new JvmProcess("withdrawal", () -> {
            redirectStderr(stderr);
            withdraw(-5);
        });
        p.start();
        assertTrue(p.join(PATIENCE), "the child ends");
        assertEquals(OptionalInt.of(1), p.exitCode(), "an uncaught throwable gives exit code 1");
        Throwable thrown = assertInstanceOf(IllegalArgumentException.class, p.exception().orElseThrow());
        assertEquals("negative amount: -5", thrown.getMessage());
        List<String> printed = Files.readAllLines(Path.of(stderr));
        assertEquals(List.of("Process withdrawal:", "java.lang.IllegalArgumentException: negative amount: -5"),
                printed.subList(0, 2), "what the child printed: " + printed);
    }

    /** In the child: its {@code System.err} goes to the file at {@code path}. */
    private static void redirectStderr(String path) {
        try {
            System.setErr(new PrintStream(new FileOutputStream(path), true, StandardCharsets.UTF_8));
        } catch (FileNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * No child JVM outlives its test: every process this JVM started has ended within a grace
     * period (a joined process or a closed pool has ended already), or the test fails naming
     * them, and they are killed. With the FORKSERVER start method, idle JVMs kept for later
     * processes would be counted too: they end with this JVM.
     */
    @AfterEach
    void noChildJvmIsLeft() throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        for (ProcessHandle child : ProcessHandle.current().descendants().collect(Collectors.toList())) {
            try {
                child.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // Named below.
            }
        }
        List<ProcessHandle> left = ProcessHandle.current().descendants().collect(Collectors.toList());
        List<String> described = left.stream().map(h -> h.pid() + " " + h.info().commandLine().orElse("?"))
                .collect(Collectors.toList());
        left.forEach(ProcessHandle::destroyForcibly);
        assertEquals(List.of(), described, "child JVMs left after the test (now killed)");
    }
}
