package org.multiprocessing4j.benchmarks;

import java.util.Arrays;
import org.multiprocessing4j.PipeConnection;
import org.multiprocessing4j.ProcessQueue;
import org.multiprocessing4j.SerializableRunnable;

/**
 * The producer child of the channel benchmark ({@link ChannelBench}): one long-lived JVM that
 * waits for commands on its end of a duplex control pipe and sends on command, so that its JIT
 * warms up over the warm-up rounds and stays warm for the measured ones.
 *
 * <p>A command is a {@code String} "{@code <scenario> <n>}": {@code queue_int}, {@code queue_1k},
 * {@code queue_1m} put n items to the queue; {@code pipe_int}, {@code pipe_1k},
 * {@code pipe_1m} send them on the one-way data pipe; {@code pipe_pingpong} echoes n objects
 * received on the control pipe back on it; "{@code ready}" is answered "{@code ready}";
 * "{@code stop}" ends the target. Ints are 0..n-1; byte items are one of
 * {@link #PAYLOADS} prebuilt arrays, item i the array {@code i % PAYLOADS}, whose first and last
 * byte say which it is: the consumer checks every item (as {@code channels.py} does).
 */
final class ChannelProducer implements SerializableRunnable {
    private static final long serialVersionUID = 1L;

    /** Distinct prebuilt payloads (a power of two): item i is payload {@code i & (PAYLOADS - 1)}. */
    static final int PAYLOADS = 16;

    private final PipeConnection control;
    private final ProcessQueue<Object> queue;
    private final PipeConnection data;

    ChannelProducer(PipeConnection control, ProcessQueue<Object> queue, PipeConnection data) {
        this.control = control;
        this.queue = queue;
        this.data = data;
    }

    /** The bytes of one item of a scenario ({@code _1k}, {@code _1m}); 0 for ints. */
    static int itemBytes(String scenario) {
        return scenario.endsWith("_1k") ? 1024 : scenario.endsWith("_1m") ? 1 << 20 : 0;
    }

    /** {@link #PAYLOADS} arrays of {@code size} bytes; number k starts and ends with byte k. */
    static byte[][] payloads(int size) {
        byte[][] pool = new byte[PAYLOADS][size];
        for (int k = 0; k < PAYLOADS; k++) {
            Arrays.fill(pool[k], (byte) 0x5a);
            pool[k][0] = (byte) k;
            pool[k][size - 1] = (byte) k;
        }
        return pool;
    }

    @Override
    public void run() {
        byte[][] kib = payloads(1024);
        byte[][] mib = payloads(1 << 20);
        CommandedChild.obey(control, "the producer", (scenario, n) -> {
            switch (scenario) {
                case "queue_int" -> {
                    for (int i = 0; i < n; i++) {
                        queue.put(i);
                    }
                }
                case "queue_1k" -> putAll(kib, n);
                case "queue_1m" -> putAll(mib, n);
                case "pipe_int" -> {
                    for (int i = 0; i < n; i++) {
                        data.send(i);
                    }
                }
                case "pipe_1k" -> sendAll(kib, n);
                case "pipe_1m" -> sendAll(mib, n);
                case "pipe_pingpong" -> {
                    for (int i = 0; i < n; i++) {
                        control.send(control.recv());
                    }
                }
                default -> throw new IllegalArgumentException("unknown command '" + scenario + "'");
            }
        });
    }

    private void putAll(byte[][] pool, int n) throws InterruptedException {
        // put() encodes (copies) the item before it returns, so one array may go out again and again.
        for (int i = 0; i < n; i++) {
            queue.put(pool[i & (PAYLOADS - 1)]);
        }
    }

    private void sendAll(byte[][] pool, int n) throws InterruptedException {
        for (int i = 0; i < n; i++) {
            data.sendBytes(pool[i & (PAYLOADS - 1)]);
        }
    }
}
