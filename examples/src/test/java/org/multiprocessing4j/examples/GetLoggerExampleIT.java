package org.multiprocessing4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.multiprocessing4j.StartMethod;

/** Example 11, {@code multiprocessing_get_logger.py}: the logger's level set to INFO directly. */
class GetLoggerExampleIT {
    @ParameterizedTest
    @EnumSource(StartMethod.class)
    void logsOnlyInfoLines(StartMethod method) {
        ExampleRunner.Result r = ExampleRunner.run(GetLoggerExample.class, method).assertExitedNormally();
        assertEquals(List.of("Doing some work"), r.stdoutLines(), r::describe);
        assertEquals(List.of(
                "[INFO/Process-1] child process calling run()",
                "[INFO/Process-1] process shutting down",
                "[INFO/Process-1] process exiting with exitcode 0",
                "[INFO/MainProcess] process shutting down"), r.stderrLines(), r::describe);
    }
}
