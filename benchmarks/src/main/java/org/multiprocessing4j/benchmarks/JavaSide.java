package org.multiprocessing4j.benchmarks;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.multiprocessing4j.JvmProcess;
import org.multiprocessing4j.ProcessContext;
import org.multiprocessing4j.SerializableRunnable;
import org.multiprocessing4j.internal.launch.ForkServerLauncher;

/**
 * The Java scenarios: each method starts {@link JvmProcess}es from a context (so with a given
 * start method), waits for them, and returns the sample(s) in nanoseconds, or KiB for memory.
 * The ids match {@code compare.py}'s.
 */
final class JavaSide {
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration BURST_TIMEOUT = Duration.ofSeconds(300);
    private static final Duration MEMORY_TIMEOUT = Duration.ofSeconds(10);

    /**
     * One burst: first {@code start()} to all joined, each process's start() → running, and
     * how many processes got a JVM from the FORKSERVER's idle pool.
     */
    record Burst(long totalNanos, List<Long> startToRunning, int fromPool) {
    }

    private final Path workdir;
    private int counter;

    JavaSide(Path workdir) {
        this.workdir = workdir;
    }

    /**
     * {@code start()} → first line of the target in the child: the parent reads
     * {@code System.nanoTime()} just before {@code start()}, the child as its first action.
     */
    long startToRunning(ProcessContext ctx, Function<String, SerializableRunnable> target) throws Exception {
        Path stamp = workdir.resolve("stamp-" + (counter++));
        JvmProcess p = ctx.process(target.apply(stamp.toString()));
        long before = System.nanoTime();
        p.start();
        await(p);
        long child = Long.parseLong(Files.readString(stamp).trim());
        Files.delete(stamp);
        return child - before;
    }

    /**
     * {@code start()} → the target has written a file with {@code java.nio.file.Files}
     * ({@link Targets.WriteFile}): the parent reads {@code System.nanoTime()} just before
     * {@code start()}, the child just after its write returned. The file's content is checked.
     */
    long startToFile(ProcessContext ctx) throws Exception {
        int id = counter++;
        Path file = workdir.resolve("file-" + id);
        Path stamp = workdir.resolve("file-stamp-" + id);
        JvmProcess p = ctx.process(new Targets.WriteFile(file.toString(), stamp.toString()));
        long before = System.nanoTime();
        p.start();
        await(p);
        long child = Long.parseLong(Files.readString(stamp).trim());
        if (!Targets.WriteFile.CONTENT.equals(Files.readString(file))) {
            throw new IOException(file + " does not hold what the target wrote");
        }
        Files.delete(stamp);
        Files.delete(file);
        return child - before;
    }

    /** Wall time of {@code start()} through {@code join()} for a no-op target. */
    long startJoin(ProcessContext ctx) throws Exception {
        JvmProcess p = ctx.process(new Targets.NoOp());
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

    /**
     * {@code count} processes started back to back ({@code start()} in a loop), then all
     * joined: the time from the first {@code start()} until the last has joined, and each
     * process's {@code start()} → target running.
     */
    Burst burst(ProcessContext ctx, int count) throws Exception {
        int id = counter++;
        List<JvmProcess> started = new ArrayList<>(count);
        List<Path> stamps = new ArrayList<>(count);
        long[] before = new long[count];
        int fromPool = 0;
        try {
            for (int i = 0; i < count; i++) {
                Path stamp = workdir.resolve("burst-" + id + "-" + i);
                stamps.add(stamp);
                JvmProcess p = ctx.process(new Targets.Stamp(stamp.toString()));
                // A copy of a short list under the launcher's lock: microseconds, next to a start().
                List<Long> idle = ForkServerLauncher.INSTANCE.idlePids();
                before[i] = System.nanoTime();
                p.start();
                started.add(p);
                if (idle.contains(p.pid())) {
                    fromPool++;
                }
            }
            long deadline = before[0] + BURST_TIMEOUT.toNanos();
            for (JvmProcess p : started) {
                if (!p.join(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                    throw new IOException("a burst of " + count + " did not end within " + BURST_TIMEOUT.toSeconds() + " s");
                }
            }
            long end = System.nanoTime();
            List<Long> latencies = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int code = started.get(i).exitCode().orElseThrow();
                if (code != 0) {
                    throw new IOException(started.get(i).getName() + " exited with code " + code);
                }
                latencies.add(Long.parseLong(Files.readString(stamps.get(i)).trim()) - before[i]);
            }
            return new Burst(end - before[0], latencies, fromPool);
        } finally {
            for (JvmProcess p : started) {
                if (p.isAlive()) {
                    p.kill();
                    p.join(JOIN_TIMEOUT);
                }
                p.close();
            }
            for (Path s : stamps) {
                Files.deleteIfExists(s);
            }
        }
    }

    /**
     * The memory of a child blocked inside its target (on a FIFO), read from its
     * {@code /proc} once its VmRSS is steady; then the child is released and joined.
     */
    ProcFs.Memory blockedChild(ProcessContext ctx) throws Exception {
        int id = counter++;
        Path ready = workdir.resolve("ready-" + id);
        Path fifo = workdir.resolve("fifo-" + id);
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        if (mkfifo.waitFor() != 0) {
            throw new IOException("mkfifo " + fifo + " failed");
        }
        JvmProcess p = ctx.process(new Targets.Block(ready.toString(), fifo.toString()));
        try {
            p.start();
            try {
                long deadline = System.nanoTime() + JOIN_TIMEOUT.toNanos();
                while (!Files.exists(ready)) {
                    if (!p.isAlive() || System.nanoTime() > deadline) {
                        throw new IOException(p.getName() + " did not reach its target");
                    }
                    Thread.sleep(2);
                }
                return ProcFs.stableMemory(p.pid(), MEMORY_TIMEOUT);
            } finally {
                // Read-write: never blocks, even if the child is gone; one byte releases it.
                try (RandomAccessFile release = new RandomAccessFile(fifo.toFile(), "rw")) {
                    release.write(1);
                }
                await(p);
            }
        } finally {
            Files.deleteIfExists(ready);
            Files.deleteIfExists(fifo);
        }
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
