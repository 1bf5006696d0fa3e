package org.multiprocessing4j.examples;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the examples in order (the seed chapter's twelve, then eleven on queues, pipes, pools,
 * locks, shared memory, managers and a cluster), each in its own JVM as a user would run it, under a heading such as
 * {@code === 1. Simple (multiprocessing_simple.py) ===}. Exits with 1 if any example exited
 * with a non-zero status or did not finish within two minutes, 0 otherwise.
 *
 * <p>Each example runs with this JVM's {@code java} and class path, and with the {@code -D}
 * options this JVM was started with (so {@code -Dmultiprocessing4j.tmpdir=...} applies to all).
 * From the repository root: {@code mvn -q -B -DskipTests -pl examples -am package exec:exec}.
 */
public final class AllExamples {
    private static final long TIMEOUT_SECONDS = 120;
    /**
     * On JDK 24 and later: lets Hazelcast (the cluster example's) use {@code sun.misc.Unsafe}
     * without the JDK's warning on standard error. JDK 17 does not know the option.
     */
    static final String UNSAFE_ALLOWED = "--sun-misc-unsafe-memory-access=allow";

    /** One example: its heading and main class. */
    record Example(String title, String pythonFile, Class<?> mainClass) {
    }

    /** The examples: the seed chapter's twelve in its order, then eleven more (queues to a cluster). */
    static final List<Example> EXAMPLES = List.of(
            new Example("Simple", "multiprocessing_simple.py", SimpleExample.class),
            new Example("Simple with arguments", "multiprocessing_simpleargs.py", SimpleArgsExample.class),
            new Example("Importable target functions", "multiprocessing_import_main.py", ImportMainExample.class),
            new Example("Naming processes", "multiprocessing_names.py", NamesExample.class),
            new Example("Daemon processes", "multiprocessing_daemon.py", DaemonExample.class),
            new Example("Waiting for processes", "multiprocessing_daemon_join.py", DaemonJoinExample.class),
            new Example("Join with a timeout", "multiprocessing_daemon_join_timeout.py", DaemonJoinTimeoutExample.class),
            new Example("Terminating processes", "multiprocessing_terminate.py", TerminateExample.class),
            new Example("Process exit status", "multiprocessing_exitcode.py", ExitCodeExample.class),
            new Example("Logging", "multiprocessing_log_to_stderr.py", LogToStderrExample.class),
            new Example("The logger itself", "multiprocessing_get_logger.py", GetLoggerExample.class),
            new Example("Subclassing Process", "multiprocessing_subclass.py", SubclassExample.class),
            new Example("Passing objects through a queue", "multiprocessing_queue.py", QueueExample.class),
            new Example("Producers and consumers", "multiprocessing_producer_consumer.py",
                    ProducerConsumerExample.class),
            new Example("Exchanging objects through a pipe", "Python docs: Pipe()", PipeExample.class),
            new Example("Process pools", "multiprocessing_pool.py", PoolExample.class),
            new Example("Watching a long map: a progress bar", "new", ProgressBarExample.class),
            new Example("Synchronization between processes", "Python docs: Lock()", LockExample.class),
            new Example("Sharing state between processes", "Python docs: Value(), Array()",
                    SharedStateExample.class),
            new Example("Sharing state through a server process", "Python docs: Manager()", ManagerExample.class),
            new Example("Customized managers", "Python docs: BaseManager.register()",
                    CustomManagerExample.class),
            new Example("A job queue served to other JVMs", "Python docs: Using a remote manager",
                    RemoteJobQueueExample.class),
            new Example("Processes across machines", "multiprocessing_simpleargs.py on a cluster",
                    ClusterExample.class));

    private AllExamples() {
    }

    /** The heading printed before example number {@code number} (from 1). */
    static String heading(int number, Example example) {
        return "=== " + number + ". " + example.title() + " (" + example.pythonFile() + ") ===";
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        List<String> failed = new ArrayList<>();
        for (int i = 0; i < EXAMPLES.size(); i++) {
            Example example = EXAMPLES.get(i);
            System.out.println(heading(i + 1, example));
            System.out.flush();
            int status = run(example.mainClass());
            if (status != 0) {
                failed.add(example.mainClass().getSimpleName() + " (exit status " + status + ")");
            }
            System.out.println();
        }
        if (failed.isEmpty()) {
            System.out.println("All " + EXAMPLES.size() + " examples ran.");
        } else {
            System.err.println("Failed: " + String.join(", ", failed));
            System.exit(1);
        }
    }

    /** Runs {@code mainClass} in a new JVM sharing this one's console; returns its exit status. */
    private static int run(Class<?> mainClass) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (option.startsWith("-D")) {
                command.add(option);
            }
        }
        if (Runtime.version().feature() >= 24) {
            command.add(UNSAFE_ALLOWED);
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        Process process = new ProcessBuilder(command).inheritIO().start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            System.err.println(mainClass.getSimpleName() + " did not finish within " + TIMEOUT_SECONDS
                    + " s; killing it");
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            return -1;
        }
        return process.exitValue();
    }
}
