package org.multiprocessing4j.benchmarks;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
    /**
     * Interrupts the consumer (this thread) if the child dies or a round takes too long: a queue
     * has no end-of-file, so a take() would otherwise wait forever.
     */
    private final Watchdog watchdog;

    private ChannelBench() throws InterruptedException {
        queue = ProcessQueue.create();
        ProcessPipe controlPipe = ProcessPipe.open(true);
        ProcessPipe dataPipe = ProcessPipe.open(false);
        control = controlPipe.first();
        data = dataPipe.first();
        child = new JvmProcess("channel-producer", new ChannelProducer(controlPipe.second(), queue,
                dataPipe.second()));
        child.start();
        watchdog = new Watchdog("channel-watchdog", ROUND_TIMEOUT, () -> !child.isAlive());
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
        // Interrupted by the watchdog, or a wrong item: stop() says what became of the child.
        return Watchdog.measureThenStop(() -> bench.measure(s, log), bench::stop,
                "the producer child died, or a round took over " + ROUND_TIMEOUT.toSeconds() + " s");
    }

    /** Runs {@code channels.py} with the same settings and returns its rows, or why there are none. */
    static PythonSide.Outcome measurePython(String python, Path script, Settings s, Duration timeout)
            throws InterruptedException {
        return PythonSide.runRounds(python, script, s.warmup(), s.rounds(), s.round(), s.scenarios(), timeout);
    }

    private List<ChannelRows.Row> measure(Settings s, PrintStream log) throws Exception {
        TurnRounds.Schedule schedule = new TurnRounds.Schedule(s.warmup(), s.rounds(), s.round(), EXTRA_WARMUP);
        TurnRounds.Result result = TurnRounds.run(s.scenarios(),
                scenario -> FIRST_GUESS.get(scenario.substring(scenario.indexOf('_') + 1)), schedule, watchdog, log,
                "Java channels", (scenario, n, measured) -> {
                    if (scenario.equals("pipe_pingpong")) {
                        long began = System.nanoTime();
                        long[] trips = pingPongRound(n);
                        return new TurnRounds.Round(System.nanoTime() - began, trips, "");
                    }
                    return TurnRounds.Round.timed(throughputRound(scenario, n));
                });
        List<ChannelRows.Row> rows = new ArrayList<>();
        for (String scenario : s.scenarios()) {
            List<Long> got = result.samples().get(scenario);
            if (scenario.equals("pipe_pingpong")) {
                rows.add(ChannelRows.Row.latency(scenario, DUPLEX, true, got));
            } else {
                rows.add(ChannelRows.Row.throughput(scenario, scenario.startsWith("queue_") ? QUEUE : PIPE, true,
                        result.sizes().get(scenario), ChannelProducer.itemBytes(scenario), got));
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

    private void stop() throws InterruptedException {
        watchdog.stop();
        String failure = CommandedChild.stop(child, control, JOIN_TIMEOUT);
        data.close();
        queue.close();
        if (failure != null) {
            throw new IllegalStateException("the producer child " + failure);
        }
    }
}
