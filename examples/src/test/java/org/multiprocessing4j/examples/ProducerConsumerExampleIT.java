package org.multiprocessing4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.multiprocessing4j.examples.OutputAssertions.assertSameLinesAnyOrder;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.multiprocessing4j.StartMethod;

/**
 * Example 14, {@code multiprocessing_producer_consumer.py}: every task is handled once, every
 * consumer exits, and the results come after tasks.join().
 */
class ProducerConsumerExampleIT {
    @ParameterizedTest
    @EnumSource(StartMethod.class)
    void everyTaskIsHandledOnceAndEveryConsumerExits(StartMethod method) {
        ExampleRunner.Result r = ExampleRunner.run(ProducerConsumerExample.class, method)
                .assertExitedNormally().assertNoStderr();
        List<String> out = r.stdoutLines();
        int consumers = Runtime.getRuntime().availableProcessors() * 2;
        assertEquals("Creating " + consumers + " consumers", out.get(0), r::describe);
        List<String> handled = new ArrayList<>();
        List<String> exits = new ArrayList<>();
        for (String line : out.subList(1, out.size() - 10)) {
            String what = line.substring(line.indexOf(": ") + 2);
            if (what.equals("Exiting")) {
                exits.add(line.substring(0, line.indexOf(':')));
            } else {
                handled.add(what);
            }
        }
        List<String> expectedTasks = new ArrayList<>();
        List<String> expectedResults = new ArrayList<>();
        List<String> expectedExits = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            expectedTasks.add(i + " * " + i);
            expectedResults.add("Result: " + i + " * " + i + " = " + i * i);
        }
        for (int i = 1; i <= consumers; i++) {
            expectedExits.add("Consumer-" + i);
        }
        assertSameLinesAnyOrder(handled, expectedTasks, r);
        assertSameLinesAnyOrder(exits, expectedExits, r);
        assertSameLinesAnyOrder(out.subList(out.size() - 10, out.size()), expectedResults, r);
        assertEquals(expectedResults.size(), out.stream().filter(l -> l.startsWith("Result: ")).collect(Collectors.toList())
                .size(), r::describe);
    }
}
