package org.multiprocessing4j.examples;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.multiprocessing4j.examples.OutputAssertions.assertInterleaving;
import static org.multiprocessing4j.examples.OutputAssertions.assertSameLinesAnyOrder;
import static org.multiprocessing4j.examples.OutputAssertions.times;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The output checks accept every interleaving and nothing else. */
class OutputAssertionsTest {
    private static final ExampleRunner.Result R = new ExampleRunner.Result("Test", 1, 0, "", "");
    private static final List<List<String>> TWO = List.of(List.of("a1", "a2"), List.of("b1", "b2"));

    @Test
    void acceptsEveryInterleaving() {
        assertInterleaving(List.of("a1", "a2", "b1", "b2"), TWO, R);
        assertInterleaving(List.of("b1", "a1", "b2", "a2"), TWO, R);
        assertInterleaving(List.of("a1", "b1", "b2", "a2"), TWO, R);
        assertSameLinesAnyOrder(List.of("x", "y", "x"), List.of("x", "x", "y"), R);
        assertSameLinesAnyOrder(times(5, "Worker"), times(5, "Worker"), R);
    }

    @Test
    void rejectsAnythingElse() {
        assertThrows(AssertionError.class, () -> assertInterleaving(List.of("a2", "a1", "b1", "b2"), TWO, R));
        assertThrows(AssertionError.class, () -> assertInterleaving(List.of("a1", "a2", "b1"), TWO, R));
        assertThrows(AssertionError.class, () -> assertInterleaving(List.of("a1", "a2", "b1", "b2", "b2"), TWO, R));
        assertThrows(AssertionError.class, () -> assertInterleaving(List.of("a1", "a2", "b1", "b2", "c"), TWO, R));
        assertThrows(AssertionError.class, () -> assertSameLinesAnyOrder(times(4, "Worker"), times(5, "Worker"), R));
        assertThrows(AssertionError.class, () -> assertSameLinesAnyOrder(times(6, "Worker"), times(5, "Worker"), R));
        assertThrows(AssertionError.class,
                () -> assertSameLinesAnyOrder(List.of("Worker", "WorkerWorker"), times(2, "Worker"), R));
    }
}
