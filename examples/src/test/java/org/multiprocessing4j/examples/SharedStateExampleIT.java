package org.multiprocessing4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.multiprocessing4j.StartMethod;

/** Example 19, Python's Value/Array example: the parent sees what the child wrote. */
class SharedStateExampleIT {
    @ParameterizedTest
    @EnumSource(StartMethod.class)
    void theParentSeesTheChildsChanges(StartMethod method) {
        ExampleRunner.Result r = ExampleRunner.run(SharedStateExample.class, method).assertExitedNormally()
                .assertNoStderr();
        assertEquals(List.of("3.1415927", "[0, -1, -2, -3, -4, -5, -6, -7, -8, -9]"), r.stdoutLines(), r::describe);
    }
}
