package org.multiprocessing4j.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import org.multiprocessing4j.JvmProcess;
import org.multiprocessing4j.SerializableRunnable;

/**
 * The Java scenarios: each method starts one {@link JvmProcess}, waits for it, and returns one
 * sample in nanoseconds. The ids match {@code compare.py}'s.
 */
final class JavaSide {
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(60);

    private final Path workdir;
    private int counter;

    JavaSide(Path workdir) {
        this.workdir = workdir;
    }

    /**
     * {@code start()} → first line of the target in the child: the parent reads
     * {@code System.nanoTime()} just before {@code start()}, the child as its first action.
     */
    long startToRunning(Function<String, SerializableRunnable> target) throws Exception {
        Path stamp = workdir.resolve("stamp-" + (counter++));
        JvmProcess p = new JvmProcess(target.apply(stamp.toString()));
        long before = System.nanoTime();
        p.start();
        await(p);
        long child = Long.parseLong(Files.readString(stamp).trim());
        Files.delete(stamp);
        return child - before;
    }

    /** Wall time of {@code start()} through {@code join()} for a no-op target. */
    long startJoin() throws Exception {
        JvmProcess p = new JvmProcess(new Targets.NoOp());
        long before = System.nanoTime();
        p.start();
        boolean ended = p.join(JOIN_TIMEOUT);
        long after = System.nanoTime();
        if (!ended) {
            await(p); // kills and throws
        }
        check(p);
        return after - before;
    }

    private static void await(JvmProcess p) throws InterruptedException, IOException {
        if (!p.join(JOIN_TIMEOUT)) {
            p.kill();
            p.join();
            p.close();
            throw new IOException(p.getName() + " did not end within " + JOIN_TIMEOUT.toSeconds() + " s");
        }
        check(p);
    }

    private static void check(JvmProcess p) throws IOException {
        int code = p.exitCode().orElseThrow();
        p.close();
        if (code != 0) {
            throw new IOException(p.getName() + " exited with code " + code);
        }
    }
}
