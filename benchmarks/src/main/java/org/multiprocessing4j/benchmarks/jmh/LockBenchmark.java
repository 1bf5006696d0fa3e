package org.multiprocessing4j.benchmarks.jmh;

import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.ProcessLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** A ProcessLock nobody else wants: lock() then unlock(), one thread of one JVM. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LockBenchmark {
    private ProcessLock lock;

    @Setup
    public void create() {
        lock = ProcessLock.create();
    }

    @Benchmark
    public void lockUnlock() {
        lock.lock();
        lock.unlock();
    }
}
