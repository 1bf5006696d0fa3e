package org.multiprocessing4j.examples;

import static org.multiprocessing4j.examples.OutputAssertions.assertSameLinesAnyOrder;
import static org.multiprocessing4j.examples.OutputAssertions.times;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.multiprocessing4j.StartMethod;

/** Example 1, {@code multiprocessing_simple.py}: five children print {@code Worker}. */
class SimpleExampleIT {
    @ParameterizedTest
    @EnumSource(StartMethod.class)
    void printsWorkerFiveTimesAndWaitsForItsChildren(StartMethod method) {
        ExampleRunner.Result r = ExampleRunner.run(SimpleExample.class, method).assertExitedNormally().assertNoStderr();
        assertSameLinesAnyOrder(r.stdoutLines(), times(5, "Worker"), r);
    }
}
