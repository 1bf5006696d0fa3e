package org.multiprocessing4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.multiprocessing4j.StartMethod;

/** Example 9, {@code multiprocessing_exitcode.py}: how each way of ending reads as an exit code. */
class ExitCodeExampleIT {
    @ParameterizedTest
    @EnumSource(StartMethod.class)
    void exitCodesFollowPythonsRules(StartMethod method) {
        ExampleRunner.Result r = ExampleRunner.run(ExitCodeExample.class, method).assertExitedNormally();
        assertEquals(List.of(
                "Starting process for exit_error",
                "Starting process for exit_ok",
                "Starting process for return_value",
                "Starting process for raises",
                "Starting process for terminated",
                "exit_error.exitcode = 1",
                "exit_ok.exitcode = 0",
                "return_value.exitcode = 0",
                "raises.exitcode = 1",
                "terminated.exitcode = -15"), r.stdoutLines(), r::describe);

        // The uncaught exception's report, and nothing else: the header, then the stack trace.
        List<String> err = r.stderrLines();
        assertTrue(err.size() >= 3, () -> "a report of the exception on standard error\n" + r.describe());
        assertEquals("Process raises:", err.get(0), r::describe);
        assertEquals("java.lang.RuntimeException: There was an error!", err.get(1), r::describe);
        for (String frame : err.subList(2, err.size())) {
            assertTrue(frame.startsWith("\tat ") || frame.matches("\t\\.\\.\\. \\d+ more"),
                    () -> "a stack frame, not '" + frame + "'\n" + r.describe());
        }
        assertTrue(err.stream().anyMatch(l -> l.contains("ExitCodeExample.raises(")),
                () -> "the stack trace names the target\n" + r.describe());
    }
}
