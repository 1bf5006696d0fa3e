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
 * Example 7, {@code multiprocessing_daemon_join_timeout.py}: a timed join returns while the
 * daemon still runs; the daemon is then terminated at exit, before its Exiting line.
 */
class DaemonJoinTimeoutExampleIT {
    @ParameterizedTest
    @EnumSource(StartMethod.class)
    void timedJoinReturnsWhileTheDaemonIsStillAlive(StartMethod method) {
        ExampleRunner.Result r = ExampleRunner.run(DaemonJoinTimeoutExample.class, method)
                .assertExitedNormally().assertNoStderr();
        List<String> out = r.stdoutLines();
        long daemon = numberIn(out, Pattern.compile("Starting: daemon (\\d+)"), r);
        long nonDaemon = numberIn(out, Pattern.compile("Starting: non-daemon (\\d+)"), r);
        assertTrue(daemon > 0 && nonDaemon > 0 && daemon != nonDaemon, () -> "child pids\n" + r.describe());
        assertNotEquals(r.pid(), daemon, r::describe);
        assertNotEquals(r.pid(), nonDaemon, r::describe);
        assertInterleaving(out, List.of(
                List.of("Starting: daemon " + daemon),
                List.of("Starting: non-daemon " + nonDaemon, "Exiting : non-daemon " + nonDaemon),
                List.of("d.isAlive() true")), r);
        ExampleRunner.assertGone(daemon, "its daemon child", r);
    }
}
