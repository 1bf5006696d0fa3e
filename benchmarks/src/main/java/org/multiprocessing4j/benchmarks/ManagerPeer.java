package org.multiprocessing4j.benchmarks;

import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentMap;
import org.multiprocessing4j.PipeConnection;
import org.multiprocessing4j.ProcessManager;
import org.multiprocessing4j.SerializableRunnable;

/**
 * The children of the manager benchmark ({@link ManagerBench}): long-lived JVMs that use a
 * manager's dict from one thread and wait for commands on their end of a duplex control pipe, so
 * that their JIT warms up over the warm-up rounds and stays warm for the measured ones. Each
 * times its own loop with {@link System#nanoTime()}.
 *
 * <p>Commands ({@code String}s) and what the child does:
 * <ul>
 * <li>"{@code ops n}": n times {@code d.put(k, i); d.get(k)} (the get is checked), k cycling
 *     through {@link #KEYS} ints; answers the loop's nanoseconds ({@code Long});
 * <li>"{@code rt n}": n single {@code d.get(0)} calls, each timed; answers them ({@code long[]});
 * <li>"{@code ready}" is answered "{@code ready}"; "{@code stop}" ends the target.
 * </ul>
 */
final class ManagerPeer {
    /** Keys cycle through this many ints, so the map stays small and every get finds its key. */
    static final int KEYS = 1024;

    private ManagerPeer() {
    }

    /** A target that uses the proxy it captures: what a user of a local manager writes. */
    static SerializableRunnable local(PipeConnection control, ConcurrentMap<Integer, Integer> d) {
        return () -> commands(control, d);
    }

    /**
     * A target that knows only where a manager is served and its authkey: it connects, reaches
     * the map the server keeps under {@code name}, and disconnects when told to stop.
     */
    static SerializableRunnable remote(PipeConnection control, InetSocketAddress address, byte[] authkey,
            String name) {
        return () -> {
            try (ProcessManager m = ProcessManager.connect(address, authkey)) {
                commands(control, m.dict(name));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("the remote manager peer was interrupted while connecting", e);
            }
        };
    }

    /** n times put(k, i); get(k) == i: 2n calls. Returns the nanoseconds of the loop. */
    static long putGet(ConcurrentMap<Integer, Integer> d, int n) {
        long began = System.nanoTime();
        for (int i = 0; i < n; i++) {
            Integer k = i % KEYS;
            d.put(k, i);
            Integer got = d.get(k);
            if (got == null || got != i) {
                throw new IllegalStateException("get(" + k + ") returned " + got + ", not " + i);
            }
        }
        return System.nanoTime() - began;
    }

    /** n single get(0) calls, each timed, in nanoseconds. */
    static long[] timedGets(ConcurrentMap<Integer, Integer> d, int n) {
        d.put(0, 0);
        long[] samples = new long[n];
        for (int i = 0; i < n; i++) {
            long began = System.nanoTime();
            d.get(0);
            samples[i] = System.nanoTime() - began;
        }
        return samples;
    }

    private static void commands(PipeConnection control, ConcurrentMap<Integer, Integer> d) {
        CommandedChild.obey(control, "the manager peer", (word, n) -> {
            switch (word) {
                case "ops" -> control.send(putGet(d, n));
                case "rt" -> control.send(timedGets(d, n));
                default -> throw new IllegalArgumentException("unknown command '" + word + "'");
            }
        });
    }
}
