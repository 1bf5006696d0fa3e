package org.multiprocessing4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.multiprocessing4j.examples.OutputAssertions.assertInterleaving;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.multiprocessing4j.StartMethod;

/** Example 4, {@code multiprocessing_names.py}: named and default-named processes. */
class NamesExampleIT {
    @ParameterizedTest
    @EnumSource(StartMethod.class)
    void eachChildKnowsItsNameAndTheUnnamedOneIsProcess3(StartMethod method) {
        ExampleRunner.Result r = ExampleRunner.run(NamesExample.class, method).assertExitedNormally().assertNoStderr();
        List<String> out = r.stdoutLines();
        assertInterleaving(out, List.of(
                List.of("worker 1 Starting", "worker 1 Exiting"),
                List.of("Process-3 Starting", "Process-3 Exiting"),
                List.of("my_service Starting", "my_service Exiting")), r);
        assertEquals("my_service Exiting", out.get(out.size() - 1),
                () -> "my_service sleeps longest, so its Exiting line comes last\n" + r.describe());
    }
}
