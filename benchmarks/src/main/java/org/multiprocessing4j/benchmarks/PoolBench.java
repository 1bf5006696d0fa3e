package org.multiprocessing4j.benchmarks;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.ProcessContext;
import org.multiprocessing4j.ProcessPool;
import org.multiprocessing4j.SerializableFunction;
import org.multiprocessing4j.StartMethod;
import org.multiprocessing4j.internal.launch.ForkServerLauncher;

/**
 * The pool comparison: {@link ProcessPool} against Python's {@code multiprocessing.Pool} and
 * {@code concurrent.futures.ProcessPoolExecutor} ({@code benchmarks/python/pools.py}), in one
 * run, Java first, then Python on a quiet machine. Every pool has {@link #WORKERS} workers.
 *
 * <ul>
 * <li>{@code pool_map_chunk1}, {@code pool_map_default}: {@code map} of a no-op
 *     ({@code x -> x}) over {@code items} boxed ints, with chunk size 1 and with Python's
 *     default chunking (ceil(n / (4 * workers))); a round is one {@code map} call, timed from the
 *     call until it returns the list. The list is then checked (size, and item i is i).
 * <li>{@code pool_apply_rt}: {@code applyAsync(() -> k).get()}, one at a time; each round trip
 *     is a sample, checked (it returns k).
 * <li>{@code pool_first_result_cold}: from creating a SPAWN pool to the first result of a
 *     trivial task (a JVM boots per worker), in this long-running JVM with no warm JVMs about.
 * <li>{@code pool_first_result_warm}: the same with a FORKSERVER pool, with two warm idle JVMs
 *     booted and ready (blocked reading their handshake) before the timer starts.
 * </ul>
 *
 * The throughput and round-trip rounds share one SPAWN pool, started once; rounds take turns
 * across these scenarios (round r of each before round r+1 of any), warm-up rounds first. Each
 * first-result sample closes its pool (unmeasured) and waits until its workers have exited.
 */
final class PoolBench {
    /** Scenario ids, in table order; shared with {@code pools.py}. */
    static final List<String> SCENARIOS = List.of("pool_map_chunk1", "pool_map_default", "pool_apply_rt",
            "pool_first_result_cold", "pool_first_result_warm");

    static final int WORKERS = 2;

