package org.multiprocessing4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.multiprocessing4j.examples.OutputAssertions.assertSameLinesAnyOrder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Example 23, the workers of {@code multiprocessing_simpleargs.py} and a pool map on a two-node
 * cluster the example starts and stops itself: each worker's line comes back prefixed with its
 * process and node, every worker exits 0, the map's results come in order, and nothing is left
 * (the runner checks: no process, no file).
 */
class ClusterExampleIT {
    private static final Pattern FORWARDED = Pattern.compile("\\[Process-\\d+@(node-[ab])\\] (Worker: \\d)");

    @Test
    void theWorkersRunOnTheNodesTheirLinesComeBackPrefixedAndTheQueueFeedsBothNodes() {
        ExampleRunner.Result r = ExampleRunner.run(ClusterExample.class, Duration.ofSeconds(180))
                .assertExitedNormally().assertNoStderr();
        List<String> lines = r.stdoutLines();
        List<String> workers = new ArrayList<>();
        for (String line : lines.subList(0, lines.size() - 3)) {
            Matcher m = FORWARDED.matcher(line);
            assertTrue(m.matches(), () -> "a forwarded line: " + line + "\n" + r.describe());
            workers.add(m.group(2));
        }
        assertSameLinesAnyOrder(workers, List.of("Worker: 0", "Worker: 1", "Worker: 2", "Worker: 3", "Worker: 4"), r);
        assertEquals("workers ran on [node-a, node-b], exit codes [0, 0, 0, 0, 0]", lines.get(lines.size() - 3),
                r::describe);
        assertEquals("squares from a pool across the nodes: [0, 1, 4, 9, 16, 25, 36, 49, 64, 81]",
                lines.get(lines.size() - 2), r::describe);
        assertEquals("consumers on both nodes added up 1..100: 5050", lines.get(lines.size() - 1), r::describe);
    }
}
