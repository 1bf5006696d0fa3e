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

/** Example 6, {@code multiprocessing_daemon_join.py}: joining a daemon lets it finish. */
class DaemonJoinExampleIT {
    @ParameterizedTest
    @EnumSource(StartMethod.class)
    void joinedDaemonFinishesItsWork(StartMethod method) {
        ExampleRunner.Result r = ExampleRunner.run(DaemonJoinExample.class, method).assertExitedNormally().assertNoStderr();
        List<String> out = r.stdoutLines();
        long daemon = numberIn(out, Pattern.compile("Starting: daemon (\\d+)"), r);
        long nonDaemon = numberIn(out, Pattern.compile("Starting: non-daemon (\\d+)"), r);
        assertTrue(daemon > 0 && nonDaemon > 0 && daemon != nonDaemon, () -> "child pids\n" + r.describe());
        assertNotEquals(r.pid(), daemon, r::describe);
        assertNotEquals(r.pid(), nonDaemon, r::describe);
        assertInterleaving(out, List.of(
                List.of("Starting: daemon " + daemon, "Exiting : daemon " + daemon),
                List.of("Starting: non-daemon " + nonDaemon, "Exiting : non-daemon " + nonDaemon)), r);
    }
}
