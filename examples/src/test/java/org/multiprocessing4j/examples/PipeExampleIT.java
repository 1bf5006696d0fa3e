package org.multiprocessing4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.multiprocessing4j.StartMethod;

/** Example 15, Python's {@code Pipe()} example: a list crosses a pipe from the child. */
class PipeExampleIT {
    @ParameterizedTest
    @EnumSource(StartMethod.class)
    void theParentReceivesTheChildsList(StartMethod method) {
        ExampleRunner.Result r = ExampleRunner.run(PipeExample.class, method).assertExitedNormally().assertNoStderr();
        assertEquals(List.of("[42, null, hello]"), r.stdoutLines(), r::describe);
    }
}
