package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiprocessing4j.drivers.Drivers;
import org.multiprocessing4j.testing.Await;
import org.multiprocessing4j.testing.FailureReport;
import org.multiprocessing4j.testing.JavaProgram;
import org.multiprocessing4j.testing.NoLeftovers;

/** Whole programs, run as separate JVMs: exit, daemons, orphans, logging and output. */
@ExtendWith(NoLeftovers.class)
@Timeout(180)
abstract class ProgramContract extends StartMethodSuite {

    private static final Duration LONG = Duration.ofSeconds(60);

    private JavaProgram program(Class<?> main, String... args) {
        return JavaProgram.start(main, List.of("-Dmultiprocessing4j.startMethod=" + startMethod()), args);
    }

    @Test
    void childrenEndSoonAfterTheirParentIsKilledWithSigkill() throws Exception {
        try (JavaProgram program = program(Drivers.Orphans.class)) {
            program.awaitStdoutLine(LONG, "the line 'ready'", "ready"::equals);
            program.awaitStdoutLine(LONG, "the grandchild's pid", l -> l.startsWith("grandchild "));
            List<Long> pids = program.stdout().stream()
                    .filter(l -> l.startsWith("child ") || l.startsWith("grandchild ") || l.startsWith("idle "))
                    .map(l -> Long.parseLong(l.substring(l.indexOf(' ') + 1)))
                    .collect(Collectors.toList());
            long idle = program.stdout().stream().filter(l -> l.startsWith("idle ")).count();
            assertTrue(startMethod() == StartMethod.FORKSERVER ? idle >= 1 : idle == 0, program.stdout().toString());
            assertEquals(4 + idle, pids.size(), program.stdout().toString());
            Path staleSession = sessionDirectoryOf(program.pid());
            assertTrue(Files.isDirectory(staleSession), "the program made " + staleSession);

            program.process().destroyForcibly();
            program.awaitExit(LONG);
            Await.until(Duration.ofSeconds(10), "children, grandchild and idle JVMs " + pids
                    + " to end after their parent died",
                    () -> pids.stream().allMatch(Await::hasEnded));

            // The killed program could not clean up; the next program of this user does.
            assertTrue(Files.isDirectory(staleSession), "a killed parent leaves its session directory");
            try (JavaProgram next = program(Drivers.Logging.class, "default")) {
                assertEquals(0, next.awaitExit(LONG));
            }
            assertFalse(Files.exists(staleSession), "the next start removed " + staleSession);
        }
    }

