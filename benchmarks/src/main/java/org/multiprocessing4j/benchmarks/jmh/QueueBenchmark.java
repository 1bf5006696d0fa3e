package org.multiprocessing4j.benchmarks.jmh;

import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.ProcessQueue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** A ProcessQueue's ring in one JVM: put one item, take it back (no other process). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class QueueBenchmark {
    private ProcessQueue<Object> queue;
    private final byte[] bytes = new byte[64];

    @Setup
    public void create() {
        queue = ProcessQueue.create();
    }

    @TearDown
    public void close() {
        queue.close();
    }

    /** An Integer: the item codec's int form. */
    @Benchmark
    public Object putTakeInt() throws InterruptedException {
        queue.put(42);
        return queue.take();
    }

    /** A String of 11 chars. */
    @Benchmark
    public Object putTakeString() throws InterruptedException {
        queue.put("hello world");
        return queue.take();
    }

    /** 64 raw bytes (sent without the codec). */
    @Benchmark
    public Object putTakeBytes() throws InterruptedException {
        queue.put(bytes);
        return queue.take();
    }
}
