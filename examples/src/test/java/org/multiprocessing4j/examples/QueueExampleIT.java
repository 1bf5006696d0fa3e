package org.multiprocessing4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.multiprocessing4j.StartMethod;

/** Example 13, {@code multiprocessing_queue.py}: an object of the program's class crosses a queue. */
class QueueExampleIT {
    @ParameterizedTest
    @EnumSource(StartMethod.class)
    void theChildGetsTheObjectAndUsesIt(StartMethod method) {
        ExampleRunner.Result r = ExampleRunner.run(QueueExample.class, method).assertExitedNormally().assertNoStderr();
        assertEquals(List.of("Doing something fancy in Process-1 for Fancy Dan!"), r.stdoutLines(), r::describe);
    }
}
