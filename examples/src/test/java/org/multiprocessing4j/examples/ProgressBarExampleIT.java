package org.multiprocessing4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.multiprocessing4j.StartMethod;

/** Example 17: the bar is redrawn in place and ends at 100% with the failures counted. */
class ProgressBarExampleIT {
    @ParameterizedTest
    @EnumSource(StartMethod.class)
    void theBarEndsFullWithEightFailures(StartMethod method) {
        ExampleRunner.Result r = ExampleRunner.run(ProgressBarExample.class, method).assertExitedNormally()
                .assertNoStderr();
        String out = r.stdout();
        assertTrue(out.chars().filter(c -> c == '\r').count() > 100, "redrawn with carriage returns: " + r.describe());
        assertTrue(out.contains("] 100% 200/200, 8 failed"), r::describe);
        assertTrue(!out.contains("/?"), "the bar knows its total (a List's size) from the first redraw: " + r.describe());
        long sum = 0;
        for (int i = 0; i < 200; i++) {
            if (i % 25 != 24) {
                sum += (long) i * i;
            }
        }
        List<String> lines = r.stdoutLines();
        assertEquals("sum of squares of the good items: " + sum, lines.get(lines.size() - 1), r::describe);
    }
}
