package org.multiprocessing4j.examples;

import static org.multiprocessing4j.examples.OutputAssertions.assertSameLinesAnyOrder;
import static org.multiprocessing4j.examples.OutputAssertions.times;

import org.junit.jupiter.api.Test;

/** Example 1, {@code multiprocessing_simple.py}: five children print {@code Worker}. */
class SimpleExampleIT {
    @Test
    void printsWorkerFiveTimesAndWaitsForItsChildren() {
        ExampleRunner.Result r = ExampleRunner.run(SimpleExample.class).assertExitedNormally().assertNoStderr();
        assertSameLinesAnyOrder(r.stdoutLines(), times(5, "Worker"), r);
    }
}
