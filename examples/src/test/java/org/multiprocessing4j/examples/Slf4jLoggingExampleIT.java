package org.multiprocessing4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.multiprocessing4j.StartMethod;

/** The library's records, and the program's own, through jul-to-slf4j and Logback, in the child and the parent. */
class Slf4jLoggingExampleIT {
    @ParameterizedTest
    @EnumSource(StartMethod.class)
    void recordsOfBothJvmsComeOutFormattedByLogback(StartMethod method) {
        ExampleRunner.Result r = ExampleRunner.run(Slf4jLoggingExample.class, method).assertExitedNormally();
        List<String> out = r.stdoutLines();
        List<String> expected = List.of(
                "INFO  multiprocessing4j - child process calling run()",
                "INFO  Slf4jLoggingExample - hello from worker",
                "INFO  multiprocessing4j - process shutting down",
                "INFO  multiprocessing4j - process exiting with exitcode 0",
                "INFO  Slf4jLoggingExample - worker ended with exit code 0");
        assertEquals(expected, out.subList(0, Math.min(out.size(), expected.size())), r::describe);
        // The main process's own "process shutting down" comes from a shutdown hook, and the
        // JDK's LogManager takes the bridge off in a hook of its own: it may or may not get through.
        assertEquals(out.size() == expected.size() ? List.of() : List.of("INFO  multiprocessing4j - process shutting down"),
                out.subList(expected.size(), out.size()), r::describe);
        assertEquals(List.of(), r.stderrLines(), r::describe);
    }
}
