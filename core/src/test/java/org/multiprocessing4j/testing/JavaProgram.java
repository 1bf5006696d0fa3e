package org.multiprocessing4j.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** A test program run as a real separate JVM, with its output captured line by line. */
public final class JavaProgram implements AutoCloseable {
    private static final Pattern JDK_EXIT_LOGGING = Pattern.compile("Runtime\\.exit\\(\\d+\\) logging failed: .*");
    private final Process process;
    private final List<String> out = new ArrayList<>();
    private final List<String> err = new ArrayList<>();
    private final Thread outReader;
    private final Thread errReader;

    private JavaProgram(Process process) {
        this.process = process;
        this.outReader = reader(process.getInputStream(), out, "stdout");
        this.errReader = reader(process.getErrorStream(), err, "stderr");
    }

    /** A wrapper for {@link #startUnder}: run as the user {@code nobody} (this JVM must be root). */
    public static final List<String> AS_NOBODY =
            List.of("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups");

    /** Whether {@link #AS_NOBODY} can work here. */
    public static boolean canRunAsNobody() {
        return "root".equals(System.getProperty("user.name"))
                && java.nio.file.Files.isExecutable(Path.of(AS_NOBODY.get(0)));
    }

    /** Starts {@code main} with this JVM's class path and runtime directory, and {@code jvmOptions}. */
    public static JavaProgram start(Class<?> main, List<String> jvmOptions, String... args) {
        return startUnder(List.of(), main, jvmOptions, args);
    }

    /**
     * As {@link #start(Class, List, String...)}, through {@code wrapper}: a command that ends by
     * running the command line it is given, such as {@code setpriv --reuid=65534 …} or
     * {@code bash -c 'ulimit -f 8192; exec "$@"' bash}.
     */
    public static JavaProgram startUnder(List<String> wrapper, Class<?> main, List<String> jvmOptions, String... args) {
        List<String> cmd = new ArrayList<>(wrapper);
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String tmp = System.getProperty("multiprocessing4j.tmpdir");
        if (tmp != null) {
            cmd.add("-Dmultiprocessing4j.tmpdir=" + tmp);
        }
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        try {
            return new JavaProgram(new ProcessBuilder(cmd).start());
        } catch (IOException e) {
            throw new AssertionError("could not start " + cmd, e);
        }
    }

    public static JavaProgram start(Class<?> main, String... args) {
        return start(main, List.of(), args);
    }

    private static Thread reader(InputStream stream, List<String> lines, String what) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (lines) {
                        lines.add(line);
                        lines.notifyAll();
                    }
                }
            } catch (IOException ignored) {
                // The program was killed: what was read is what there is.
            }
        }, "test-program-" + what);
        t.setDaemon(true);
        t.start();
        return t;
    }

    public Process process() {
        return process;
    }

    public long pid() {
        return process.pid();
    }

    /** Waits for the program to exit and for its output to be read; returns its exit value. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for the test program to exit;"
                    + "\nstdout: " + stdout() + "\nstderr: " + stderr());
        }
        outReader.join(timeout.toMillis());
        errReader.join(timeout.toMillis());
        return process.exitValue();
    }

    /** Waits for a line of standard output that matches, and returns it. */
    public String awaitStdoutLine(Duration timeout, String what, Predicate<String> matches) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (out) {
            while (true) {
                for (String line : out) {
                    if (matches.test(line)) {
                        return line;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("timed out waiting for " + what + " on the test program's stdout;"
                            + "\nstdout: " + out + "\nstderr: " + stderr());
                }
                out.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
    }

    public List<String> stdout() {
        synchronized (out) {
            return List.copyOf(out);
        }
    }

    /**
     * Standard error so far, without the line the JDK itself prints when a SIGTERM reaches a JVM
     * that is still booting ("Runtime.exit(143) logging failed: ..."; JDK 17.0.15+ and 21+, a plain
     * {@code java} command shows it too): tests that SIGTERM a child check its silence, not the
     * JDK's.
     */
    public List<String> stderr() {
        synchronized (err) {
            return err.stream().filter(l -> !JDK_EXIT_LOGGING.matcher(l).matches()).toList();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
