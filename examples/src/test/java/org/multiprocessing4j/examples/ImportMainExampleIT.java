package org.multiprocessing4j.examples;

import static org.multiprocessing4j.examples.OutputAssertions.assertSameLinesAnyOrder;
import static org.multiprocessing4j.examples.OutputAssertions.times;

import org.junit.jupiter.api.Test;

/** Example 3, {@code multiprocessing_import_main.py}: the target is another class's method. */
class ImportMainExampleIT {
    @Test
    void runsATargetFromAnotherClass() {
        ExampleRunner.Result r = ExampleRunner.run(ImportMainExample.class).assertExitedNormally().assertNoStderr();
        assertSameLinesAnyOrder(r.stdoutLines(), times(5, "Worker"), r);
    }
}
