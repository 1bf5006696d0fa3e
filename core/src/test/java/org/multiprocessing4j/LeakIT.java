package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.multiprocessing4j.testing.Await;
import org.multiprocessing4j.testing.NoLeftovers;

/**
 * Nothing leaks over many processes and many shared objects (issue 16). A parent that starts and
 * joins 2 000 processes in sequence ends with the descriptors and threads it had after the first
 * 100, and with resident memory and heap (after a full GC) within the margins below; 10 000
 * queues, pipes, locks and shared values made and dropped (half closed, half only unreferenced)
 * leave no descriptor, segment or file once the GC has run. The number of processes is
 * {@code -Dmultiprocessing4j.leak.processes} (default 2 000): the suite sets 300, which shows a
 * leak of a descriptor or thread per process as surely and takes about a minute instead of
 * twelve; {@code -Dmp4j.leak.processes=2000} on the Maven command line runs the full count (see
 * the README).
 */
@ExtendWith(NoLeftovers.class)
@Timeout(1200)
class LeakIT {
    private static final int PROCESSES = Integer.getInteger("multiprocessing4j.leak.processes", 2000);
    private static final int WARM_UP = 100;
    private static final int OBJECTS = 10_000;
    /** Descriptors and threads: exact but for what a concurrent GC or JIT thread may hold for a moment. */
    private static final int FD_MARGIN = 4;
    private static final int THREAD_MARGIN = 2;
    /** The heap after a full GC: what one process's bookkeeping could leak over 1 900 starts is far more. */
    private static final long HEAP_MARGIN = 8L << 20;
    /** Resident memory: the JIT's code and the heap's growth are not leaks, and take tens of MiB. */
    private static final long RSS_MARGIN = 96L << 20;
    private static final Duration SETTLE = Duration.ofSeconds(30);

    /** What the parent holds at one moment. */
    private record Holdings(int fds, int threads, long heap, long committedHeap, long rss) {
        static Holdings now() {
            System.gc();
            Runtime r = Runtime.getRuntime();
            return new Holdings(fdCount(), ManagementFactory.getThreadMXBean().getThreadCount(),
                    r.totalMemory() - r.freeMemory(), r.totalMemory(), residentBytes());
        }

        /** The committed heap is shown because it explains most of the resident memory's changes. */
        @Override
        public String toString() {
            return fds + " descriptors, " + threads + " threads, heap " + (heap >> 10) + " KiB after GC (of "
                    + (committedHeap >> 10) + " KiB committed), resident " + (rss >> 10) + " KiB";
        }
    }

    @ParameterizedTest
    @EnumSource(StartMethod.class)
    void thousandsOfProcessesInSequenceLeaveNothingBehind(StartMethod method) throws Exception {
        ProcessContext ctx = Multiprocessing.getContext(method);
        Holdings base = null;
        for (int i = 0; i < PROCESSES; i++) {
            JvmProcess p = ctx.process("leak-" + i, () -> { });
            p.start();
            assertTrue(p.join(Duration.ofSeconds(60)), "process " + i + " did not end within 60 s");
            assertEquals(OptionalInt.of(0), p.exitCode(), "exit code of process " + i);
            if (i == WARM_UP - 1) {
                base = Holdings.now();
            }
        }
        Holdings first = base;
        Holdings[] last = {null};
        boolean settled = Await.poll(SETTLE, () -> {
            last[0] = Holdings.now();
            return last[0].fds <= first.fds + FD_MARGIN && last[0].threads <= first.threads + THREAD_MARGIN
                    && last[0].heap <= first.heap + HEAP_MARGIN;
        });
        Holdings after = last[0];
        String figures = method + ": after " + WARM_UP + " processes " + base + "; after " + PROCESSES + " " + after;
        System.out.println(figures);
        assertTrue(settled, "more held after " + PROCESSES + " processes than after " + WARM_UP + " (margins: "
                + FD_MARGIN + " descriptors, " + THREAD_MARGIN + " threads, " + (HEAP_MARGIN >> 20) + " MiB heap): "
                + figures);
        assertTrue(after.rss <= base.rss + RSS_MARGIN, "resident memory grew by more than "
                + (RSS_MARGIN >> 20) + " MiB: " + figures);
    }

    @Test
    void tenThousandSharedObjectsMadeAndDroppedLeaveNothingBehind() throws Exception {
        // Small rings: 10 000 of the default 4 MiB would be 40 GiB written to the test's segment
        // directory (on disk), and the point here is how many, not how big.
        String queueBytes = System.setProperty("multiprocessing4j.queueBufferBytes", "4096");
        String pipeBytes = System.setProperty("multiprocessing4j.pipeBufferBytes", "4096");
        try {
            makeAndDrop(200); // every class loaded, every lazy pool filled
            Holdings base = Holdings.now();
            makeAndDrop(OBJECTS);
            Holdings[] last = {null};
            boolean settled = Await.poll(SETTLE, () -> {
                last[0] = Holdings.now();
                return last[0].fds <= base.fds + FD_MARGIN && last[0].heap <= base.heap + HEAP_MARGIN;
            });
            String figures = "before " + base + "; after " + OBJECTS + " of each kind " + last[0];
            System.out.println(figures);
            assertTrue(settled, "descriptors or heap not given back: " + figures);
            NoLeftovers.assertNoRuntimeFilesLeft();
        } finally {
            restore("multiprocessing4j.queueBufferBytes", queueBytes);
            restore("multiprocessing4j.pipeBufferBytes", pipeBytes);
        }
    }

    /**
     * Makes {@code n} queues, pipes, locks and shared longs, using each once; closes every other
     * queue and pipe, and drops the rest (locks and values have no {@code close()}).
     */
    private static void makeAndDrop(int n) throws Exception {
        for (int i = 0; i < n; i++) {
            ProcessQueue<Integer> q = ProcessQueue.create();
            q.put(i);
            assertEquals(i, q.poll());
            ProcessPipe pipe = ProcessPipe.open(true);
            pipe.first().send(i);
            assertEquals(Integer.valueOf(i), pipe.second().recv());
            ProcessLock lock = ProcessLock.create();
            lock.lock();
            lock.unlock();
            SharedLong value = SharedLong.create(i);
            assertEquals(i + 1, value.incrementAndGet());
            if (i % 2 == 0) {
                q.close();
                pipe.first().close();
                pipe.second().close();
            }
        }
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }

    private static int fdCount() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return (int) fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) << 10;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
