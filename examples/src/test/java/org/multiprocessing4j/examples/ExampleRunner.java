package org.multiprocessing4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.multiprocessing4j.StartMethod;

/**
 * Runs an example program as a user would: a separate JVM ({@code java} of this JVM, this JVM's
 * class path), with its standard output and error captured. Each run gets a fresh private
 * runtime directory ({@code -Dmultiprocessing4j.tmpdir}) and a random tag
 * ({@code -Dmp4j.test.tag}), which the example's child JVMs inherit on their command lines.
 *
 * <p>After the example's JVM has exited, {@link #run} checks that it left nothing behind: no
 * process whose command line carries the tag (any left are killed, and the test fails), and no
 * file under the runtime directory.
 */
final class ExampleRunner {
    private static final java.util.regex.Pattern JDK_EXIT_LOGGING =
            java.util.regex.Pattern.compile("Runtime\\.exit\\(\\d+\\) logging failed: .*");
    /** How long an example may run; they take a few seconds, on a loaded machine a few more. */
    static final Duration EXAMPLE_TIMEOUT = Duration.ofSeconds(60);
    /** How long processes of a run may take to disappear after its main JVM has exited. */
    static final Duration LEAK_TIMEOUT = Duration.ofSeconds(10);

    private ExampleRunner() {
    }

    /** What an example printed and how it ended. */
    record Result(String example, long pid, int exitCode, String stdout, String stderr) {
        /** Standard output, line by line. */
        List<String> stdoutLines() {
            return lines(stdout);
        }

        /**
         * Standard error without the lines the JDK itself prints: "Picked up" notices of
         * JAVA_TOOL_OPTIONS, and JDK 21+'s "Runtime.exit(N) logging failed" of a JVM that a SIGTERM
         * reached while it was still booting, before any code of ours ran (a plain {@code java}
         * command killed 20 ms after it starts prints it too, about once in 30 on JDK 25).
         */
        List<String> stderrLines() {
            return lines(stderr).stream()
                    .filter(l -> !l.startsWith("Picked up ") && !JDK_EXIT_LOGGING.matcher(l).matches())
                    .collect(Collectors.toList());
        }

        /** Both streams, for failure messages. */
        String describe() {
            return example + " (pid " + pid + ", exit status " + exitCode + ")\n--- stdout ---\n" + stdout
                    + "--- stderr ---\n" + stderr + "--------------";
        }

        /** Fails unless the example's JVM exited with status 0. */
        Result assertExitedNormally() {
            assertEquals(0, exitCode, () -> "exit status of " + describe());
            return this;
        }

        /** Fails unless standard error is empty. */
        Result assertNoStderr() {
            assertEquals(List.of(), stderrLines(), () -> "standard error of " + describe());
            return this;
        }

        private static List<String> lines(String text) {
            if (text.isEmpty()) {
                return List.of();
            }
            List<String> lines = new ArrayList<>(List.of(text.split("\r?\n", -1)));
            if (lines.get(lines.size() - 1).isEmpty()) {
                lines.remove(lines.size() - 1); // the text ends with a line break
            }
            return lines;
        }
    }

    /** Runs {@code mainClass} and checks it left nothing behind. */
    static Result run(Class<?> mainClass) {
        return run(mainClass, EXAMPLE_TIMEOUT);
    }

    /** Runs {@code mainClass} with {@code method} as its default start method. */
    static Result run(Class<?> mainClass, StartMethod method) {
        return run(mainClass, EXAMPLE_TIMEOUT, method);
    }

    /** Runs {@code mainClass}, waiting at most {@code timeout}, and checks it left nothing behind. */
    static Result run(Class<?> mainClass, Duration timeout) {
        return run(mainClass, timeout, StartMethod.SPAWN);
    }

    /**
     * Runs {@code mainClass} with {@code method} as its default start method, waiting at most
     * {@code timeout}, and checks it left nothing behind.
     */
    static Result run(Class<?> mainClass, Duration timeout, StartMethod method) {
        return run(mainClass.getSimpleName() + " (" + method + ")", mainClass.getName(),
                System.getProperty("java.class.path"), timeout, method);
    }

