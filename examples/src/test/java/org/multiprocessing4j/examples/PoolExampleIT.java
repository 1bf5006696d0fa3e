package org.multiprocessing4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.multiprocessing4j.StartMethod;

/** Example 16, {@code multiprocessing_pool.py}: each worker starts once, results keep the input's order. */
class PoolExampleIT {
    @ParameterizedTest
    @EnumSource(StartMethod.class)
    void workersStartOnceAndTheResultKeepsTheOrder(StartMethod method) {
        ExampleRunner.Result r = ExampleRunner.run(PoolExample.class, method).assertExitedNormally().assertNoStderr();
        List<String> out = r.stdoutLines();
        int workers = Runtime.getRuntime().availableProcessors() * 2;
        assertEquals("Input   : [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]", out.get(0), r::describe);
        assertEquals("Built-in: [0, 2, 4, 6, 8, 10, 12, 14, 16, 18]", out.get(1), r::describe);
        List<String> starts = out.subList(2, out.size() - 1);
        assertEquals(workers, starts.size(), r::describe);
        assertEquals(workers, starts.stream().filter(l -> l.matches("Starting PoolWorker-\\d+\\.\\d+"))
                .collect(Collectors.toSet()).size(), r::describe);
        assertEquals("Pool    : [0, 2, 4, 6, 8, 10, 12, 14, 16, 18]", out.get(out.size() - 1), r::describe);
    }
}
