package org.multiprocessing4j.examples;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.multiprocessing4j.examples.OutputAssertions.assertInterleaving;
import static org.multiprocessing4j.examples.OutputAssertions.numberIn;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.multiprocessing4j.StartMethod;

/**
 * Example 5, {@code multiprocessing_daemon.py}: the program exits without waiting for its
 * daemon child, which is terminated before it prints its Exiting line, and is gone.
 */
class DaemonExampleIT {
    @ParameterizedTest
    @EnumSource(StartMethod.class)
    void daemonIsTerminatedWhenTheProgramEnds(StartMethod method) {
        ExampleRunner.Result r = ExampleRunner.run(DaemonExample.class, method).assertExitedNormally().assertNoStderr();
        List<String> out = r.stdoutLines();
        long daemon = numberIn(out, Pattern.compile("Starting: daemon (\\d+)"), r);
        long nonDaemon = numberIn(out, Pattern.compile("Starting: non-daemon (\\d+)"), r);
        assertTrue(daemon > 0 && nonDaemon > 0 && daemon != nonDaemon, () -> "child pids\n" + r.describe());
        assertNotEquals(r.pid(), daemon, () -> "the daemon's pid must be its own\n" + r.describe());
        assertNotEquals(r.pid(), nonDaemon, () -> "the non-daemon's pid must be its own\n" + r.describe());
        assertInterleaving(out, List.of(
                List.of("Starting: daemon " + daemon),
                List.of("Starting: non-daemon " + nonDaemon, "Exiting : non-daemon " + nonDaemon)), r);

        ExampleRunner.assertGone(daemon, "its daemon child", r);
    }
}
