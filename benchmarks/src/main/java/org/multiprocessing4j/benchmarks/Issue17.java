package org.multiprocessing4j.benchmarks;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import org.multiprocessing4j.JvmProcess;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.ProcessContext;
import org.multiprocessing4j.ProcessQueue;
import org.multiprocessing4j.StartMethod;

/**
 * Issue 17's table, one line each, from one run: what the other groups measured (start-up:
 * {@code start_to_file} and the idle warm JVM's memory; pools: round trip and first results),
 * collected here as they run, and two rows measured only for it, as the issue words them:
 *
 * <ul>
 * <li>{@code pool_map_chunk1} after exactly one warm-up map: a new SPAWN {@code pool(2)} maps 4
 *     items (the workers are up), then one unmeasured {@code map} of the 100 k items with chunk
 *     size 1, then the measured maps in the same pool ({@link PoolBench} without its adaptive
 *     extra warm-up); Python: {@code pools.py} with {@code Pool} only, the same 4-item map first.
 * <li>{@code fresh_queue_int}: a fresh SPAWN child ({@link Targets.PutInts}, a new JVM each
 *     sample) puts its clock and then 200 000 ints into a {@code ProcessQueue}; the parent takes
 *     and checks them all. A sample runs from the child's clock, read just before its first put,
 *     to the parent's after the last take (both CLOCK_MONOTONIC), so the JVM's boot (the start-up
 *     rows) is not in it but every put of the fresh child is. Python: {@code issue17.py}, a spawn
 *     child and {@code Queue}, the same way.
 * </ul>
 *
 * Then {@link #printSummary} prints the eight lines: our figure, Python's, the ratio, the goal,
 * and whether it is met.
 */
final class Issue17 {
    static final String MAP = "pool_map_chunk1";
    static final String FRESH = "fresh_queue_int";
    static final String START_TO_FILE = "start_to_file";
    /** The pool scenarios of the issue's table that the pools group measures as written. */
    static final List<String> POOL_SCENARIOS = List.of("pool_apply_rt", "pool_first_result_cold",
            "pool_first_result_warm");

    private static final Duration ROUND_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(30);

    /** Start-up rows (all JDKs: the other JDK's are marked by {@link #jdkMark}). */
    final List<Compare.Row> startup = new ArrayList<>();
    final List<Compare.MemoryRow> memory = new ArrayList<>();
    final List<ChannelRows.Row> pools = new ArrayList<>();
    final List<ChannelRows.Row> map = new ArrayList<>();
    final List<ChannelRows.Row> fresh = new ArrayList<>();
    /** The feature version of the JDK whose start-up rows were measured in a second JVM, or 0. */
    int otherJdk;

    /** How a row measured in a second JVM on JDK {@code feature} is marked. */
    static String jdkMark(int feature) {
        return " [JDK " + feature + "]";
    }

    static int thisJdk() {
        return Runtime.version().feature();
    }

    /** Whether the start-up group has run with the issue's start-up scenario. */
    boolean hasStartup() {
        return startup.stream().anyMatch(r -> r.scenario().equals(START_TO_FILE));
    }

    /** Whether the pools group has run with the issue's pool scenarios. */
    boolean hasPools() {
        return POOL_SCENARIOS.stream().allMatch(s -> pools.stream().anyMatch(r -> r.scenario().equals(s) && r.java()));
    }

    // ------------------------------------------------------------------------------ map after one warm-up

    /** The settings of the map row: one warm-up map, no adaptive extra warm-up. */
    static PoolBench.Settings mapSettings(int rounds, int items) {
        return new PoolBench.Settings(1, rounds, items, 1, 0, 1, List.of(MAP), 0, 0);
    }

    /** What {@code pools.py} is told for the map row: Pool only, its workers got up by a 4-item map as Java's. */
    static final List<String> MAP_PYTHON_OPTIONS = List.of("--implementations", "Pool", "--boot-items", "4");

    // ------------------------------------------------------------------------------ a fresh child's queue

