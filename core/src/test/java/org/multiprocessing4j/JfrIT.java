package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.multiprocessing4j.drivers.Recorded;
import org.multiprocessing4j.testing.JavaProgram;
import org.multiprocessing4j.testing.NoLeftovers;

/** The library's Flight Recorder events, read back from a real recording of a real program. */
@ExtendWith(NoLeftovers.class)
@Timeout(180)
class JfrIT {
    private static final Duration LONG = Duration.ofSeconds(150);

    @TempDir
    Path dir;

    @Test
    void aRecordingHoldsTheLibrarysEventsAndAChildItsOwnFile() throws Exception {
        Path file = dir.resolve("app.jfr");
        Path tmp = Files.createDirectories(dir.resolve("tmp")); // the recordings' own scratch files
        List<String> out;
        try (JavaProgram program = JavaProgram.start(Recorded.class, List.of("-Djava.io.tmpdir=" + tmp),
                file.toString())) {
            int exit = program.awaitExit(LONG);
            out = program.stdout();
            assertEquals(0, exit, "the program failed: " + out + " " + program.stderr());
            assertTrue(program.stderr().stream().anyMatch(l -> l.contains("took over")),
                    "the take-over is logged too: " + program.stderr());
        }
        long three = pidAfter(out, "exits-3 ");
        long holder = pidAfter(out, "holder ");
        assertTrue(out.contains("exits-3 " + three + " 3"), out.toString());
        assertTrue(out.contains("polled null") && out.contains("applied 1") && out.contains("done"), out.toString());
        assertTrue(out.contains("threw IllegalArgumentException"), out.toString());
        assertTrue(out.stream().anyMatch(l -> l.startsWith("worker died ") && !l.endsWith("none")), out.toString());

        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        String all = events.stream().map(e -> e.getEventType().getName()).distinct().collect(Collectors.joining(", "));

        RecordedEvent started = only(events, "ProcessStart", e -> e.getLong("pid") == three, all);
        assertEquals("exits-3", started.getString("processName"));
        assertTrue(List.of("SPAWN", "FORKSERVER").contains(started.getString("startMethod")), started.toString());

        RecordedEvent ended = only(events, "ProcessEnd", e -> e.getLong("pid") == three, all);
        assertEquals(3, ended.getInt("exitCode"));
        assertNull(ended.getString("signal"));
        assertTrue(ended.getDuration("runTime").toNanos() > 0, ended.toString());
        assertEquals(1, only(events, "ProcessEnd", e -> e.getLong("pid") == holder, all).getInt("exitCode"));

        List<RecordedEvent> tasks = of(events, "PoolTask");
        assertTrue(tasks.stream().anyMatch(e -> e.getInt("failed") == 0 && e.getLong("workerPid") > 0), all);
        assertTrue(tasks.stream().anyMatch(e -> e.getInt("failed") == 1 && e.getString("outcome").contains("threw")),
                tasks.toString());

        RecordedEvent death = only(events, "WorkerDeath", e -> true, all);
        assertEquals(7, death.getInt("exitCode"));
        assertFalse(death.getBoolean("timedOut"));
        assertTrue(death.getString("task") != null, death.toString());

        RecordedEvent wait = only(events, "Wait", e -> "ProcessQueue.poll".equals(e.getString("operation")), all);
        assertTrue(wait.getDuration().toMillis() >= 20, wait.toString());
        assertTrue(of(events, "Wait").stream().allMatch(e -> e.getString("operation") != null), "only the program's waits");

        assertEquals(holder, only(events, "LockTakenOver", e -> true, all).getLong("deadHolderPid"));

        Path child = dir.resolve("app-exits-3-" + three + ".jfr");
        assertTrue(Files.isRegularFile(child), "the child's own recording, next to the program's: " + listing());
        assertFalse(RecordingFile.readAllEvents(child).isEmpty(), "the child recorded something");
    }

    private static long pidAfter(List<String> out, String prefix) {
        return out.stream().filter(l -> l.startsWith(prefix)).findFirst()
                .map(l -> Long.parseLong(l.substring(prefix.length()).split(" ")[0]))
                .orElseThrow(() -> new AssertionError("no line '" + prefix + "...' in " + out));
    }

    private static List<RecordedEvent> of(List<RecordedEvent> events, String type) {
        return events.stream().filter(e -> e.getEventType().getName().equals("org.multiprocessing4j." + type))
                .collect(Collectors.toList());
    }

    private static RecordedEvent only(List<RecordedEvent> events, String type,
                                      java.util.function.Predicate<RecordedEvent> which, String all) {
        List<RecordedEvent> found = of(events, type).stream().filter(which).collect(Collectors.toList());
        assertEquals(1, found.size(), "one " + type + " event expected, got " + found + "; types recorded: " + all);
        return found.get(0);
    }

    private String listing() throws java.io.IOException {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).collect(Collectors.joining(", "));
        }
    }
}
