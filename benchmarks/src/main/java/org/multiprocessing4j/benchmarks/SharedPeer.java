package org.multiprocessing4j.benchmarks;

import org.multiprocessing4j.ProcessLock;
import org.multiprocessing4j.ProcessQueue;
import org.multiprocessing4j.SerializableRunnable;
import org.multiprocessing4j.SharedLong;

/**
 * A process of the shared-object rows of the cluster comparison ({@link ClusterBench}): one
 * long-lived JVM, on a cluster node or a local SPAWN child, that uses the shared objects it
 * captured (made by the driver from the context under test) and waits for commands, so that its
 * JIT warms up over the warm-up rounds and stays warm for the measured ones. A cluster process
 * has no pipe, so commands come on a queue of the same context and answers go back on another
 * ({@link CommandedChild#obey(ProcessQueue, ProcessQueue, String, CommandedChild.Handler)}).
 *
 * <p>Commands ({@code String}s) and what the process does; each answers when its loop began and
 * ended ({@code long[] {began, ended}}, {@link System#nanoTime()}: CLOCK_MONOTONIC, one clock
 * for every process of this machine, where the benchmark's nodes all run):
 * <ul>
 * <li>"{@code produce_int n}": puts the {@code Integer}s 0..n-1 on {@code ints}; began: before
 *     the first put;
 * <li>"{@code consume_int n}": takes n items from {@code ints}, each checked to be the next
 *     int; ended: after the last take;
 * <li>"{@code produce_1k n}", "{@code consume_1k n}": the same with {@code byte[1024]} items on
 *     {@code kib}, item i one of {@link ChannelProducer#PAYLOADS} prebuilt arrays, whose first
 *     and last byte say which (checked);
 * <li>"{@code lock n}": n times {@code lock.lock(); lock.unlock()};
 * <li>"{@code incr n}": n times {@code counter.incrementAndGet()};
 * <li>"{@code ready}" is answered "{@code ready}"; "{@code stop}" ends the target.
 * </ul>
 */
final class SharedPeer implements SerializableRunnable {
    private static final long serialVersionUID = 1L;
    static final int ITEM_BYTES = 1024;

    private final String who;
    private final ProcessQueue<String> commands;
    private final ProcessQueue<Object> answers;
    private final ProcessQueue<Integer> ints;
    private final ProcessQueue<byte[]> kib;
    private final ProcessLock lock;
    private final SharedLong counter;

    SharedPeer(String who, ProcessQueue<String> commands, ProcessQueue<Object> answers, ProcessQueue<Integer> ints,
            ProcessQueue<byte[]> kib, ProcessLock lock, SharedLong counter) {
        this.who = who;
        this.commands = commands;
        this.answers = answers;
        this.ints = ints;
        this.kib = kib;
        this.lock = lock;
        this.counter = counter;
    }

    @Override
    public void run() {
        byte[][] payloads = ChannelProducer.payloads(ITEM_BYTES);
        CommandedChild.obey(commands, answers, who, (word, n) -> {
            long began = System.nanoTime();
            switch (word) {
                case "produce_int" -> {
                    for (int i = 0; i < n; i++) {
                        ints.put(i);
                    }
                }
                case "consume_int" -> {
                    for (int i = 0; i < n; i++) {
                        Integer got = ints.take();
                        if (got != i) {
                            throw new IllegalStateException(who + ": item " + i + " is " + got);
                        }
                    }
                }
                case "produce_1k" -> {
                    // put() encodes (copies) the item before it returns, so one array may go out again and again.
                    for (int i = 0; i < n; i++) {
                        kib.put(payloads[i & (ChannelProducer.PAYLOADS - 1)]);
                    }
                }
                case "consume_1k" -> {
                    for (int i = 0; i < n; i++) {
                        byte[] got = kib.take();
                        byte k = (byte) (i & (ChannelProducer.PAYLOADS - 1));
                        if (got.length != ITEM_BYTES || got[0] != k || got[ITEM_BYTES - 1] != k) {
                            throw new IllegalStateException(who + ": 1 KiB item " + i + " is wrong: " + got.length
                                    + " bytes, first " + (got.length > 0 ? got[0] : -1) + ", last "
                                    + (got.length > 0 ? got[got.length - 1] : -1) + ", expected " + k + " at both ends");
                        }
                    }
                }
                case "lock" -> {
                    for (int i = 0; i < n; i++) {
                        lock.lock();
                        lock.unlock();
                    }
                }
                case "incr" -> {
                    for (int i = 0; i < n; i++) {
                        counter.incrementAndGet();
                    }
                }
                default -> throw new IllegalArgumentException("unknown command '" + word + "'");
            }
            answers.put(new long[] {began, System.nanoTime()});
        });
    }
}
