package org.multiprocessing4j.benchmarks;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.Strictness;
import com.google.gson.ToNumberPolicy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code compare.py} as a subprocess and reads the JSON it prints. The script times itself,
 * so the interpreter's start-up (slow behind a pyenv shim) is not part of any sample. Its
 * standard error (progress, failures) goes to ours.
 */
final class PythonSide {
    /** The parsed JSON, or why there is none. */
    record Outcome(Map<String, Object> json, String problem) {
    }

    /** Integers as {@code Long}, other numbers as {@code Double}; strict: no comments, NaN or trailing text. */
    private static final Gson GSON = new GsonBuilder()
            .setObjectToNumberStrategy(ToNumberPolicy.LONG_OR_DOUBLE)
            .setStrictness(Strictness.STRICT)
            .create();

    private static volatile Process running;

    private PythonSide() {
    }

    static Outcome run(String python, Path script, List<String> scriptArgs, Duration timeout)
            throws InterruptedException {
        if (!Files.isRegularFile(script)) {
            return new Outcome(null, "Python not run: script " + script + " not found");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(python);
        cmd.add(script.toString());
        cmd.addAll(scriptArgs);
        return runCommand(cmd, "Python", "; pass -Dpython=/path/to/python3", timeout);
    }

    /**
     * Runs {@code cmd} (a program that prints one JSON object as its last line of standard
     * output: a Python script, or this benchmark in another JVM) and reads that object;
     * {@code who} names it in the problems reported, {@code hint} follows "cannot run".
     */
    static Outcome runCommand(List<String> cmd, String who, String hint, Duration timeout)
            throws InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(cmd)
                    .redirectInput(ProcessBuilder.Redirect.PIPE)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
        } catch (IOException e) {
            return new Outcome(null, who + " not found: cannot run '" + cmd.get(0) + "' (" + e.getMessage() + ")"
                    + hint);
        }
        running = p;
        try {
            p.getOutputStream().close(); // empty standard input
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Thread reader = new Thread(() -> copy(p.getInputStream(), out), "python-stdout");
            reader.setDaemon(true);
            reader.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                destroyTree(p);
                return new Outcome(null, who + " did not finish within " + timeout.toSeconds() + " s; killed");
            }
            reader.join(TimeUnit.SECONDS.toMillis(10));
            String stdout = out.toString(StandardCharsets.UTF_8).trim();
            if (p.exitValue() != 0) {
                return new Outcome(null, who + " failed: '" + String.join(" ", cmd) + "' exited with code "
                        + p.exitValue() + (stdout.isEmpty() ? "" : ": " + stdout));
            }
            // The JSON object is the last line; anything before it is stray output.
            String last = stdout.substring(stdout.lastIndexOf('\n') + 1);
            try {
                return new Outcome(parseObject(last), null);
            } catch (RuntimeException e) {
                return new Outcome(null, who + " failed: cannot read its results (" + e.getMessage() + "): " + stdout);
            }
        } catch (IOException e) {
            destroyTree(p);
            return new Outcome(null, who + " run failed: " + e);
        } finally {
            running = null;
        }
    }

    /**
     * Runs a script that takes the round options of the channel and manager comparisons
     * ({@code channels.py}, {@code managers.py}): {@code --rounds}, {@code --warmup},
     * {@code --round-ms} and {@code --scenarios}.
     */
    static Outcome runRounds(String python, Path script, int warmup, int rounds, Duration round,
            List<String> scenarios, Duration timeout) throws InterruptedException {
        return run(python, script, List.of(
                "--rounds", String.valueOf(rounds),
                "--warmup", String.valueOf(warmup),
                "--round-ms", String.valueOf(round.toMillis()),
                "--scenarios", String.join(",", scenarios)), timeout);
    }

    /**
     * Reads one JSON object: objects become {@code Map<String, Object>} (in document order),
     * arrays {@code List<Object>}, integers {@code Long}, other numbers {@code Double}, plus
     * {@code String}, {@code Boolean} and null.
     */
    static Map<String, Object> parseObject(String text) {
        Object value;
        try {
            value = GSON.fromJson(text, Object.class);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("bad JSON: " + e.getMessage(), e);
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("bad JSON: not an object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) map;
        return json;
    }

    /** Kills a Python run still going (called when this JVM is being stopped). */
    static void abort() {
        Process p = running;
        if (p != null) {
            destroyTree(p);
        }
    }

    private static void destroyTree(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try (in) {
            in.transferTo(out);
        } catch (IOException ignored) {
            // The process was killed: what was read so far is all there is.
        }
    }
}
