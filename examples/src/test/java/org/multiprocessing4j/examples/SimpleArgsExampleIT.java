package org.multiprocessing4j.examples;

import static org.multiprocessing4j.examples.OutputAssertions.assertSameLinesAnyOrder;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Example 2, {@code multiprocessing_simpleargs.py}: child i prints {@code Worker: i}. */
class SimpleArgsExampleIT {
    @Test
    void eachChildPrintsItsArgument() {
        ExampleRunner.Result r = ExampleRunner.run(SimpleArgsExample.class).assertExitedNormally().assertNoStderr();
        assertSameLinesAnyOrder(r.stdoutLines(),
                List.of("Worker: 0", "Worker: 1", "Worker: 2", "Worker: 3", "Worker: 4"), r);
    }
}
