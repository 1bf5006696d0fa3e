package org.multiprocessing4j.examples;

import static org.multiprocessing4j.examples.OutputAssertions.assertSameLinesAnyOrder;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Example 12, {@code multiprocessing_subclass.py}: a subclass overriding run(). */
class SubclassExampleIT {
    @Test
    void subclassesRunTheirOwnRunAndAreNamedAfterTheirClass() {
        ExampleRunner.Result r = ExampleRunner.run(SubclassExample.class).assertExitedNormally().assertNoStderr();
        assertSameLinesAnyOrder(r.stdoutLines(),
                List.of("In Worker-1", "In Worker-2", "In Worker-3", "In Worker-4", "In Worker-5"), r);
    }
}
