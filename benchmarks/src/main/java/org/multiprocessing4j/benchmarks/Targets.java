package org.multiprocessing4j.benchmarks;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.multiprocessing4j.ProcessQueue;
import org.multiprocessing4j.SerializableCallable;
import org.multiprocessing4j.SerializableFunction;
import org.multiprocessing4j.SerializableRunnable;

/**
 * What the child JVMs run. Kept minimal and apart from {@link Compare}, so a child loads no more
 * of the benchmark than the target itself.
 */
final class Targets {
    private Targets() {
    }

    /**
     * Reads {@link System#nanoTime()} (CLOCK_MONOTONIC on Linux, so comparable with the parent's)
     * as its first action, then writes it to a file the parent reads after {@code join()}.
     */
    static final class Stamp implements SerializableRunnable {
        private static final long serialVersionUID = 1L;
        private final String path;

        Stamp(String path) {
            this.path = path;
        }

        @Override
        public void run() {
            long now = System.nanoTime();
            write(path, now);
        }
    }

    /** The same as {@link Stamp}, as a lambda: what user code usually passes. */
    static SerializableRunnable stampLambda(String path) {
        return () -> {
            long now = System.nanoTime();
            write(path, now);
        };
    }

    /**
     * Real work for issue 17's start-up rows: writes a small file with
     * {@link Files#write(Path, byte[], java.nio.file.OpenOption...)} (so {@code java.nio.file} is
     * loaded on the critical path, as a user's target would load it), then reads
     * {@link System#nanoTime()} and hands it to the parent in a second file. The sample ends when
     * the file has been written.
     */
    static final class WriteFile implements SerializableRunnable {
        private static final long serialVersionUID = 1L;
        private final String file;
        private final String stamp;

        WriteFile(String file, String stamp) {
            this.file = file;
            this.stamp = stamp;
        }

        @Override
        public void run() {
            try {
                Files.write(Path.of(file), CONTENT.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            long now = System.nanoTime();
            write(stamp, now);
        }

        /** What the file holds, checked by the parent. */
        static final String CONTENT = "written by the child\n";
    }

    /** Does nothing. */
    static final class NoOp implements SerializableRunnable {
        private static final long serialVersionUID = 1L;

        @Override
        public void run() {
        }
    }

    /**
     * Says it is running (writes {@code ready}), then blocks opening and reading the FIFO
     * {@code fifo} until the parent writes to it: a child idle inside its target, whose memory
     * the parent reads meanwhile.
     */
    static final class Block implements SerializableRunnable {
        private static final long serialVersionUID = 1L;
        private final String ready;
        private final String fifo;

        Block(String ready, String fifo) {
            this.ready = ready;
            this.fifo = fifo;
        }

        @Override
        public void run() {
            write(ready, System.nanoTime());
            try (InputStream in = new FileInputStream(fifo)) {
                in.read();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Issue 17's fresh child: puts its {@link System#nanoTime()} (a {@code Long}, read just
     * before its first put), then the ints 0..n-1, to the queue; the parent takes them all.
     */
    static final class PutInts implements SerializableRunnable {
        private static final long serialVersionUID = 1L;
        private final ProcessQueue<Object> queue;
        private final int n;

        PutInts(ProcessQueue<Object> queue, int n) {
            this.queue = queue;
            this.n = n;
        }

        @Override
        public void run() {
            try {
                queue.put(System.nanoTime());
                for (int i = 0; i < n; i++) {
                    queue.put(i);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while putting", e);
            }
        }
    }

    /** {@code x -> x + 1}: what the cluster comparison maps. */
    static SerializableFunction<Integer, Integer> plusOne() {
        return x -> x + 1;
    }

    /** {@code () -> 1}: the cluster comparison's round-trip task. */
    static SerializableCallable<Integer> one() {
        return () -> 1;
    }

    /**
     * {@code x + 1} as a plain Hazelcast task, for the raw {@code IExecutorService} rows: a
     * {@code Serializable} {@link Callable} in a package the nodes' Java-serialization filter
     * allows ({@link LocalCluster} starts them with {@code allowPackages} of this package), on
     * their class path since they run with this JVM's.
     */
    static final class RawPlusOne implements Callable<Integer>, Serializable {
        private static final long serialVersionUID = 1L;
        private final int x;

        RawPlusOne(int x) {
            this.x = x;
        }

        @Override
        public Integer call() {
            return x + 1;
        }
    }

    static void write(String path, long value) {
        try {
            Files.writeString(Path.of(path), Long.toString(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
