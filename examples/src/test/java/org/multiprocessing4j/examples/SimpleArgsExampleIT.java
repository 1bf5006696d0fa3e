package org.multiprocessing4j.examples;

import static org.multiprocessing4j.examples.OutputAssertions.assertSameLinesAnyOrder;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.multiprocessing4j.StartMethod;

/** Example 2, {@code multiprocessing_simpleargs.py}: child i prints {@code Worker: i}. */
class SimpleArgsExampleIT {
    @ParameterizedTest
    @EnumSource(StartMethod.class)
    void eachChildPrintsItsArgument(StartMethod method) {
        ExampleRunner.Result r = ExampleRunner.run(SimpleArgsExample.class, method).assertExitedNormally().assertNoStderr();
        assertSameLinesAnyOrder(r.stdoutLines(),
                List.of("Worker: 0", "Worker: 1", "Worker: 2", "Worker: 3", "Worker: 4"), r);
    }
}
