package org.multiprocessing4j.examples;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.multiprocessing4j.StartMethod;

/** Example 8, {@code multiprocessing_terminate.py}: terminate() ends a child with SIGTERM. */
class TerminateExampleIT {
    @ParameterizedTest
    @EnumSource(StartMethod.class)
    void terminateEndsTheChildWithSigterm(StartMethod method) {
        ExampleRunner.Result r = ExampleRunner.run(TerminateExample.class, method).assertExitedNormally().assertNoStderr();
        // The child can print only between start() and join(), and is terminated long before
        // its 0.1 s sleep ends; it usually prints nothing, as its JVM is still starting.
        List<String> out = new ArrayList<>(r.stdoutLines());
        int worker = out.indexOf("Starting worker");
        if (worker >= 0) {
            if (worker < 2) {
                fail("the child printed before it was started\n" + r.describe());
            }
            out.remove(worker);
        }
        if (out.size() != 4
                || !out.get(0).equals("BEFORE: <JvmProcess(Process-1, initial)> false")
                || !out.get(1).equals("DURING: <JvmProcess(Process-1, started)> true")
                || !(out.get(2).equals("TERMINATED: <JvmProcess(Process-1, started)> true")
                        || out.get(2).equals("TERMINATED: <JvmProcess(Process-1, stopped[SIGTERM])> false"))
                || !out.get(3).equals("JOINED: <JvmProcess(Process-1, stopped[SIGTERM])> false")) {
            fail("expected BEFORE (initial, false), DURING (started, true), TERMINATED (started, true"
                    + " or stopped[SIGTERM], false), JOINED (stopped[SIGTERM], false), and at most a"
                    + " 'Starting worker' line from the child after BEFORE\n" + r.describe());
        }
    }
}