    private static Path sessionDirectoryOf(long pid) throws IOException {
        Path root = Path.of(System.getProperty("multiprocessing4j.tmpdir"));
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(p -> p.getFileName().toString().startsWith("s" + pid + "-"))
                    .findFirst().orElseThrow(() -> new AssertionError("no session directory for pid " + pid));
        }
    }

    @Test
    void mainReturningWaitsForNonDaemonChildrenAndEndsDaemons() throws Exception {
        try (JavaProgram program = program(Drivers.MainReturns.class)) {
            assertEquals(0, program.awaitExit(LONG));
            List<String> out = program.stdout();
            assertTrue(out.indexOf("main returns") >= 0 && out.indexOf("main returns") < out.indexOf("child done"),
                    "the program lived on after main returned until its child was done: " + out);
            long daemon = Long.parseLong(out.stream().filter(l -> l.startsWith("daemon ")).findFirst()
                    .orElseThrow().substring("daemon ".length()));
            Await.until(Duration.ofSeconds(5), "the daemon child " + daemon + " to be gone", () -> Await.isGone(daemon));
            for (String idle : out.stream().filter(l -> l.startsWith("idle ")).collect(Collectors.toList())) {
                long pid = Long.parseLong(idle.substring("idle ".length()));
                Await.until(Duration.ofSeconds(5), "the idle JVM " + pid + " to be gone", () -> Await.isGone(pid));
            }
        }
    }

    @Test
    void systemExitWaitsForNonDaemonChildrenAndKeepsItsStatus() throws Exception {
        try (JavaProgram program = program(Drivers.ExitsEarly.class)) {
            assertEquals(7, program.awaitExit(LONG));
            assertEquals(List.of("main exits", "child done"), program.stdout());
        }
    }

    @Test
    void uncaughtExceptionIsReportedOnTheChildsStderr() throws Exception {
        try (JavaProgram program = program(Drivers.Raises.class)) {
            assertEquals(0, program.awaitExit(LONG));
            FailureReport.assertPrinted(program.stderr(), "raises", "java.lang.RuntimeException: There was an error!");
            assertEquals(List.of("raises.exitcode = 1"), program.stdout());
        }
    }

    @Test
    void debugLoggingIsInheritedByTheChild() throws Exception {
        try (JavaProgram program = program(Drivers.Logging.class, "debug")) {
            assertEquals(0, program.awaitExit(LONG));
            assertEquals(List.of("Doing some work"), program.stdout());
            List<String> err = program.stderr();
            String child = program.stderr().stream().filter(l -> l.contains("calling run()")).findFirst()
                    .orElseThrow(() -> new AssertionError("no 'calling run()' line in " + err));
            String name = child.substring(child.indexOf('/') + 1, child.indexOf(']'));
            assertTrue(name.startsWith("Process-"), child);
            assertInOrder(err,
                    "[INFO/" + name + "] child process calling run()",
                    "[INFO/" + name + "] process shutting down",
                    "[DEBUG/" + name + "] running the library's shutdown hooks",
                    "[DEBUG/" + name + "] running the remaining shutdown hooks",
                    "[INFO/" + name + "] process exiting with exitcode 0",
                    "[INFO/MainProcess] process shutting down",
                    "[DEBUG/MainProcess] running the library's shutdown hooks",
                    "[DEBUG/MainProcess] running the remaining shutdown hooks");
        }
    }

    @Test
    void infoLevelSetOnTheLoggerIsInheritedWithoutDebugLines() throws Exception {
        try (JavaProgram program = program(Drivers.Logging.class, "info-via-logger")) {
            assertEquals(0, program.awaitExit(LONG));
            List<String> err = program.stderr();
            assertTrue(err.stream().noneMatch(l -> l.startsWith("[DEBUG")), err.toString());
            assertEquals(3, err.stream().filter(l -> l.startsWith("[INFO/Process-")).count(), err.toString());
            assertEquals(1, err.stream().filter("[INFO/MainProcess] process shutting down"::equals).count(), err.toString());
        }
    }

    @Test
    void logToStderrTwiceInstallsOneHandler() throws Exception {
        try (JavaProgram program = program(Drivers.Logging.class, "twice")) {
            assertEquals(0, program.awaitExit(LONG));
            List<String> err = program.stderr();
            assertEquals(1, err.stream().filter(l -> l.endsWith("child process calling run()")).count(), err.toString());
        }
    }

    @Test
    void noLifecycleLinesUnlessAsked() throws Exception {
        try (JavaProgram program = program(Drivers.Logging.class, "default")) {
            assertEquals(0, program.awaitExit(LONG));
            assertEquals(List.of("Doing some work"), program.stdout());
            assertEquals(List.of(), program.stderr());
        }
    }

    @Test
    void childrenPrintWholeLines() throws Exception {
        try (JavaProgram program = program(Drivers.ManyLines.class)) {
            assertEquals(0, program.awaitExit(LONG));
            Pattern line = Pattern.compile("child (\\d) line (\\d+) x{200}");
            List<String> out = program.stdout();
            List<List<Integer>> seen = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                seen.add(new ArrayList<>());
            }
            for (String l : out) {
                Matcher m = line.matcher(l);
                assertTrue(m.matches(), "a broken line: " + l);
                seen.get(Integer.parseInt(m.group(1))).add(Integer.parseInt(m.group(2)));
            }
            for (int c = 0; c < 4; c++) {
                assertEquals(500, seen.get(c).size(), "lines of child " + c);
                for (int i = 0; i < 500; i++) {
                    assertEquals(i, seen.get(c).get(i), "child " + c + "'s lines in order");
                }
            }
        }
    }

    private static void assertInOrder(List<String> lines, String... expected) {
        int at = -1;
        for (String e : expected) {
            int found = -1;
            for (int i = at + 1; i < lines.size(); i++) {
                if (lines.get(i).equals(e)) {
                    found = i;
                    break;
                }
            }
            assertTrue(found > at, "expected '" + e + "' after line " + at + " in:\n" + String.join("\n", lines));
            at = found;
        }
    }
}
