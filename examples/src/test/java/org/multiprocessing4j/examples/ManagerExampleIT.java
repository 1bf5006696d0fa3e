package org.multiprocessing4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.multiprocessing4j.StartMethod;

/**
 * Example 20, Python's Manager example: the parent sees what a child did through proxies, and
 * no merge of four children is lost.
 */
class ManagerExampleIT {
    @ParameterizedTest
    @EnumSource(StartMethod.class)
    void theParentSeesTheChildsChangesAndEveryMerge(StartMethod method) {
        ExampleRunner.Result r = ExampleRunner.run(ManagerExample.class, method).assertExitedNormally()
                .assertNoStderr();
        assertEquals(List.of("{0.25: None, 1: '1', '2': 2}", "[9, 8, 7, 6, 5, 4, 3, 2, 1, 0]",
                "1000 hits counted by 4 processes"), r.stdoutLines(), r::describe);
    }
}