    /** A round that takes longer than this means a lost task or a hung worker: the pool is terminated. */
    private static final Duration ROUND_TIMEOUT = Duration.ofSeconds(120);
    /** Children that have not exited this long after their pool was closed are a failure. */
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);
    /**
     * The FORKSERVER keeps two idle JVMs only within 30 s of a start that found none idle (then
     * it drops back to one); past this, a warm sample is preceded by such a start again.
     */
    private static final long PRIME_EVERY_NANOS = Duration.ofSeconds(20).toNanos();
    /** Java warm-up rounds added, at most, while a warm-up round is still 15 % faster than the one before. */
    static final int EXTRA_WARMUP = 4;
    /**
     * Unmeasured round trips before the first round, by default: a JVM compiles the round trip's
     * path (Java serialization of the task among it) only after some 10 000 calls, and the
     * round trip's median is a steady-state figure (in one run: 60 µs after 3 500 round trips,
     * 23 µs after 20 000). Python gets the same warm-up.
     */
    static final int RT_WARMUP = 20_000;
    private static final String MAX_IDLE_PROPERTY = "multiprocessing4j.forkserver.maxIdle";

    /**
     * How many rounds and samples; {@code extraWarmup}: warm-up rounds added, at most, while a
     * warm-up round is still 15 % faster than the one before ({@link #EXTRA_WARMUP}; 0: exactly
     * {@code warmup} warm-up rounds, as issue 17's "after one warm-up map"); {@code rtWarmup}:
     * unmeasured round trips before the first round ({@link #RT_WARMUP}), Java and Python alike.
     */
    record Settings(int warmup, int rounds, int items, int rtSamples, int firstWarmup, int firstRounds,
            List<String> scenarios, int extraWarmup, int rtWarmup) {

        Settings(int warmup, int rounds, int items, int rtSamples, int firstWarmup, int firstRounds,
                List<String> scenarios, int rtWarmup) {
            this(warmup, rounds, items, rtSamples, firstWarmup, firstRounds, scenarios, EXTRA_WARMUP, rtWarmup);
        }

        /** Round trips per round, so that the measured rounds take at least {@code rtSamples}. */
        int rtPerRound() {
            return (rtSamples + rounds - 1) / rounds;
        }

        /** Python's default chunk size for {@code items} over {@link #WORKERS} workers. */
        int defaultChunksize() {
            int d = 4 * WORKERS;
            return Math.max(1, items / d + (items % d == 0 ? 0 : 1));
        }
    }

    /** The no-op mapped over the items. */
    private static final SerializableFunction<Integer, Integer> NO_OP = x -> x;

    private final Settings settings;
    private final PrintStream log;
    private final WarmJvms warm = new WarmJvms();
    private final Thread measuring = Thread.currentThread();
    /** The pool of the current round, for the watchdog. */
    private volatile ProcessPool current;
    /** When the current round began (System.nanoTime()), or Long.MAX_VALUE between rounds. */
    private volatile long roundBegan = Long.MAX_VALUE;
    private volatile boolean stopping;
    private long lastPrime = Long.MIN_VALUE;

    private PoolBench(Settings settings, PrintStream log) {
        this.settings = settings;
        this.log = log;
    }

    /** How the table names a scenario. */
    static String label(String scenario, Settings s) {
        return switch (scenario) {
            case "pool_map_chunk1" -> "map no-op, " + count(s.items()) + " items, chunksize 1";
            case "pool_map_default" -> "map no-op, " + count(s.items()) + " items, default chunks";
            case "pool_apply_rt" -> "applyAsync(...).get() round trip";
            case "pool_first_result_cold" -> "new pool(2) -> first result, cold";
            case "pool_first_result_warm" -> "new pool(2) -> first result, warm";
            default -> scenario;
        };
    }

    private static String count(int n) {
        return n % 1000 == 0 ? n / 1000 + "k" : String.valueOf(n);
    }

    /** The goals, judged on the Java median. */
    static final List<ChannelRows.Goal> GOALS = List.of(
            new ChannelRows.Goal("pool_map_chunk1", 200e3, ">= 200 k tasks/s", "Python Pool ~41 k/s"),
            ChannelRows.Goal.asGoodAs("pool_map_default", "Python Pool", ">= Python Pool.map",
                    "Python Pool ~5.5 M/s"),
            new ChannelRows.Goal("pool_apply_rt", 50, "<= 50 µs", "Python ~210 µs"),
            ChannelRows.Goal.asGoodAs("pool_first_result_cold", "Python Pool spawn", "<= Python Pool spawn",
                    "Python spawn ~100 ms"),
            ChannelRows.Goal.asGoodAs("pool_first_result_warm", "Python Pool fork", "<= Python Pool fork",
                    "Python fork ~6 ms"));

    // ------------------------------------------------------------------------------ Java side

    /** Measures the Java rows of {@code s.scenarios()}. */
    static List<ChannelRows.Row> measureJava(Settings s, PrintStream log) throws Exception {
        PoolBench bench = new PoolBench(s, log);
        Thread watchdog = new Thread(bench::watch, "pool-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        try {
            List<ChannelRows.Row> rows = new ArrayList<>(bench.throughputAndRoundTrips());
            rows.addAll(bench.firstResults());
            return rows;
        } finally {
            bench.stopping = true;
            bench.warm.retire();
        }
    }

    private List<ChannelRows.Row> throughputAndRoundTrips() throws Exception {
        List<String> wanted = settings.scenarios().stream()
                .filter(x -> !x.startsWith("pool_first_result")).collect(Collectors.toList());
        if (wanted.isEmpty()) {
            return List.of();
        }
        int n = settings.items();
        List<Integer> items = IntStream.range(0, n).boxed().collect(Collectors.toList());
        Map<String, List<Long>> samples = new LinkedHashMap<>();
        wanted.forEach(x -> samples.put(x, new ArrayList<>()));
        log.printf("Java pools: a SPAWN pool of %d workers; %d warm-up + %d rounds of %s (%d items; %d round trips"
                + " per round)...%n", WORKERS, settings.warmup(), settings.rounds(), wanted, n,
                settings.rtPerRound());
        ProcessPool pool = Multiprocessing.getContext(StartMethod.SPAWN).pool(WORKERS);
        current = pool;
        try {
            // Both workers booted and running before any round.
            List<Integer> first = pool.map(NO_OP, List.of(0, 1, 2, 3), 1);
            check("first map", first, 4);
            if (wanted.contains("pool_apply_rt") && settings.rtWarmup() > 0) {
                long began = System.nanoTime();
                roundTrips(pool, settings.rtWarmup());
                log.printf(Locale.ROOT, "Java pools: %d warm-up round trips in %.0f ms%n", settings.rtWarmup(),
                        (System.nanoTime() - began) / 1e6);
            }
            int warmup = settings.warmup();
            long previous = Long.MAX_VALUE;
            for (int r = 0; r < warmup + settings.rounds(); r++) {
                boolean measured = r >= warmup;
                long roundTime = 0;
                StringBuilder times = new StringBuilder();
                for (String scenario : wanted) {
                    roundBegan = System.nanoTime();
                    if (scenario.equals("pool_apply_rt")) {
                        long[] trips = roundTrips(pool, settings.rtPerRound());
                        long elapsed = System.nanoTime() - roundBegan;
                        roundTime += elapsed;
                        times.append(String.format(Locale.ROOT, " %s %d in %.0f ms,", scenario, trips.length,
                                elapsed / 1e6));
                        if (measured) {
                            for (long t : trips) {
                                samples.get(scenario).add(t);
                            }
                        }
                    } else {
                        int chunksize = scenario.equals("pool_map_chunk1") ? 1 : 0;
                        long began = System.nanoTime();
                        List<Integer> got = chunksize == 0 ? pool.map(NO_OP, items) : pool.map(NO_OP, items, chunksize);
                        long elapsed = System.nanoTime() - began;
                        check(scenario, got, n);
                        roundTime += elapsed;
                        times.append(String.format(Locale.ROOT, " %s %.0f ms,", scenario, elapsed / 1e6));
                        if (measured) {
                            samples.get(scenario).add(elapsed);
                        }
                    }
                    roundBegan = Long.MAX_VALUE;
                }
                log.printf("Java pools: %s round %d:%s%n", measured ? "measured" : "warm-up", r + 1,
                        times.substring(0, times.length() - 1));
                // The JIT may still be compiling (the round got much faster): warm up more.
                if (r == warmup - 1 && roundTime < previous * 0.85 && warmup < settings.warmup() + settings.extraWarmup()) {
                    warmup++;
                }
                previous = roundTime;
            }
        } finally {
            current = null;
            pool.close();
        }
        awaitChildrenExit();
        List<ChannelRows.Row> rows = new ArrayList<>();
        for (String scenario : wanted) {
            List<Long> got = samples.get(scenario);
            rows.add(switch (scenario) {
                case "pool_map_chunk1" -> ChannelRows.Row.tasks(scenario, "ProcessPool map(fn, items, 1)", true, n,
                        got);
                case "pool_map_default" -> ChannelRows.Row.tasks(scenario, "ProcessPool map(fn, items) (chunksize "
                        + settings.defaultChunksize() + ")", true, n, got);
                default -> ChannelRows.Row.latency(scenario, "ProcessPool applyAsync(() -> k).get()", true, got);
            });
        }
        return rows;
    }

    /** n round trips, each timed on its own and checked. */
    private static long[] roundTrips(ProcessPool pool, int n) throws Exception {
        long[] trips = new long[n];
        for (int i = 0; i < n; i++) {
            int k = i;
            long began = System.nanoTime();
            Integer v = pool.applyAsync(() -> k).get();
            trips[i] = System.nanoTime() - began;
            if (v == null || v != k) {
                throw new IllegalStateException("pool_apply_rt: task " + k + " returned " + v);
            }
        }
        return trips;
    }

    /** That {@code got} is 0, 1, ..., n-1: nothing lost, duplicated or reordered. */
    private static void check(String scenario, List<Integer> got, int n) {
        if (got.size() != n) {
            throw new IllegalStateException(scenario + ": " + got.size() + " results for " + n + " items");
        }
        for (int i = 0; i < n; i++) {
            Integer v = got.get(i);
            if (v == null || v != i) {
                throw new IllegalStateException(scenario + ": result " + i + " is " + v);
            }
        }
    }

    private List<ChannelRows.Row> firstResults() throws Exception {
        List<ChannelRows.Row> rows = new ArrayList<>();
        int total = settings.firstWarmup() + settings.firstRounds();
        if (settings.scenarios().contains("pool_first_result_cold")) {
            // Cold: no FORKSERVER JVM idle or booting (an earlier group may have left some).
            warm.retire();
            awaitChildrenExit();
            log.printf("Java pools: %d warm-up + %d SPAWN pools, creation -> first result...%n",
                    settings.firstWarmup(), settings.firstRounds());
            ProcessContext spawn = Multiprocessing.getContext(StartMethod.SPAWN);
            List<Long> samples = new ArrayList<>();
            for (int r = 0; r < total; r++) {
                long t = firstResult(spawn);
                awaitChildrenExit();
                if (r >= settings.firstWarmup()) {
                    samples.add(t);
                }
                log.printf(Locale.ROOT, "Java pools: cold %s %d: %.1f ms%n",
                        r >= settings.firstWarmup() ? "sample" : "warm-up", r + 1, t / 1e6);
            }
            rows.add(ChannelRows.Row.latencyMillis("pool_first_result_cold", "ProcessPool SPAWN", true, samples));
        }
        if (settings.scenarios().contains("pool_first_result_warm")) {
            int ready = readyWanted();
            log.printf("Java pools: %d warm-up + %d FORKSERVER pools, each with %d warm JVMs ready, creation -> first"
                    + " result...%n", settings.firstWarmup(), settings.firstRounds(), ready);
            ProcessContext forkserver = Multiprocessing.getContext(StartMethod.FORKSERVER);
            List<Long> samples = new ArrayList<>();
            for (int r = 0; r < total; r++) {
                awaitWarm(forkserver, ready);
                long t = firstResult(forkserver);
                awaitChildrenExit();
                if (r >= settings.firstWarmup()) {
                    samples.add(t);
                }
                log.printf(Locale.ROOT, "Java pools: warm %s %d: %.1f ms%n",
                        r >= settings.firstWarmup() ? "sample" : "warm-up", r + 1, t / 1e6);
            }
            warm.retire();
            rows.add(ChannelRows.Row.latencyMillis("pool_first_result_warm", "ProcessPool FORKSERVER, " + ready
                    + " warm JVMs ready", true, samples));
        }
        return rows;
    }

    /** Nanoseconds from creating a pool of {@link #WORKERS} to the first result of a trivial task; then closes it. */
    private long firstResult(ProcessContext context) throws Exception {
        roundBegan = System.nanoTime();
        long began = System.nanoTime();
        ProcessPool pool = context.pool(WORKERS);
        current = pool;
        Integer v;
        long elapsed;
        try {
            v = pool.applyAsync(() -> 7).get();
            elapsed = System.nanoTime() - began;
        } finally {
            roundBegan = Long.MAX_VALUE;
            current = null;
            pool.close();
        }
        if (v == null || v != 7) {
            throw new IllegalStateException("first result: the task returned " + v);
        }
        return elapsed;
    }

    /** How many warm JVMs a warm sample waits for: two, unless the FORKSERVER keeps fewer. */
    private static int readyWanted() {
        int max = 2;
        try {
            max = Integer.parseInt(System.getProperty(MAX_IDLE_PROPERTY, "2").trim());
        } catch (NumberFormatException e) {
            // the library ignores it too
        }
        return Math.max(1, Math.min(WORKERS, max));
    }

    /**
     * Waits until {@code ready} idle FORKSERVER JVMs have booted and nothing else runs. The
     * launcher keeps one idle JVM, and two within 30 s of a start that found none idle. So at
     * first, when that may have lapsed, and whenever the JVMs settle with fewer than
     * {@code ready} idle, this primes it: drops the idle JVMs and runs a FORKSERVER pool with one
     * worker more than it keeps (unmeasured), so that some worker finds none idle. (A pool of
     * two after a reset is not enough: the launcher lists a JVM as idle as soon as it is
     * launched, so both workers may get one.) The booter launches the JVMs it wants back to
     * back, so a quiet state with fewer idle means it wants fewer.
     */
    private void awaitWarm(ProcessContext forkserver, int ready) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            if (ready > 1 && (lastPrime == Long.MIN_VALUE || System.nanoTime() - lastPrime > PRIME_EVERY_NANOS)) {
                warm.reset();
                try (ProcessPool primer = forkserver.pool(ready + 1)) {
                    check("priming pool", primer.map(NO_OP, List.of(0, 1, 2), 1), 3);
                }
                lastPrime = System.nanoTime();
                awaitChildrenExit();
            } else if (!warm.active()) {
                warm.reset();
            }
            int idle = warm.awaitQuiet().size();
            if (idle >= ready) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the FORKSERVER did not get " + ready + " idle JVMs ready (" + idle
                        + " idle)");
            }
            log.printf("Java pools: %d idle JVM(s) ready, not %d: priming the FORKSERVER again%n", idle, ready);
            lastPrime = Long.MIN_VALUE;
        }
    }

    /**
     * Waits until every child of this JVM is an idle FORKSERVER JVM (the pools' workers have
     * exited).
     */
    private void awaitChildrenExit() throws InterruptedException {
        long deadline = System.nanoTime() + EXIT_TIMEOUT.toNanos();
        while (true) {
            List<Long> idle = ForkServerLauncher.INSTANCE.idlePids();
            List<ProcessHandle> others = ProcessHandle.current().children().filter(ProcessHandle::isAlive)
                    .filter(h -> !idle.contains(h.pid())).collect(Collectors.toList());
            if (others.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("pool workers still running " + EXIT_TIMEOUT.toSeconds()
                        + " s after their pool was closed: " + others.stream().map(h -> String.valueOf(h.pid()))
                        .collect(Collectors.joining(", ")));
            }
            Thread.sleep(5);
        }
    }

    /** Terminates the pool of a round that takes too long, so that a lost task fails the run instead of hanging it. */
    private void watch() {
        try {
            while (!stopping) {
                Thread.sleep(200);
                long began = roundBegan;
                ProcessPool pool = current;
                if (began != Long.MAX_VALUE && System.nanoTime() - began > ROUND_TIMEOUT.toNanos() && pool != null) {
                    log.println("Java pools: a round took over " + ROUND_TIMEOUT.toSeconds() + " s; terminating"
                            + " its pool " + pool);
                    pool.terminate();
                    measuring.interrupt();
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------------------ Python side

    /** Runs {@code pools.py} with the same settings and returns its rows, or why there are none. */
    static PythonSide.Outcome measurePython(String python, Path script, Settings s, Duration timeout)
            throws InterruptedException {
        return measurePython(python, script, s, timeout, List.of());
    }

    /** As {@link #measurePython(String, Path, Settings, Duration)}, with more options for {@code pools.py}. */
    static PythonSide.Outcome measurePython(String python, Path script, Settings s, Duration timeout,
            List<String> more) throws InterruptedException {
        List<String> args = new ArrayList<>(List.of(
                "--rounds", String.valueOf(s.rounds()),
                "--warmup", String.valueOf(s.warmup()),
                "--items", String.valueOf(s.items()),
                "--rt-samples", String.valueOf(s.rtSamples()),
                "--rt-warmup", String.valueOf(s.rtWarmup()),
                "--first-rounds", String.valueOf(s.firstRounds()),
                "--first-warmup", String.valueOf(s.firstWarmup()),
                "--workers", String.valueOf(WORKERS),
                "--scenarios", String.join(",", s.scenarios())));
        args.addAll(more);
        return PythonSide.run(python, script, args, timeout);
    }

    /**
     * The rows of {@code pools.py}'s JSON ({@code results}: scenario → implementation →
     * {@code {"items": n, "rounds_ns": [...]}} or {@code {"samples_ns": [...]}}).
     */
    static List<ChannelRows.Row> fromPython(Map<String, Object> json) {
        List<ChannelRows.Row> rows = new ArrayList<>();
        Map<?, ?> results = (Map<?, ?>) json.get("results");
        results.forEach((scenario, byImplementation) -> ((Map<?, ?>) byImplementation).forEach((impl, v) -> {
            Map<?, ?> data = (Map<?, ?>) v;
            String id = (String) scenario;
            String name = "Python " + impl;
            if (data.get("samples_ns") instanceof List<?> samples && !samples.isEmpty()) {
                rows.add(id.startsWith("pool_first_result")
                        ? ChannelRows.Row.latencyMillis(id, name, false, longs(samples))
                        : ChannelRows.Row.latency(id, name, false, longs(samples)));
            } else if (data.get("rounds_ns") instanceof List<?> rounds && !rounds.isEmpty()) {
                rows.add(ChannelRows.Row.tasks(id, name, false, ((Number) data.get("items")).longValue(),
                        longs(rounds)));
            }
        }));
        return rows;
    }

    private static List<Long> longs(List<?> values) {
        return values.stream().map(v -> ((Number) v).longValue()).collect(Collectors.toList());
    }

    // ------------------------------------------------------------------------------ notes

    /** What the table's figures mean, printed under it. */
    static void printNotes(PrintStream out, Settings s, Map<String, Object> python) {
        String py = python == null ? "" : " (Python " + python.get("context") + " context)";
        out.printf(Locale.ROOT, "map: one map call over %d prebuilt ints, timed from the call until the result list is"
                + " complete, then checked%n  (item i is i); tasks/s = items / round time; %d warm-up rounds, then n"
                + " measured rounds: median, worst and best round.%n  (Java: up to %d more warm-up rounds while"
                + " a round's total was still 15 %% faster than the one before.)%n", s.items(), s.warmup(),
                s.extraWarmup());
        out.printf(Locale.ROOT, "  Default chunks: map(fn, items) and Python's Pool.map(f, items) both use"
                + " ceil(n / (4 x %d workers)) = %d items per message;%n  ProcessPoolExecutor.map was given"
                + " chunksize=%d (its own default, 1, is the chunksize-1 row).%n", WORKERS, s.defaultChunksize(),
                s.defaultChunksize());
        out.printf(Locale.ROOT, "round trip: one task at a time, each timed and checked; %d unmeasured first, then %d"
                + " per round, n = round trips of the measured rounds; worst/p90 = 90th percentile.%n", s.rtWarmup(),
                s.rtPerRound());
        out.println("  map and round trips use one pool per implementation, made once: Java SPAWN (the start method"
                + " no longer matters once the workers run)" + py + ".");
        out.printf(Locale.ROOT, "first result: wall time from creating a pool of %d until the first result of a"
                + " trivial task; n = pools (after %d warm-up pools), worst = slowest;%n  each pool is then closed"
                + " and its workers have exited (unmeasured) before the next one.%n", WORKERS, s.firstWarmup());
        out.println("  cold, Java: a SPAWN pool made in this long-running JVM (its own start and class loading are not"
                + " counted), no warm JVM idle or booting:");
        out.println("  each worker boots a fresh JVM. Python: spawn and fork; ProcessPoolExecutor (3.9+) starts"
                + " spawn workers on demand, so its first task waits for one.");
        out.println("  warm, Java: a FORKSERVER pool with 2 warm idle JVMs booted and ready (blocked reading their"
                + " handshake) before the timer starts;");
        out.println("  the FORKSERVER then boots 2 replacements in the background while the sample runs. Python: fork,"
                + " and forkserver with its server already running.");
        out.println("ours x = how many times better multiprocessing4j is than this row (throughput: ours/this;"
                + " latency: this/ours; > 1: ours is better).");
        out.println("Python: pools.py, timed inside with perf_counter_ns.");
    }
}
