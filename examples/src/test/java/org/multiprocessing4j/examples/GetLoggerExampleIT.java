package org.multiprocessing4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Example 11, {@code multiprocessing_get_logger.py}: the logger's level set to INFO directly. */
class GetLoggerExampleIT {
    @Test
    void logsOnlyInfoLines() {
        ExampleRunner.Result r = ExampleRunner.run(GetLoggerExample.class).assertExitedNormally();
        assertEquals(List.of("Doing some work"), r.stdoutLines(), r::describe);
        assertEquals(List.of(
                "[INFO/Process-1] child process calling run()",
                "[INFO/Process-1] process shutting down",
                "[INFO/Process-1] process exiting with exitcode 0",
                "[INFO/MainProcess] process shutting down"), r.stderrLines(), r::describe);
    }
}
