package org.multiprocessing4j.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a child's exit code is read from its report, its exit value and the signal the parent sent. */
class ExitReportTest {
    @TempDir
    Path dir;

    @Test
    void aSignalThatEndedTheChildGivesMinusTheSignal() {
        assertEquals(-15, ExitReport.read(dir.resolve("none"), 143, 15).exitCode);
        assertEquals(-9, ExitReport.read(dir.resolve("none"), 137, 9).exitCode);
    }

    @Test
    void aStartUpFailureAfterASigtermWithoutAReportCountsAsTerminated() {
        // The JDK can fail its own start-up when a SIGTERM reaches it mid-initialization.
        assertEquals(-15, ExitReport.read(dir.resolve("none"), 1, 15).exitCode);
    }

    @Test
    void anExitValueOfOneIsOneOtherwise() throws Exception {
        assertEquals(1, ExitReport.read(dir.resolve("none"), 1, 0).exitCode, "no signal sent");
        assertEquals(1, ExitReport.read(dir.resolve("none"), 1, 9).exitCode, "SIGKILL cannot be caught: 1 is the child's");
        Path report = dir.resolve("report");
        ExitReport.write(report, ExitReport.RETURNED, 1, null);
        assertEquals(1, ExitReport.read(report, 1, 15).exitCode, "the child reported that it returned 1");
    }
}
