package org.multiprocessing4j.internal.pool;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import org.multiprocessing4j.SerializableCallable;
import org.multiprocessing4j.internal.codec.Codec;

/**
 * For a JVM booted ahead of need, and for the class-data archive's training run: what a pool
 * worker does between its handshake and its first result, without its queues. A warm JVM had
 * warmed the process machinery but not the worker's: decoding a {@link PoolWorker}, its READY,
 * reading a RUN, decoding and running the task, building its DONE took about 8 ms of the first
 * worker's CPU in a FORKSERVER {@code pool(2)}, on the way to the pool's first result.
 */
public final class PoolWarmUp {
    /** A task as {@code applyAsync} sends one: a serializable lambda, decoded through its class. */
    private static final SerializableCallable<Object> SAMPLE = () -> 7;

    private PoolWarmUp() {
    }

    /** Runs once; throws nothing (it is only a warm-up) and touches no shared memory. */
    public static void run() {
        try {
            Codec codec = Codec.defaultCodec();
            // A worker travels with its queues; without them it exercises the same decoding.
            codec.decode(codec.encode(new PoolWorker(0, null, null, null, false, 0), "warm-up"));
            PoolMessage.read(new PoolMessage.Ready(0).toBytes());
            byte[] run = new PoolMessage.Run(1, codec.encode(SAMPLE, "warm-up")).toBytes();
            Map<ByteBuffer, Object> stateless = new HashMap<>();
            PoolMessage.read(PoolWorker.runRun(0, (PoolMessage.Run) PoolMessage.read(run), stateless));
        } catch (Exception | LinkageError e) {
            // Only a warm-up.
        }
    }
}
