package org.multiprocessing4j.examples;

import static org.multiprocessing4j.examples.OutputAssertions.assertSameLinesAnyOrder;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.multiprocessing4j.StartMethod;

/** Example 18, Python's Lock example: ten whole lines, in any order. */
class LockExampleIT {
    @ParameterizedTest
    @EnumSource(StartMethod.class)
    void everyChildPrintsOneWholeLine(StartMethod method) {
        ExampleRunner.Result r = ExampleRunner.run(LockExample.class, method).assertExitedNormally().assertNoStderr();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            expected.add("hello world " + i);
        }
        assertSameLinesAnyOrder(r.stdoutLines(), expected, r);
    }
}
