package org.multiprocessing4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.multiprocessing4j.StartMethod;

/** Example 21, Python's customized manager: the parent and a child call one registered object. */
class CustomManagerExampleIT {
    @ParameterizedTest
    @EnumSource(StartMethod.class)
    void theParentAndAChildCallTheServersObject(StartMethod method) {
        ExampleRunner.Result r = ExampleRunner.run(CustomManagerExample.class, method).assertExitedNormally()
                .assertNoStderr();
        assertEquals(List.of("7", "56", "Process-2: add(4, 3) = 7, mul(7, 8) = 56"), r.stdoutLines(), r::describe);
    }
}
