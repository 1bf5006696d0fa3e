package org.multiprocessing4j.benchmarks;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.multiprocessing4j.JvmProcess;
import org.multiprocessing4j.PipeConnection;
import org.multiprocessing4j.ProcessPipe;
import org.multiprocessing4j.ProcessQueue;

/**
 * The channel comparison: {@link ProcessQueue} and {@link PipeConnection} against Python's
 * {@code Queue}, {@code SimpleQueue} and {@code Pipe} ({@code benchmarks/python/channels.py}),
 * in one run, Java first, then Python on a quiet machine.
 *
 * <p>Data flow on each side: one producer child, started once ({@link ChannelProducer}), and
 * this process as the consumer.
 *
 * <pre>
 *   parent ── control (duplex pipe): "scenario n" commands, ping-pong ints ──▶ child
 *   parent ◀── queue (queue_*) or one-way data pipe (pipe_*): n items ─────── child
 * </pre>
 *
 * A throughput round runs from sending the command until the parent has received and checked
 * the n-th item. Warm-up rounds come first, in the same child and parent (so the JIT has
 * compiled both loops before any measured round); each resizes the round, never smaller, so
 * that it takes at least the round time, and while a warm-up round still took less than 80 % of
 * it, another warm-up round follows (at most {@link #EXTRA_WARMUP} more). Rounds take turns
 * across scenarios (round r of each before round r+1 of any), as in {@code channels.py}.
 */
final class ChannelBench {
    /** Scenario ids, in table order; shared with {@code channels.py}. */
    static final List<String> SCENARIOS = List.of("queue_int", "queue_1k", "queue_1m", "pipe_int", "pipe_1k",
            "pipe_1m", "pipe_pingpong");

    static final String QUEUE = "ProcessQueue";
    static final String PIPE = "PipeConnection one-way";
    static final String DUPLEX = "PipeConnection duplex";

    /** A first round size; warm-up rounds grow it. */
    private static final Map<String, Integer> FIRST_GUESS = Map.of("int", 20_000, "1k", 5_000, "1m", 50,
            "pingpong", 2_000);
    private static final int MAX_ITEMS = 50_000_000;
    /** Warm-up rounds added, at most, while some scenario's round is still shorter than 80 % of the target. */
    static final int EXTRA_WARMUP = 6;
    /** A round that takes longer than this means a lost item or a hung child. */
    private static final Duration ROUND_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(30);

    /** How many rounds, and how long each should at least take. */
    record Settings(int warmup, int rounds, Duration round, List<String> scenarios) {
    }

    private final ProcessQueue<Object> queue;
    private final PipeConnection control;
    private final PipeConnection data;
    private final JvmProcess child;
    private final Thread consumer = Thread.currentThread();
    /** When the current round began (System.nanoTime()), or Long.MAX_VALUE between rounds; read by the watchdog. */
    private volatile long roundBegan = Long.MAX_VALUE;
    private volatile boolean stopping;