    /** The fresh-child queue row, Java: {@code warmup} unmeasured samples, then {@code rounds}. */
    static ChannelRows.Row freshQueueJava(int warmup, int rounds, int items, PrintStream log) throws Exception {
        ProcessContext spawn = Multiprocessing.getContext(StartMethod.SPAWN);
        log.printf("Java issue 17: %d warm-up + %d fresh SPAWN children, each puts %d ints...%n", warmup, rounds,
                items);
        Watchdog watchdog = new Watchdog("fresh-queue-watchdog", ROUND_TIMEOUT, () -> false);
        watchdog.start();
        List<Long> samples = new ArrayList<>();
        try {
            for (int r = 0; r < warmup + rounds; r++) {
                long t = freshQueueRound(spawn, items, watchdog);
                boolean measured = r >= warmup;
                if (measured) {
                    samples.add(t);
                }
                log.printf(Locale.ROOT, "Java issue 17: fresh child %s %d: %.0f ms, %.0f k ints/s%n",
                        measured ? "sample" : "warm-up", r + 1, t / 1e6, items / (t / 1e9) / 1e3);
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException("a fresh child's round took over " + ROUND_TIMEOUT.toSeconds() + " s", e);
        } finally {
            watchdog.stop();
        }
        return ChannelRows.Row.throughput(FRESH, "ProcessQueue, fresh SPAWN child", true, items, 0, samples);
    }

    /** One fresh child: nanoseconds from its clock before its first put to the parent's last take. */
    private static long freshQueueRound(ProcessContext spawn, int n, Watchdog watchdog) throws Exception {
        ProcessQueue<Object> queue = ProcessQueue.create();
        JvmProcess child = spawn.process(new Targets.PutInts(queue, n));
        try {
            watchdog.roundBegins();
            child.start();
            Object first = queue.take();
            if (!(first instanceof Long began)) {
                throw new IllegalStateException(FRESH + ": the first item is " + first + ", not the child's clock");
            }
            for (int i = 0; i < n; i++) {
                Object v = queue.take();
                if (!(v instanceof Integer got) || got != i) {
                    throw new IllegalStateException(FRESH + ": item " + i + " is " + v);
                }
            }
            long end = System.nanoTime();
            watchdog.roundEnded();
            if (!child.join(JOIN_TIMEOUT)) {
                throw new IllegalStateException(FRESH + ": the child did not end within " + JOIN_TIMEOUT.toSeconds()
                        + " s of its last item");
            }
            int code = child.exitCode().orElseThrow();
            if (code != 0) {
                throw new IllegalStateException(FRESH + ": the child exited with code " + code);
            }
            return end - began;
        } finally {
            if (child.isAlive()) {
                child.kill();
                child.join(JOIN_TIMEOUT);
            }
            child.close();
            queue.close();
        }
    }

    /** The fresh-child queue row, Python: {@code issue17.py} beside {@code compare.py}. */
    static PythonSide.Outcome freshQueuePython(String python, Path script, int warmup, int rounds, int items,
            Duration timeout) throws InterruptedException {
        return PythonSide.run(python, script, List.of("--warmup", String.valueOf(warmup), "--rounds",
                String.valueOf(rounds), "--items", String.valueOf(items)), timeout);
    }

    // ------------------------------------------------------------------------------ the summary

    /** One line of the issue's table: what, goal, and how the figures are judged. */
    private record Line(String what, String goal) {
    }

    private static final List<Line> LINES = List.of(
            new Line("applyAsync(f).get() round trip, median", "<= 50 µs"),
            new Line("pool(2) map no-op, chunksize 1, 100 k items, after one warm-up map", ">= 5x"),
            new Line("FORKSERVER (warm JVM ready) start() -> target that writes a file (Files) vs Python fork",
                    "<= 0.5x"),
            new Line("SPAWN start() -> the same target vs Python spawn", "<= 1.0x, on JDK 17 and on JDK 25"),
            new Line("pool(2) -> first result, cold (SPAWN vs Python spawn Pool)", "<= 1.0x"),
            new Line("pool(2) -> first result, 2 warm JVMs ready (FORKSERVER vs Python fork Pool)", "<= 1.0x"),
            new Line("a fresh SPAWN child puts 200 000 ints, the parent takes them, vs Python Queue", ">= 10x"),
            new Line("idle warm JVM, resident (VmRSS)", "<= 40 MiB"));

    /** A figure, ours or Python's, with its number for the verdict. */
    private record Figure(String text, double value) {
        static final Figure NONE = new Figure("not measured", Double.NaN);

        boolean measured() {
            return !Double.isNaN(value);
        }
    }

    /** Prints the issue's eight lines. */
    void printSummary(PrintStream out) {
        List<String[]> lines = new ArrayList<>();
        lines.add(new String[] {"#", "issue 17's line", "ours", "JDK", "Python", "ours/Python", "goal", "verdict"});
        String jdk = String.valueOf(thisJdk());
        String both = otherJdk == 0 ? jdk : jdk + " / " + otherJdk;

        // 1. round trip: an absolute goal on our median.
        Figure rtOurs = pool(pools, "pool_apply_rt", ChannelRows.Row::java);
        Figure rtPy = pool(pools, "pool_apply_rt", r -> r.implementation().startsWith("Python Pool"));
        lines.add(line(1, rtOurs, jdk, rtPy, ratio(rtOurs, rtPy), verdict(rtOurs, rtOurs.value() <= 50)));

        // 2. map after one warm-up map: ours / Python's rate.
        Figure mapOurs = pool(map, MAP, ChannelRows.Row::java);
        Figure mapPy = pool(map, MAP, r -> r.implementation().equals("Python Pool"));
        double mapRatio = ratioOf(mapOurs, mapPy);
        lines.add(line(2, mapOurs, jdk, mapPy, ratio(mapOurs, mapPy), verdict(mapRatio, mapRatio >= 5)));

        // 3. and 4. start() -> file written: ours / Python's time, on each JDK measured.
        lines.add(startLine(3, Compare.FORKSERVER, "Python fork", 0.5, true, both));
        lines.add(startLine(4, Compare.SPAWN, "Python spawn", 1.0, false, both));

        // 5. and 6. first results: ours / Python Pool's time.
        Figure coldOurs = pool(pools, "pool_first_result_cold", ChannelRows.Row::java);
        Figure coldPy = pool(pools, "pool_first_result_cold", r -> r.implementation().equals("Python Pool spawn"));
        double coldRatio = ratioOf(coldOurs, coldPy);
        lines.add(line(5, coldOurs, jdk, coldPy, ratio(coldOurs, coldPy), verdict(coldRatio, coldRatio <= 1)));
        Figure warmOurs = pool(pools, "pool_first_result_warm", ChannelRows.Row::java);
        Figure warmPy = pool(pools, "pool_first_result_warm", r -> r.implementation().equals("Python Pool fork"));
        double warmRatio = ratioOf(warmOurs, warmPy);
        lines.add(line(6, warmOurs, jdk, warmPy, ratio(warmOurs, warmPy), verdict(warmRatio, warmRatio <= 1)));

        // 7. a fresh child's queue: ours / Python's rate.
        Figure freshOurs = pool(fresh, FRESH, ChannelRows.Row::java);
        Figure freshPy = pool(fresh, FRESH, r -> r.implementation().equals("Python Queue"));
        double freshRatio = ratioOf(freshOurs, freshPy);
        lines.add(line(7, freshOurs, jdk, freshPy, ratio(freshOurs, freshPy), verdict(freshRatio, freshRatio >= 10)));

        // 8. memory: an absolute goal on the median VmRSS of idle warm JVMs.
        Figure rss = memory.stream().filter(r -> r.java() && r.scenario().equals("idle_prestarted")).findFirst()
                .map(r -> {
                    double[] kb = r.samples().stream().mapToLong(ProcFs.Memory::rssKb).filter(v -> v >= 0)
                            .mapToDouble(v -> v).sorted().toArray();
                    if (kb.length == 0) {
                        return Figure.NONE;
                    }
                    double mib = Stats.quantile(kb, 0.5) / 1024;
                    return new Figure(String.format(Locale.ROOT, "%.1f MiB (n=%d)", mib, kb.length), mib);
                }).orElse(Figure.NONE);
        lines.add(line(8, rss, jdk, new Figure("-", Double.NaN), "", verdict(rss, rss.value() <= 40)));

        out.println("Issue 17 -- performance: pool round trips, cold starts that load real code, the first seconds of"
                + " a fresh child:");
        out.println("every line of its table, measured in this run");
        out.println();
        Compare.printLines(lines);
        out.println();
        out.println("ours/Python: our median over Python's (times: below 1 is faster; rates: above 1 is faster).");
        out.println("Sources: 1, 5, 6 the pools group (Java SPAWN pool, Python Pool fork for 1; first results as labelled);"
                + " 2 and 7 this group;");
        out.println("  3, 4 the start-up group's start_to_file rows (the target writes a file, then reads the clock;"
                + " FORKSERVER with a warm JVM ready);");
        out.println("  8 the start-up group's memory table (idle warm FORKSERVER JVM).");
        out.println("JDK: the figure's JDK; " + (otherJdk == 0 ? "no second JDK measured (none found, or --no-other-jdk)"
                : "lines 3 and 4 list JDK " + jdk + " / JDK " + otherJdk + " (the latter from a second JVM started"
                        + " from that JDK, its children on it too)") + ".");
        out.println("Figures from one run on a shared machine are noisy: compare within the run.");
    }

    /** Lines 3 and 4: {@code start_to_file} of {@code ours} against {@code python}, on each JDK measured. */
    private String[] startLine(int n, String ours, String python, double limit, boolean judgeBaselineOnly,
            String jdks) {
        Figure py = startup(python);
        List<Figure> figures = new ArrayList<>(List.of(startup(ours)));
        if (otherJdk != 0) {
            figures.add(startup(ours + jdkMark(otherJdk)));
        }
        List<String> texts = new ArrayList<>();
        List<String> ratios = new ArrayList<>();
        List<String> verdicts = new ArrayList<>();
        for (int i = 0; i < figures.size(); i++) {
            double r = ratioOf(figures.get(i), py);
            texts.add(figures.get(i).text());
            ratios.add(ratio(figures.get(i), py));
            boolean judged = i == 0 || !judgeBaselineOnly;
            verdicts.add(judged ? verdict(r, r <= limit) : Double.isNaN(r) ? "not measured"
                    : (r <= limit ? "(would be met)" : "(would not be met)"));
        }
        return line(n, new Figure(String.join(" / ", texts), 0), jdks, py, String.join(" / ", ratios),
                String.join(" / ", verdicts));
    }

    private Figure startup(String implementation) {
        return startup.stream().filter(r -> r.scenario().equals(START_TO_FILE) && r.implementation().equals(implementation))
                .findFirst().map(r -> {
                    double median = Stats.of(r.samples()).median();
                    return new Figure(Compare.ms(median) + " ms (n=" + r.samples().size() + ")", median);
                }).orElse(Figure.NONE);
    }

    private static Figure pool(List<ChannelRows.Row> rows, String scenario, Predicate<ChannelRows.Row> which) {
        Optional<ChannelRows.Row> row = rows.stream().filter(r -> r.scenario().equals(scenario)).filter(which)
                .findFirst();
        return row.map(r -> new Figure(ChannelRows.figure(r, r.median()) + " " + r.unit() + " (n=" + r.n() + ")",
                r.median())).orElse(Figure.NONE);
    }

    private static double ratioOf(Figure ours, Figure python) {
        return ours.measured() && python.measured() ? ours.value() / python.value() : Double.NaN;
    }

    private static String ratio(Figure ours, Figure python) {
        double r = ratioOf(ours, python);
        return Double.isNaN(r) ? "" : ChannelRows.ratio(r);
    }

    private static String verdict(Figure ours, boolean met) {
        return ours.measured() ? (met ? "met" : "NOT MET") : "not measured";
    }

    private static String verdict(double ratio, boolean met) {
        return Double.isNaN(ratio) ? "not measured" : met ? "met" : "NOT MET";
    }

    private static String[] line(int n, Figure ours, String jdk, Figure python, String ratio, String verdict) {
        Line l = LINES.get(n - 1);
        return new String[] {String.valueOf(n), l.what(), ours.text(), jdk, python.text(), ratio, l.goal(), verdict};
    }
}
