package org.multiprocessing4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.multiprocessing4j.StartMethod;

/**
 * Example 22, Python's remote manager: workers that know only the address and the key do every
 * job of a served queue.
 */
class RemoteJobQueueExampleIT {
    @ParameterizedTest
    @EnumSource(StartMethod.class)
    void workersThatConnectDoEveryJob(StartMethod method) {
        ExampleRunner.Result r = ExampleRunner.run(RemoteJobQueueExample.class, method).assertExitedNormally()
                .assertNoStderr();
        assertEquals(List.of("1! = 1", "2! = 2", "3! = 6", "4! = 24", "5! = 120", "6! = 720", "7! = 5040",
                "8! = 40320", "9! = 362880", "10! = 3628800"), r.stdoutLines(), r::describe);
    }
}
