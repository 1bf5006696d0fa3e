package org.multiprocessing4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.multiprocessing4j.StartMethod;

/**
 * Example 10, {@code multiprocessing_log_to_stderr.py}: the lifecycle log of the child (which
 * inherits the DEBUG level) and then of the main process, as {@code [LEVEL/ProcessName] ...}.
 */
class LogToStderrExampleIT {
    @ParameterizedTest
    @EnumSource(StartMethod.class)
    void logsTheLifecycleOfChildAndMainAtDebug(StartMethod method) {
        ExampleRunner.Result r = ExampleRunner.run(LogToStderrExample.class, method).assertExitedNormally();
        assertEquals(List.of("Doing some work"), r.stdoutLines(), r::describe);

        // The child's lines all come first: main shuts down only after joining it.
        List<String> err = r.stderrLines();
        int i = 0;
        i = expect(err, i, "[INFO/Process-1] child process calling run()", r);
        i = expect(err, i, "[INFO/Process-1] process shutting down", r);
        i = expectDebugLines(err, i, "Process-1", r);
        i = expect(err, i, "[INFO/Process-1] process exiting with exitcode 0", r);
        i = expect(err, i, "[INFO/MainProcess] process shutting down", r);
        i = expectDebugLines(err, i, "MainProcess", r);
        assertEquals(err.size(), i, () -> "nothing after the main process's shutdown hooks\n" + r.describe());
    }

    static int expect(List<String> lines, int i, String expected, ExampleRunner.Result r) {
        if (i >= lines.size() || !lines.get(i).equals(expected)) {
            fail("standard error line " + (i + 1) + " should be '" + expected + "'\n" + r.describe());
        }
        return i + 1;
    }

    /** One or more {@code [DEBUG/process] ...} lines (the shutdown hooks) from {@code i}. */
    private static int expectDebugLines(List<String> lines, int i, String process, ExampleRunner.Result r) {
        String prefix = "[DEBUG/" + process + "] ";
        int start = i;
        while (i < lines.size() && lines.get(i).startsWith(prefix) && lines.get(i).length() > prefix.length()) {
            i++;
        }
        int end = i;
        assertTrue(end > start, () -> "standard error line " + (start + 1) + " should be a " + prefix
                + "line (running the shutdown hooks)\n" + r.describe());
        return i;
    }
}
