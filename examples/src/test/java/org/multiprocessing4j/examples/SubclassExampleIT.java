package org.multiprocessing4j.examples;

import static org.multiprocessing4j.examples.OutputAssertions.assertSameLinesAnyOrder;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.multiprocessing4j.StartMethod;

/** Example 12, {@code multiprocessing_subclass.py}: a subclass overriding run(). */
class SubclassExampleIT {
    @ParameterizedTest
    @EnumSource(StartMethod.class)
    void subclassesRunTheirOwnRunAndAreNamedAfterTheirClass(StartMethod method) {
        ExampleRunner.Result r = ExampleRunner.run(SubclassExample.class, method).assertExitedNormally().assertNoStderr();
        assertSameLinesAnyOrder(r.stdoutLines(),
                List.of("In Worker-1", "In Worker-2", "In Worker-3", "In Worker-4", "In Worker-5"), r);
    }
}
