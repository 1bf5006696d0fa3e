package org.multiprocessing4j.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.multiprocessing4j.PipeConnection;
import org.multiprocessing4j.ProcessEvent;
import org.multiprocessing4j.ProcessReentrantLock;
import org.multiprocessing4j.SerializableRunnable;
import org.multiprocessing4j.SharedLong;

/**
 * The second process of the sync benchmark ({@link SyncBench}): one long-lived child JVM that
 * waits for commands on its end of a duplex control pipe, so that its JIT warms up over the
 * warm-up rounds and stays warm for the measured ones. The parent is the first process.
 *
 * <p>Commands ({@code String}s) and what the child does:
 * <ul>
 * <li>"{@code locked n}": n times {@code lock(); counter.set(counter.get() + 1); unlock()} on
 *     the counter's own lock ({@link SharedLong#getLock()}), then answers when its loop began
 *     and ended ({@code long[] {began, ended}}, {@link System#nanoTime()}: CLOCK_MONOTONIC, the
 *     same clock in every process);
 * <li>"{@code atomic n}": n times {@code counter.incrementAndGet()}, then answers as "locked";
 * <li>"{@code pingpong n}": answers "{@code go}", then n times: await {@code ping}, clear it,
 *     set {@code pong}; then answers the number of pings it served;
 * <li>"{@code idle}": answers its waiting thread's Linux thread id ("{@code waiting <tid>}"),
 *     waits in {@code wake.await()} until the parent sets it, then answers "{@code woke}";
 * <li>"{@code ready}" is answered "{@code ready}"; "{@code stop}" ends the target.
 * </ul>
 */
final class SyncPeer implements SerializableRunnable {
    private static final long serialVersionUID = 1L;

    private final PipeConnection control;
    private final SharedLong counter;
    private final ProcessEvent ping;
    private final ProcessEvent pong;
    private final ProcessEvent wake;

    SyncPeer(PipeConnection control, SharedLong counter, ProcessEvent ping, ProcessEvent pong, ProcessEvent wake) {
        this.control = control;
        this.counter = counter;
        this.ping = ping;
        this.pong = pong;
        this.wake = wake;
    }

    /** n increments of {@code v} under its own lock: a read and a write, as Python's {@code v.value += 1}. */
    static void lockedIncrements(SharedLong v, int n) {
        ProcessReentrantLock lock = v.getLock();
        for (int i = 0; i < n; i++) {
            lock.lock();
            try {
                v.set(v.get() + 1);
            } finally {
                lock.unlock();
            }
        }
    }

    /** n lock-free increments of {@code v}. */
    static void atomicIncrements(SharedLong v, int n) {
        for (int i = 0; i < n; i++) {
            v.incrementAndGet();
        }
    }

    /** The calling thread's Linux thread id (from {@code /proc/thread-self}), or -1. */
    static long nativeThreadId() {
        try {
            Path self = Files.readSymbolicLink(Path.of("/proc/thread-self")); // "<pid>/task/<tid>"
            return Long.parseLong(self.getFileName().toString());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    @Override
    public void run() {
        CommandedChild.obey(control, "the sync peer", (word, n) -> {
            switch (word) {
                case "locked", "atomic" -> {
                    long began = System.nanoTime();
                    if (word.equals("locked")) {
                        lockedIncrements(counter, n);
                    } else {
                        atomicIncrements(counter, n);
                    }
                    long ended = System.nanoTime();
                    control.send(new long[] {began, ended});
                }
                case "pingpong" -> {
                    control.send("go");
                    int served = 0;
                    for (int i = 0; i < n; i++) {
                        ping.await();
                        ping.clear();
                        served++;
                        pong.set();
                    }
                    control.send(served);
                }
                case "idle" -> {
                    control.send("waiting " + nativeThreadId());
                    wake.await();
                    control.send("woke");
                }
                default -> throw new IllegalArgumentException("unknown command '" + word + "'");
            }
        });
    }
}