    private ChannelBench() throws InterruptedException {
        queue = ProcessQueue.create();
        ProcessPipe controlPipe = ProcessPipe.open(true);
        ProcessPipe dataPipe = ProcessPipe.open(false);
        control = controlPipe.first();
        data = dataPipe.first();
        child = new JvmProcess("channel-producer", new ChannelProducer(controlPipe.second(), queue,
                dataPipe.second()));
        child.start();
        Thread watchdog = new Thread(this::watch, "channel-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        control.send("ready");
        String ready = control.recv();
        if (!"ready".equals(ready)) {
            throw new IllegalStateException("the producer child answered '" + ready + "'");
        }
        // The child has attached its ends: now only it holds them, so its death shows here as
        // end-of-file instead of a wait forever.
        controlPipe.second().close();
        dataPipe.second().close();
    }

    /** Measures the Java rows. */
    static List<ChannelRows.Row> measureJava(Settings s, PrintStream log) throws Exception {
        ChannelBench bench = new ChannelBench();
        List<ChannelRows.Row> rows;
        try {
            rows = bench.measure(s, log);
        } catch (Exception e) {
            // Interrupted by the watchdog, or a wrong item: stop() says what became of the child.
            Exception failure = e instanceof InterruptedException
                    ? new IllegalStateException("the producer child died, or a round took over "
                            + ROUND_TIMEOUT.toSeconds() + " s", e)
                    : e;
            try {
                bench.stop();
            } catch (Exception s2) {
                failure.addSuppressed(s2);
            }
            throw failure;
        }
        bench.stop();
        return rows;
    }

    /** Runs {@code channels.py} with the same settings and returns its rows, or why there are none. */
    static PythonSide.Outcome measurePython(String python, Path script, Settings s, Duration timeout)
            throws InterruptedException {
        return PythonSide.run(python, script, List.of(
                "--rounds", String.valueOf(s.rounds()),
                "--warmup", String.valueOf(s.warmup()),
                "--round-ms", String.valueOf(s.round().toMillis()),
                "--scenarios", String.join(",", s.scenarios())), timeout);
    }

    private List<ChannelRows.Row> measure(Settings s, PrintStream log) throws Exception {
        long target = s.round().toNanos();
        Map<String, Integer> sizes = new LinkedHashMap<>();
        Map<String, List<Long>> samples = new LinkedHashMap<>();
        for (String scenario : s.scenarios()) {
            sizes.put(scenario, FIRST_GUESS.get(scenario.substring(scenario.indexOf('_') + 1)));
            samples.put(scenario, new ArrayList<>());
        }
        int warmup = s.warmup();
        for (int r = 0; r < warmup + s.rounds(); r++) {
            boolean measured = r >= warmup;
            boolean tooShort = false;
            StringBuilder times = new StringBuilder();
            for (String scenario : s.scenarios()) {
                int n = sizes.get(scenario);
                roundBegan = System.nanoTime();
                long elapsed;
                if (scenario.equals("pipe_pingpong")) {
                    long[] trips = pingPongRound(n);
                    elapsed = System.nanoTime() - roundBegan;
                    if (measured) {
                        for (long t : trips) {
                            samples.get(scenario).add(t);
                        }
                    }
                } else {
                    elapsed = throughputRound(scenario, n);
                    if (measured) {
                        samples.get(scenario).add(elapsed);
                    }
                }
                roundBegan = Long.MAX_VALUE;
                times.append(String.format(Locale.ROOT, " %s %d in %.0f ms,", scenario, n, elapsed / 1e6));
                if (!measured) {
                    sizes.put(scenario, grown(n, elapsed, target));
                    tooShort |= elapsed < target * 0.8;
                }
            }
            // Each round's size and time, so that a slow round can be told from a slow scenario.
            log.printf("Java channels: %s round %d:%s%n", measured ? "measured" : "warm-up", r + 1,
                    times.substring(0, times.length() - 1));
            // The JIT and the heap may still be settling (rounds get faster, so too short): warm up more.
            if (r == warmup - 1 && tooShort && warmup < s.warmup() + EXTRA_WARMUP) {
                warmup++;
            }
        }
        List<ChannelRows.Row> rows = new ArrayList<>();
        for (String scenario : s.scenarios()) {
            List<Long> got = samples.get(scenario);
            if (scenario.equals("pipe_pingpong")) {
                rows.add(ChannelRows.Row.latency(scenario, DUPLEX, true, got));
            } else {
                rows.add(ChannelRows.Row.throughput(scenario, scenario.startsWith("queue_") ? QUEUE : PIPE, true,
                        sizes.get(scenario), ChannelProducer.itemBytes(scenario), got));
            }
        }
        return rows;
    }

    /** The next warm-up size: n scaled to take the target (plus 20 %), never smaller (as channels.py). */
    static int grown(int n, long elapsedNanos, long targetNanos) {
        if (elapsedNanos >= targetNanos) {
            return n;
        }
        double scaled = (double) n * targetNanos * 1.2 / Math.max(elapsedNanos, 1) + 1;
        return (int) Math.min(MAX_ITEMS, Math.max(n, scaled));
    }

    /** Nanoseconds from the command until the n-th item has been received and checked. */
    private long throughputRound(String scenario, int n) throws InterruptedException {
        int size = ChannelProducer.itemBytes(scenario);
        boolean fromQueue = scenario.startsWith("queue_");
        long began = System.nanoTime();
        control.send(scenario + " " + n);
        if (size == 0) {
            for (int i = 0; i < n; i++) {
                Object v = fromQueue ? queue.take() : data.recv();
                if (!(v instanceof Integer got) || got != i) {
                    throw new IllegalStateException(scenario + ": item " + i + " is " + v);
                }
            }
        } else {
            for (int i = 0; i < n; i++) {
                byte[] b = fromQueue ? (byte[]) queue.take() : data.recvBytes();
                int k = i & (ChannelProducer.PAYLOADS - 1);
                if (b.length != size || b[0] != k || b[size - 1] != k) {
                    throw new IllegalStateException(scenario + ": item " + i + " is wrong (" + b.length + " bytes)");
                }
            }
        }
        return System.nanoTime() - began;
    }

    /** n round trips on the control pipe, each timed on its own. */
    private long[] pingPongRound(int n) throws InterruptedException {
        control.send("pipe_pingpong " + n);
        long[] trips = new long[n];
        for (int i = 0; i < n; i++) {
            long began = System.nanoTime();
            control.send(i);
            Object v = control.recv();
            trips[i] = System.nanoTime() - began;
            if (!(v instanceof Integer got) || got != i) {
                throw new IllegalStateException("pipe_pingpong: round trip " + i + " came back as " + v);
            }
        }
        return trips;
    }

    /**
     * Interrupts the consumer if the child dies or a round takes too long: a queue has no
     * end-of-file, so a take() would otherwise wait forever.
     */
    private void watch() {
        try {
            while (!stopping) {
                Thread.sleep(100);
                boolean late = System.nanoTime() - roundBegan > ROUND_TIMEOUT.toNanos()
                        && roundBegan != Long.MAX_VALUE;
                if (!stopping && (!child.isAlive() || late)) {
                    consumer.interrupt();
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stop() throws InterruptedException {
        stopping = true;
        try {
            if (child.isAlive()) {
                control.send("stop");
            }
        } catch (RuntimeException e) {
            // the child is gone: nothing to stop
        }
        boolean ended = child.join(JOIN_TIMEOUT);
        if (!ended) {
            child.kill();
            child.join(JOIN_TIMEOUT);
        }
        int code = child.exitCode().orElse(-1);
        String why = child.exception().map(Throwable::toString).orElse("");
        child.close();
        control.close();
        data.close();
        queue.close();
        if (!ended || code != 0) {
            throw new IllegalStateException(String.format(Locale.ROOT, "the producer child %s (exit code %d)%s",
                    ended ? "failed" : "did not stop and was killed", code, why.isEmpty() ? "" : ": " + why));
        }
    }
}
