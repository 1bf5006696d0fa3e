package org.multiprocessing4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The entry point of {@code mvn ... exec:exec}: runs all twenty-three examples, in order. */
class AllExamplesIT {
    private static final List<String> HEADINGS = List.of(
            "=== 1. Simple (multiprocessing_simple.py) ===",
            "=== 2. Simple with arguments (multiprocessing_simpleargs.py) ===",
            "=== 3. Importable target functions (multiprocessing_import_main.py) ===",
            "=== 4. Naming processes (multiprocessing_names.py) ===",
            "=== 5. Daemon processes (multiprocessing_daemon.py) ===",
            "=== 6. Waiting for processes (multiprocessing_daemon_join.py) ===",
            "=== 7. Join with a timeout (multiprocessing_daemon_join_timeout.py) ===",
            "=== 8. Terminating processes (multiprocessing_terminate.py) ===",
            "=== 9. Process exit status (multiprocessing_exitcode.py) ===",
            "=== 10. Logging (multiprocessing_log_to_stderr.py) ===",
            "=== 11. The logger itself (multiprocessing_get_logger.py) ===",
            "=== 12. Subclassing Process (multiprocessing_subclass.py) ===",
            "=== 13. Passing objects through a queue (multiprocessing_queue.py) ===",
            "=== 14. Producers and consumers (multiprocessing_producer_consumer.py) ===",
            "=== 15. Exchanging objects through a pipe (Python docs: Pipe()) ===",
            "=== 16. Process pools (multiprocessing_pool.py) ===",
            "=== 17. Watching a long map: a progress bar (new) ===",
            "=== 18. Synchronization between processes (Python docs: Lock()) ===",
            "=== 19. Sharing state between processes (Python docs: Value(), Array()) ===",
            "=== 20. Sharing state through a server process (Python docs: Manager()) ===",
            "=== 21. Customized managers (Python docs: BaseManager.register()) ===",
            "=== 22. A job queue served to other JVMs (Python docs: Using a remote manager) ===",
            "=== 23. Processes across machines (multiprocessing_simpleargs.py on a cluster) ===");

    @Test
    void runsEveryExampleInOrder() {
        ExampleRunner.Result r = ExampleRunner.run(AllExamples.class, Duration.ofMinutes(4)).assertExitedNormally();
        List<String> headings = r.stdoutLines().stream().filter(l -> l.startsWith("=== "))
                .collect(Collectors.toList());
        assertEquals(HEADINGS, headings, r::describe);
        List<String> out = r.stdoutLines();
        assertEquals("All 23 examples ran.", out.get(out.size() - 1), r::describe);
        assertTrue(r.stdout().contains("terminated.exitcode = -15"), r::describe);
        assertTrue(r.stderr().contains("Process raises:"), r::describe);
    }
}