    /**
     * Runs the class named {@code mainClass} on {@code classPath} with {@code method} as its
     * default start method, waiting at most {@code timeout}, and checks it left nothing behind;
     * {@code example} names the run in failure messages.
     */
    static Result run(String example, String mainClass, String classPath, Duration timeout, StartMethod method) {
        return run(example, timeout, jvmOptions -> {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmOptions);
            command.add("-Dmultiprocessing4j.startMethod=" + method);
            command.addAll(List.of("-cp", classPath, mainClass));
            return new ProcessBuilder(command);
        });
    }

    /** How a run is launched: a command that starts a JVM with the given options. */
    interface Launch {
        ProcessBuilder command(List<String> jvmOptions) throws IOException;
    }

    /**
     * Runs what {@code launch} makes of the run's JVM options (its tag and runtime directory),
     * waiting at most {@code timeout}, and checks it left nothing behind.
     */
    static Result run(String example, Duration timeout, Launch launch) {
        String tag = UUID.randomUUID().toString();
        Path base = createTempDirectory();
        try {
            Path runtime = Files.createDirectory(base.resolve("runtime"));
            Path out = base.resolve("stdout.txt");
            Path err = base.resolve("stderr.txt");
            List<String> options = new ArrayList<>(List.of(
                    "-Dmultiprocessing4j.tmpdir=" + runtime,
                    "-Dmp4j.test.tag=" + tag));
            if (Runtime.version().feature() >= 24) {
                options.add(AllExamples.UNSAFE_ALLOWED); // the cluster example's Hazelcast client
            }
            ProcessBuilder builder = launch.command(options);
            Process process = builder
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            process.getOutputStream().close(); // an empty standard input
            boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!exited) {
                List<String> killed = killTagged(tag);
                process.destroyForcibly();
                process.waitFor(LEAK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                fail("waited " + timeout.toSeconds() + " s for " + example + " (pid " + process.pid()
                        + ") to exit, but it was still running; killed it and " + killed
                        + "\n--- stdout so far ---\n" + read(out) + "--- stderr so far ---\n" + read(err));
            }
            Result result = new Result(example, process.pid(), process.exitValue(), read(out), read(err));
            assertNoProcessLeft(tag, result);
            assertNoFileLeft(runtime, result);
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + example, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + example, e);
        } finally {
            deleteRecursively(base);
        }
    }

    /**
     * Fails, after killing them, if processes whose command line carries {@code tag} are still
     * there {@link #LEAK_TIMEOUT} after the example's JVM exited.
     */
    private static void assertNoProcessLeft(String tag, Result result) throws InterruptedException {
        long deadline = System.nanoTime() + LEAK_TIMEOUT.toNanos();
        List<ProcessHandle> left = tagged(tag);
        while (!left.isEmpty()) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                List<String> killed = killTagged(tag);
                fail("waited " + LEAK_TIMEOUT.toSeconds() + " s after " + result.example()
                        + " exited for the processes it started to end; still running (now killed): "
                        + killed + "\n" + result.describe());
            }
            try {
                left.get(0).onExit().get(remaining, TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException e) {
                // Checked again below.
            }
            left = tagged(tag);
        }
    }

    /**
     * Fails unless process {@code pid} ({@code what}, such as "its daemon child") is gone, or
     * goes within {@link #LEAK_TIMEOUT}: called after the example's JVM has exited.
     */
    static void assertGone(long pid, String what, Result result) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty()) {
            return;
        }
        try {
            handle.get().onExit().get(LEAK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            String cmd = commandLine(handle.get());
            handle.get().destroyForcibly();
            fail("waited " + LEAK_TIMEOUT.toSeconds() + " s after " + result.example() + " exited for " + what
                    + " (pid " + pid + ") to be gone; it was still running (now killed): " + cmd + "\n"
                    + result.describe());
        } catch (ExecutionException e) {
            throw new AssertionError("could not wait for pid " + pid, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for pid " + pid, e);
        }
    }

    /** Fails if anything but directories is left under the example's runtime directory. */
    private static void assertNoFileLeft(Path runtime, Result result) throws IOException {
        List<Path> files;
        try (Stream<Path> all = Files.walk(runtime)) {
            files = all.filter(p -> !Files.isDirectory(p)).collect(Collectors.toList());
        }
        if (!files.isEmpty()) {
            fail(result.example() + " left files in its runtime directory " + runtime + ": " + files
                    + "\n" + result.describe());
        }
    }

    /** The live processes, other than this JVM, whose command line contains {@code tag}. */
    private static List<ProcessHandle> tagged(String tag) {
        long self = ProcessHandle.current().pid();
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            return all.filter(h -> h.pid() != self && h.isAlive() && commandLine(h).contains(tag))
                    .collect(Collectors.toList());
        }
    }

    /** Kills every process carrying {@code tag}, by pid; returns what it killed. */
    private static List<String> killTagged(String tag) {
        List<String> killed = new ArrayList<>();
        for (ProcessHandle h : tagged(tag)) {
            killed.add("pid " + h.pid() + ": " + commandLine(h));
            h.destroyForcibly();
        }
        return killed;
    }

    private static String commandLine(ProcessHandle h) {
        ProcessHandle.Info info = h.info();
        return info.commandLine().orElseGet(() -> info.arguments().map(a -> String.join(" ", a)).orElse(""));
    }

    private static Path createTempDirectory() {
        try {
            return Files.createTempDirectory("mp4j-example-it-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // A temporary directory left behind is not worth failing a test for.
        }
    }
}
