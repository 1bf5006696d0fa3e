package org.multiprocessing4j.examples;

import static org.multiprocessing4j.examples.OutputAssertions.assertSameLinesAnyOrder;
import static org.multiprocessing4j.examples.OutputAssertions.times;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.multiprocessing4j.StartMethod;

/** Example 3, {@code multiprocessing_import_main.py}: the target is another class's method. */
class ImportMainExampleIT {
    @ParameterizedTest
    @EnumSource(StartMethod.class)
    void runsATargetFromAnotherClass(StartMethod method) {
        ExampleRunner.Result r = ExampleRunner.run(ImportMainExample.class, method).assertExitedNormally().assertNoStderr();
        assertSameLinesAnyOrder(r.stdoutLines(), times(5, "Worker"), r);
    }
}
