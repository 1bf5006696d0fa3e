package org.multiprocessing4j.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.ProcessContext;
import org.multiprocessing4j.StartMethod;

/**
 * multiprocessing4j against Python's {@code multiprocessing}, in one run, in six groups (all
 * by default; {@code --only startup}, {@code --only channels}, {@code --only pools},
 * {@code --only sync}, {@code --only managers} or {@code --only issue17} runs one), and a
 * seventh, opt-in group, {@code --only cluster}:
 * <ul>
 * <li>process start-up: times the Java scenarios here, runs {@code benchmarks/python/compare.py}
 * for the same scenarios under each Python start method, and prints one table of medians and
 * ratios (and one of memory). Among them {@code start_to_file}: {@code start()} until the target
 * has written a file with {@code java.nio.file.Files} (Python: {@code open()}), so the child
 * loads real code. Where a second JDK is present (JDK 25: {@code $JAVA_HOME_25}, else
 * {@code /usr/lib/jvm/temurin-25-jdk-amd64}; {@code --other-jdk}, {@code --no-other-jdk}), the
 * same Java rounds also run in a second JVM started from it ({@code --jvm-rows-json}; a child
 * JVM runs on its parent's {@code java.home}, so its children are on that JDK too), and its rows
 * are marked {@code [JDK 25]};
 * <li>queues and pipes: {@link ChannelBench} times {@code ProcessQueue} and
 * {@code PipeConnection}, then runs {@code benchmarks/python/channels.py} for Python's
 * {@code Queue}, {@code SimpleQueue} and {@code Pipe}, and prints a second table with ratios and
 * the issue's goals;
 * <li>process pools: {@link PoolBench} times {@code ProcessPool} (map with chunk size 1 and with
 * the default chunking, one-by-one round trips, creation to first result, cold and warm), then
 * runs {@code benchmarks/python/pools.py} for Python's {@code Pool} and
 * {@code ProcessPoolExecutor}, and prints a third table with ratios and the issue's goals;
 * <li>synchronization: {@link SyncBench} times {@code SharedLong} increments under its lock and
 * lock-free, uncontended {@code ProcessLock} and {@code ProcessReentrantLock}, and a
 * {@code ProcessEvent} ping-pong between two processes, and the CPU of an idle event waiter; then
 * runs {@code benchmarks/python/sync.py} for Python's {@code Value}, {@code Lock}, {@code RLock}
 * and {@code Event}, and prints a fourth table with ratios and the issue's goals;
 * <li>managers: {@link ManagerBench} times a {@code ProcessManager} dict used from a child JVM
 * (put/get throughput, one call's round trip) and a served manager reached over TCP loopback by
 * a child that knows only its address and authkey; then runs {@code benchmarks/python/managers.py}
 * for Python's {@code Manager().dict()} and a remote {@code BaseManager}, and prints a fifth
 * table with ratios and the issue's goals;
 * <li>cluster (only with {@code --only cluster}: it boots three node JVMs and runs about three
 * and a half minutes on a quiet machine): {@link ClusterBench} starts three cluster nodes on 127.0.0.1 ({@link LocalCluster}),
 * connects a driver, and times a no-op process's start+join on a node against a local SPAWN one,
 * a cluster {@code pool(3).map} against a local {@code pool(3)} and against Hazelcast's raw
 * {@code IExecutorService} (one callable per item), and one task's round trip on the cluster
 * pool against the raw executor's; then the cluster's shared objects (a queue of ints and of
 * 1 KiB arrays, a lock, a shared long) used by processes on two nodes, against the same on a
 * local SPAWN context; the nodes are stopped (SIGTERM, joined), then
 * {@code benchmarks/python/cluster_shared.py} times the same shared-object work through Python's
 * remote {@code BaseManager} over TCP; one table with the ratios and the issue's goals (the
 * cluster pool's map at 10 times the raw executor's tasks/s; each shared object at twice
 * Python's remote manager).
 * <li>issue 17 (last of the default run; {@link Issue17}): one summary table with a line for each
 * line of issue 17's table (our figure, Python's from the same run, the ratio, the goal, met or
 * not), from what the start-up and pools groups measured, plus two rows measured only here, as
 * the issue words them: a pool(2) {@code map} at chunk size 1 after exactly one warm-up map
 * ({@code pools.py} with {@code Pool} only), and a fresh SPAWN child's first 200 000 ints through
 * a {@code ProcessQueue} ({@code benchmarks/python/issue17.py}: a spawn child and {@code Queue}).
 * Run alone ({@code --only issue17}), it first measures the start-up rows it needs
 * ({@code start_to_file}, Python spawn and fork, the memory readings; no bursts) and the pool rows
 * (round trip, first results) itself, printing their tables too.
 * </ul>
 *
 * <pre>
 * mvn -q -B -DskipTests -pl benchmarks -am package exec:exec [-Dbench.args="--rounds 50"] [-Dpython=/usr/bin/python3]
 * mvn -q -B -DskipTests -pl benchmarks -am package exec:exec -Dbench.args="--only issue17"
 * </pre>
 *
 * <p>The rest of this description is about start-up. Every round sample is one process started and joined; rounds run one after another (never
 * two children at once), warm-up rounds first, and the scenarios take turns round by round so
 * that drifting machine load hits them alike. Before each sample, once the FORKSERVER is in use,
 * the run waits until its idle JVM has finished booting ({@link WarmJvms}), so no sample shares
 * the machine with a booting JVM. Then come the memory readings and the bursts (many processes
 * at once). Scenario ids are shared with {@code compare.py}: to add a row, add a
 * {@link JavaRow} here and a function in the script's {@code SCENARIOS} under the same id, and a
 * label in {@link #label}.
 */
public final class Compare {
    /** Timing scenario ids, in table order. */
    static final List<String> SCENARIOS = List.of("start_to_running", "start_to_file", "start_join",
            "first_start_join", "burst_total", "burst_start_to_running");

    /** The scenarios measured in rounds that take turns, Java and Python ({@code --startup} picks some). */
    static final List<String> TIMED = List.of("start_to_running", "start_to_file", "start_join");

    /** Memory scenario ids, in table order. */
    static final List<String> MEMORY = List.of("idle_prestarted", "child_blocked");

    /** The id of the one-sample row measured first, before anything is warm. */
    static final String COLD = "first_start_join";

    /** The Java rows that every other row is compared with, one ratio column each. */
    static final String SPAWN = "JvmProcess SPAWN";
    static final String FORKSERVER = "JvmProcess FORKSERVER";
    static final List<String> JAVA_REFERENCES = List.of(SPAWN, FORKSERVER);

    /** How the tables name a scenario. */
    static String label(String scenario, Options o) {
        return switch (scenario) {
            case "start_to_running" -> "start() -> target running";
            case "start_to_file" -> "start() -> target wrote a file (Files.write)";
            case "start_join" -> "start+join, no-op target";
            case "first_start_join" -> "first start+join in a fresh program (cold)";
            case "burst_total" -> "burst of " + o.burst + ": first start() -> all joined";
            case "burst_start_to_running" -> "burst of " + o.burst + ": start() -> running, each";
            case "idle_prestarted" -> "idle, started ahead of need (no work yet)";
            case "child_blocked" -> "child blocked inside its target";
            default -> scenario;
        };
    }

    /** One sample, in nanoseconds. */
    @FunctionalInterface
    interface Measurement {
        long once() throws Exception;
    }

    /** A Java row of the table: a scenario measured one way. */
    record JavaRow(String scenario, String implementation, Measurement measurement) {
    }

    /** A row of the table with its samples. */
    record Row(String scenario, String implementation, boolean java, List<Long> samples) {
    }

    /** A row of the memory table with its readings. */
    record MemoryRow(String scenario, String implementation, boolean java, List<ProcFs.Memory> samples) {
    }

    private static final PrintStream OUT = System.out;
    private static final PrintStream LOG = System.err;

    private Compare() {
    }

    public static void main(String[] argv) throws Exception {
        Options o;
        try {
            o = Options.parse(argv);
        } catch (IllegalArgumentException e) {
            LOG.println("Compare: " + e.getMessage());
            LOG.println(Options.USAGE);
            System.exit(2);
            return;
        }
        if (o.help) {
            OUT.println(Options.USAGE);
            return;
        }
        if (o.rowsJson) {
            startupRowsJson(o);
            return;
        }
        long began = System.nanoTime();
        Path workdir = null;
        Issue17 issue17 = new Issue17();
        if (o.startup) {
            workdir = startup(o, issue17);
        }
        if (o.channels) {
            if (o.startup) {
                OUT.println();
                // The bursts' processes may still be exiting: the channel rounds want both cores.
                leftBehind(Duration.ofSeconds(10));
            }
            channels(o);
        }
        if (o.pools) {
            if (o.startup || o.channels) {
                OUT.println();
                leftBehind(Duration.ofSeconds(10));
            }
            pools(o, issue17);
        }
        if (o.sync) {
            if (o.startup || o.channels || o.pools) {
                OUT.println();
                leftBehind(Duration.ofSeconds(10));
            }
            sync(o);
        }
        if (o.managers) {
            if (o.startup || o.channels || o.pools || o.sync) {
                OUT.println();
                leftBehind(Duration.ofSeconds(10));
            }
            managers(o);
        }
        if (o.cluster) {
            if (o.startup || o.channels || o.pools || o.sync || o.managers) {
                OUT.println();
                leftBehind(Duration.ofSeconds(10));
            }
            cluster(o);
        }
        if (o.issue17) {
            if (o.startup || o.channels || o.pools || o.sync || o.managers || o.cluster) {
                OUT.println();
                leftBehind(Duration.ofSeconds(10));
            }
            Path dir = issue17(o, issue17);
            workdir = workdir == null ? dir : workdir;
        }
        Path report = o.report == null ? null : Report.write(o.report, List.of(
                "Run " + ZonedDateTime.now(ZoneOffset.UTC).withNano(0)
                        + " on JDK " + Runtime.version() + " (" + System.getProperty("java.vm.name") + "), "
                        + Runtime.getRuntime().availableProcessors() + " CPUs, " + System.getProperty("os.name") + " "
                        + System.getProperty("os.arch") + ".",
                "Compare " + String.join(" ", argv)), Report.collected());
        // The library's exit reports and the idle JVMs are gone; let exiting children be reaped.
        List<ProcessHandle> left = leftBehind(Duration.ofSeconds(10));
        OUT.printf(Locale.ROOT, "Took %.0f s. Processes left behind: %s. Temporary files left: %s.%n",
                (System.nanoTime() - began) / 1e9,
                left.isEmpty() ? "none" : left.stream().map(h -> h.pid() + " " + h.info().command().orElse("?"))
                        .collect(Collectors.joining(", ")),
                workdir != null && Files.exists(workdir) ? workdir : "none");
        if (report != null) {
            OUT.println("Report: " + report.toAbsolutePath());
        }
    }

    /** The process start-up comparison and its tables; returns its temporary directory (deleted). */
    private static Path startup(Options o, Issue17 issue17) throws Exception {
        double loadBefore = loadAverage();
        Path workdir = Files.createTempDirectory("mp4j-bench-");
        WarmJvms warm = new WarmJvms();
        Thread cleanup = new Thread(() -> {
            PythonSide.abort();
            warm.retire();
            deleteTree(workdir);
        }, "compare-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);

        List<Row> rows = new ArrayList<>();
        List<MemoryRow> memory = new ArrayList<>();
        PythonSide.Outcome python;
        try {
            try {
                measureJava(new JavaSide(workdir), warm, o, rows, memory);
            } finally {
                // The idle warm JVMs would use memory and nothing else, but Python gets a quiet machine.
                warm.retire();
            }
            leftBehind(Duration.ofSeconds(10));
            otherJdkRows(o, rows, issue17);
            if (o.python == null) {
                python = new PythonSide.Outcome(null, "Python not run (--no-python)");
            } else {
                LOG.printf("Python: %s %s, %d warm-up + %d rounds per start method (%s), %d bursts of %d,"
                        + " %d memory readings...%n", o.python, o.pythonScript, o.pythonWarmup, o.pythonRounds,
                        o.methods, o.burstReps, o.burst, o.memorySamples);
                python = PythonSide.run(o.python, o.pythonScript, List.of(
                        "--rounds", String.valueOf(o.pythonRounds),
                        "--warmup", String.valueOf(o.pythonWarmup),
                        "--methods", o.methods,
                        "--burst", String.valueOf(o.burst),
                        "--burst-reps", String.valueOf(o.burstReps),
                        "--memory-samples", String.valueOf(o.memorySamples),
                        "--scenarios", String.join(",", o.startupScenarios)), o.pythonTimeout);
            }
        } finally {
            deleteTree(workdir);
        }
        if (python.json() != null) {
            rows.addAll(pythonRows(python.json()));
            memory.addAll(pythonMemoryRows(python.json()));
        }
        issue17.startup.addAll(rows);
        issue17.memory.addAll(memory);

        OUT.println();
        OUT.println("multiprocessing4j vs Python multiprocessing: process start-up (times in ms; lower is better)");
        OUT.println(context(python, loadBefore, o.loadBeforeBursts, loadAverage()));
        OUT.println();
        Report.group("Process start-up");
        printTable(rows, o);
        OUT.println();
        OUT.println("start() -> target running: System.nanoTime() / time.monotonic_ns() (both CLOCK_MONOTONIC)");
        OUT.println("  read by the parent just before start() and by the target as its first action in the child.");
        OUT.println("start() -> target wrote a file: the same clocks, read by the child just after its target wrote a"
                + " small file");
        OUT.println("  (Java: java.nio.file.Files.write; Python: open() and write()): the target loads real code.");
        OUT.println("start+join: wall time of start() through join() of a no-op target.");
        OUT.println("SPAWN boots a fresh JVM per process. FORKSERVER rows: each sample starts with a warm idle JVM");
        OUT.println("  ready (booted, warmed up, blocked reading its handshake), as after getContext(FORKSERVER);");
        OUT.println("  every Java sample waits, unmeasured, until no JVM is booting in the background.");
        OUT.println("first start+join: one sample, the first process of a fresh program (JVM: class loading,");
        OUT.println("  runtime directory; Python forkserver: starting the server; spawn: the resource tracker).");
        if (o.burst > 0) {
            OUT.println("burst: " + o.burst + " processes started back to back (start() in a loop), then all joined; "
                    + o.burstReps + " bursts per implementation.");
            OUT.println("  'first start() -> all joined': one sample per burst. 'start() -> running, each': every");
            OUT.println("  process of every burst pooled (n = bursts x " + o.burst + "). FORKSERVER bursts begin with one"
                    + " warm idle JVM ready;");
            OUT.println("  a start that finds the pool empty boots a JVM as SPAWN does, while the pool's background"
                    + " thread boots more.");
            if (o.burstFromPool != null) {
                OUT.println("  Processes that got a JVM from the idle pool, per FORKSERVER burst: " + o.burstFromPool
                        + " of " + o.burst + " (listed idle, not necessarily done booting).");
            }
        }
        if (issue17.otherJdk != 0) {
            OUT.println("Rows marked" + Issue17.jdkMark(issue17.otherJdk) + ": the same Java rounds in a second JVM"
                    + " started from that JDK (its children run on it too),");
            OUT.println("  after this JVM's (JDK " + Issue17.thisJdk() + ") and before Python's; unmarked Java rows are"
                    + " JDK " + Issue17.thisJdk() + ".");
        } else if (o.otherJdkProblem != null) {
            OUT.println(o.otherJdkProblem);
        }
        OUT.println("n = samples; p10/p90 = 10th/90th percentiles; SPAWN/this, FORKSERVER/this = that Java row's"
                + " median / this row's median (> 1: this row is faster).");
        if (!memory.isEmpty()) {
            OUT.println();
            OUT.println("Resident memory of one idle process (MiB; medians of n readings, each a different process)");
            OUT.println();
            Report.group("Resident memory of one idle process");
            printMemoryTable(memory, o);
            OUT.println();
            OUT.println("VmRSS from /proc/PID/status, read by the parent once it stayed the same for 3 readings 50 ms"
                    + " apart; Pss and");
            OUT.println("  Private (clean + dirty) from /proc/PID/smaps_rollup. RSS counts shared pages in full (the JDK's"
                    + " CDS archive and");
            OUT.println("  libraries; a forked child's pages shared with its parent); Pss divides them among sharers;"
                    + " Private is what");
            OUT.println("  one more such process adds. Idle ahead of need: an idle warm FORKSERVER JVM before it gets"
                    + " a process; Python's");
            OUT.println("  forkserver server process (one per program, forks every child). Blocked: the target waits"
                    + " (Java: reading a");
            OUT.println("  FIFO; Python: Event.wait()) after signalling that it runs. '*' = VmRSS still moving after 10 s.");
        }
        if (python.problem() != null) {
            OUT.println(python.problem() + " -- only the Java rows are shown.");
        }
        Object skipped = python.json() == null ? null : python.json().get("skipped");
        if (skipped instanceof Map<?, ?> m && !m.isEmpty()) {
            OUT.println("Python start methods skipped: " + m);
        }
        Runtime.getRuntime().removeShutdownHook(cleanup);
        return workdir;
    }

    /**
     * The start-up group's Java rounds (the same rows, rounds and warm-up, no memory readings or
     * bursts) in a second JVM started from another JDK ({@code --other-jdk}, by default JDK 25
     * where present), whose children run on that JDK too since a child JVM is launched from its
     * parent's {@code java.home}; its rows are added, marked {@link Issue17#jdkMark}.
     */
    private static void otherJdkRows(Options o, List<Row> rows, Issue17 issue17) throws InterruptedException {
        if (o.otherJdk == null) {
            return;
        }
        List<String> cmd = new ArrayList<>(List.of(o.otherJdk.resolve("bin").resolve("java").toString()));
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (option.startsWith("-Dmultiprocessing4j.")) {
                cmd.add(option);
            }
        }
        cmd.addAll(List.of("-classpath", System.getProperty("java.class.path"), Compare.class.getName(),
                "--jvm-rows-json", "--rounds", String.valueOf(o.rounds), "--warmup", String.valueOf(o.warmup),
                "--startup", String.join(",", o.startupScenarios), "--memory-samples", "0", "--burst", "0"));
        if (!o.lambda) {
            cmd.add("--no-lambda");
        }
        LOG.printf("Java on %s: the same start-up rounds in a second JVM started from it...%n", o.otherJdk);
        PythonSide.Outcome other = PythonSide.runCommand(cmd, "The JVM of " + o.otherJdk, "", o.pythonTimeout);
        if (other.json() == null) {
            o.otherJdkProblem = other.problem() + " -- no rows of the second JDK.";
            return;
        }
        int feature = ((Number) other.json().get("feature")).intValue();
        issue17.otherJdk = feature;
        for (Object v : (List<?>) other.json().get("rows")) {
            Map<?, ?> row = (Map<?, ?>) v;
            List<Long> samples = ((List<?>) row.get("samples")).stream().map(x -> ((Number) x).longValue())
                    .collect(Collectors.toList());
            rows.add(new Row((String) row.get("scenario"), row.get("implementation") + Issue17.jdkMark(feature), true,
                    samples));
        }
    }

    /**
     * {@code --jvm-rows-json}: this JVM is the second one of {@link #otherJdkRows}; it runs the
     * start-up group's Java rounds and prints their samples as one JSON object.
     */
    private static void startupRowsJson(Options o) throws Exception {
        Path workdir = Files.createTempDirectory("mp4j-bench-");
        WarmJvms warm = new WarmJvms();
        List<Row> rows = new ArrayList<>();
        try {
            measureJava(new JavaSide(workdir), warm, o, rows, new ArrayList<>());
        } finally {
            warm.retire();
            deleteTree(workdir);
        }
        StringBuilder json = new StringBuilder("{\"feature\": ").append(Issue17.thisJdk())
                .append(", \"version\": \"").append(System.getProperty("java.runtime.version")).append("\", \"rows\": [");
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            json.append(i == 0 ? "" : ", ").append("{\"scenario\": \"").append(r.scenario())
                    .append("\", \"implementation\": \"").append(r.implementation()).append("\", \"samples\": [")
                    .append(r.samples().stream().map(String::valueOf).collect(Collectors.joining(", "))).append("]}");
        }
        OUT.println(json.append("]}"));
    }

    /**
     * The issue 17 group: the lines of the issue's table that no earlier group of this run has
     * measured (start-up: {@code start_to_file} and memory; pools: round trip and first results),
     * then the two rows only this group measures ({@link Issue17}), Java first, then Python; then
     * the summary of all eight lines. Returns the start-up group's temporary directory if it ran here.
     */
    private static Path issue17(Options o, Issue17 issue17) throws Exception {
        Path workdir = null;
        if (!issue17.hasStartup()) {
            Options s = o.copy();
            s.startupScenarios = List.of(Issue17.START_TO_FILE);
            s.burst = 0;
            s.lambda = false;
            s.methods = "spawn,fork";
            LOG.println("Issue 17: the start-up rows (start() -> a target that writes a file) and the memory...");
            workdir = startup(s, issue17);
            OUT.println();
            leftBehind(Duration.ofSeconds(10));
        }
        if (!issue17.hasPools()) {
            Options p = o.copy();
            p.poolScenarios = Issue17.POOL_SCENARIOS;
            LOG.println("Issue 17: the pool rows (round trip, first results)...");
            pools(p, issue17);
            OUT.println();
            leftBehind(Duration.ofSeconds(10));
        }
        double loadBefore = loadAverage();
        Thread cleanup = new Thread(PythonSide::abort, "compare-issue17-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        PoolBench.Settings map = Issue17.mapSettings(o.poolRounds, o.poolItems);
        List<String> problems = new ArrayList<>();
        try {
            issue17.map.addAll(PoolBench.measureJava(map, LOG));
        } catch (Exception e) {
            e.printStackTrace(LOG);
            problems.add("Java map row failed: " + e);
        }
        leftBehind(Duration.ofSeconds(10));
        try {
            issue17.fresh.add(Issue17.freshQueueJava(o.freshWarmup, o.freshRounds, o.freshItems, LOG));
        } catch (Exception e) {
            e.printStackTrace(LOG);
            problems.add("Java fresh-child row failed: " + e);
        }
        leftBehind(Duration.ofSeconds(10));
        PythonSide.Outcome python = new PythonSide.Outcome(null, "Python not run (--no-python)");
        if (o.python != null) {
            Path pools = o.pythonScript.resolveSibling("pools.py");
            LOG.printf("Python issue 17: %s %s, Pool map after one warm-up map...%n", o.python, pools);
            python = PoolBench.measurePython(o.python, pools, map, o.pythonTimeout, Issue17.MAP_PYTHON_OPTIONS);
            if (python.json() != null) {
                issue17.map.addAll(PoolBench.fromPython(python.json()));
            } else {
                problems.add(python.problem());
            }
            Path script = o.pythonScript.resolveSibling("issue17.py");
            LOG.printf("Python issue 17: %s %s, fresh spawn children...%n", o.python, script);
            python = Issue17.freshQueuePython(o.python, script, o.freshWarmup, o.freshRounds, o.freshItems,
                    o.pythonTimeout);
            if (python.json() != null) {
                issue17.fresh.addAll(ChannelRows.fromPython(python.json()));
            } else {
                problems.add(python.problem());
            }
        } else {
            problems.add(python.problem());
        }
        Runtime.getRuntime().removeShutdownHook(cleanup);

        OUT.println("multiprocessing4j vs Python multiprocessing: issue 17's rows that no other group measures");
        OUT.println(context(python, loadBefore, Double.NaN, loadAverage()));
        OUT.println();
        List<ChannelRows.Row> rows = new ArrayList<>(issue17.map);
        rows.addAll(issue17.fresh);
        Report.group("Issue 17: pool map and fresh child");
        ChannelRows.printTable(OUT, rows, List.of(Issue17.MAP, Issue17.FRESH), scenario -> scenario.equals(Issue17.MAP)
                ? "map no-op, " + o.poolItems + " items, chunksize 1, after one warm-up map"
                : "fresh SPAWN child puts " + o.freshItems + " ints, parent takes them");
        OUT.println();
        OUT.printf(Locale.ROOT, "map: a new pool of %d (Java SPAWN; Python Pool, fork) maps 4 items (workers up), then"
                + " exactly one unmeasured map of the%n  %d items, then n measured maps in the same pool, each timed"
                + " from the call until the list is complete, then checked.%n", PoolBench.WORKERS, o.poolItems);
        OUT.printf(Locale.ROOT, "fresh child: each sample a new child (Java SPAWN, Python spawn) puts its clock, then"
                + " %d ints, into a queue%n  (ProcessQueue; Python Queue); the parent takes and checks them all; timed"
                + " from the child's clock before its first put%n  to the parent's after the last take (the boot is in"
                + " the start-up rows, not here); %d unmeasured children first.%n", o.freshItems, o.freshWarmup);
        OUT.println("ours x = how many times better multiprocessing4j is than this row (> 1: ours is better).");
        problems.forEach(OUT::println);
        OUT.println();
        issue17.printSummary(OUT);
        return workdir;
    }

    /**
     * The queue and pipe comparison ({@link ChannelBench}): the Java rows, then
     * {@code channels.py}'s, one table with ratios and the issue's goals.
     */
    private static void channels(Options o) throws Exception {
        double loadBefore = loadAverage();
        Thread cleanup = new Thread(PythonSide::abort, "compare-channels-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        ChannelBench.Settings settings = new ChannelBench.Settings(o.channelWarmup, o.channelRounds,
                Duration.ofMillis(o.roundMs), o.channelScenarios);
        List<ChannelRows.Row> rows = new ArrayList<>();
        String javaProblem = null;
        LOG.printf("Java channels: %d warm-up + %d rounds of at least %d ms per scenario, one producer child...%n",
                o.channelWarmup, o.channelRounds, o.roundMs);
        try {
            rows.addAll(ChannelBench.measureJava(settings, LOG));
        } catch (Exception e) {
            // Python's rows are still worth having; the failure is printed under the table.
            e.printStackTrace(LOG);
            javaProblem = "Java channel rows failed: " + e;
        }
        PythonSide.Outcome python;
        if (o.python == null) {
            python = new PythonSide.Outcome(null, "Python not run (--no-python)");
        } else {
            Path script = o.pythonScript.resolveSibling("channels.py");
            LOG.printf("Python channels: %s %s, same rounds...%n", o.python, script);
            python = ChannelBench.measurePython(o.python, script, settings, o.pythonTimeout);
        }
        if (python.json() != null) {
            rows.addAll(ChannelRows.fromPython(python.json()));
        }
        Runtime.getRuntime().removeShutdownHook(cleanup);

        OUT.println("multiprocessing4j vs Python multiprocessing: queues and pipes between a child and its parent");
        OUT.println(context(python, loadBefore, Double.NaN, loadAverage()));
        if (python.json() != null) {
            OUT.println("python context: " + python.json().get("context"));
        }
        OUT.println();
        Report.group("Queues and pipes");
        ChannelRows.printTable(OUT, rows, o.channelScenarios);
        OUT.println();
        OUT.println("Goals (issue), judged on the multiprocessing4j median:");
        ChannelRows.printGoals(OUT, rows, o.channelScenarios);
        OUT.println();
        OUT.printf(Locale.ROOT, "Throughput: a child produces, the parent consumes and checks every item (value or"
                + " length and marker bytes);%n  a round runs from the parent's command to the last item checked;"
                + " %d to %d warm-up rounds (same child and parent,%n  they size the round to >= %d ms; more while"
                + " one is shorter than 80 %% of that), then n measured rounds: median, worst and best round."
                + "%n  MB/s = 10^6 bytes/s.%n", o.channelWarmup, o.channelWarmup + ChannelBench.EXTRA_WARMUP, o.roundMs);
        OUT.println("Ping-pong: the parent sends an int, the child sends it back; n = round trips, each timed;"
                + " worst/p90 = 90th percentile.");
        OUT.println("ours x = how many times better multiprocessing4j is than this row (throughput: ours/this;"
                + " latency: this/ours; > 1: ours is better).");
        OUT.println("Java: ProcessQueue and PipeConnection with their default buffers, default start method."
                + " Python: channels.py, fork context, timed inside with perf_counter_ns.");
        if (javaProblem != null) {
            OUT.println(javaProblem);
        }
        if (python.problem() != null) {
            OUT.println(python.problem() + " -- only the Java rows are shown.");
        }
    }

    /**
     * The pool comparison ({@link PoolBench}): the Java rows, then {@code pools.py}'s, one table
     * with ratios and the issue's goals.
     */
    private static void pools(Options o, Issue17 issue17) throws Exception {
        double loadBefore = loadAverage();
        Thread cleanup = new Thread(PythonSide::abort, "compare-pools-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        PoolBench.Settings settings = new PoolBench.Settings(o.poolWarmup, o.poolRounds, o.poolItems,
                o.poolRtSamples, o.poolFirstWarmup, o.poolFirstRounds, o.poolScenarios, o.poolRtWarmup);
        List<ChannelRows.Row> rows = new ArrayList<>();
        String javaProblem = null;
        try {
            rows.addAll(PoolBench.measureJava(settings, LOG));
        } catch (Exception e) {
            // Python's rows are still worth having; the failure is printed under the table.
            e.printStackTrace(LOG);
            javaProblem = "Java pool rows failed: " + e;
        }
        // The pools' workers must be gone before Python's rounds.
        leftBehind(Duration.ofSeconds(10));
        PythonSide.Outcome python;
        if (o.python == null) {
            python = new PythonSide.Outcome(null, "Python not run (--no-python)");
        } else {
            Path script = o.pythonScript.resolveSibling("pools.py");
            LOG.printf("Python pools: %s %s, same rounds...%n", o.python, script);
            python = PoolBench.measurePython(o.python, script, settings, o.pythonTimeout);
        }
        if (python.json() != null) {
            rows.addAll(PoolBench.fromPython(python.json()));
        }
        issue17.pools.addAll(rows);
        Runtime.getRuntime().removeShutdownHook(cleanup);

        OUT.println("multiprocessing4j vs Python multiprocessing: process pools of " + PoolBench.WORKERS + " workers");
        OUT.println(context(python, loadBefore, Double.NaN, loadAverage()));
        OUT.println();
        Report.group("Pools");
        ChannelRows.printTable(OUT, rows, o.poolScenarios, s -> PoolBench.label(s, settings));
        OUT.println();
        OUT.println("Goals (issue), judged on the multiprocessing4j median:");
        ChannelRows.printGoals(OUT, rows, o.poolScenarios, PoolBench.GOALS);
        OUT.println();
        PoolBench.printNotes(OUT, settings, python.json());
        if (javaProblem != null) {
            OUT.println(javaProblem);
        }
        if (python.problem() != null) {
            OUT.println(python.problem() + " -- only the Java rows are shown.");
        }
    }

    /**
     * The synchronization comparison ({@link SyncBench}): the Java rows, then {@code sync.py}'s,
     * one table with ratios and the issue's goals, and the idle waiter's CPU.
     */
    private static void sync(Options o) throws Exception {
        double loadBefore = loadAverage();
        Thread cleanup = new Thread(PythonSide::abort, "compare-sync-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        SyncBench.Settings settings = new SyncBench.Settings(o.syncWarmup, o.syncRounds, Duration.ofMillis(o.roundMs),
                o.syncScenarios, o.syncIdleSamples, Duration.ofMillis(o.syncIdleMs));
        List<ChannelRows.Row> rows = new ArrayList<>();
        List<SyncBench.Idle> javaIdle = List.of();
        Map<String, List<Double>> javaOverlaps = Map.of();
        String javaProblem = null;
        try {
            SyncBench.Result java = SyncBench.measureJava(settings, LOG);
            rows.addAll(java.rows());
            javaIdle = java.idle();
            javaOverlaps = java.overlaps();
        } catch (Exception e) {
            // Python's rows are still worth having; the failure is printed under the table.
            e.printStackTrace(LOG);
            javaProblem = "Java sync rows failed: " + e;
        }
        // The child must be gone before Python's rounds.
        leftBehind(Duration.ofSeconds(10));
        PythonSide.Outcome python;
        if (o.python == null) {
            python = new PythonSide.Outcome(null, "Python not run (--no-python)");
        } else {
            Path script = o.pythonScript.resolveSibling("sync.py");
            LOG.printf("Python sync: %s %s, same rounds...%n", o.python, script);
            python = SyncBench.measurePython(o.python, script, settings, o.pythonTimeout);
        }
        List<SyncBench.Idle> pythonIdle = List.of();
        int pythonTicks = SyncBench.TICKS_PER_SECOND;
        if (python.json() != null) {
            rows.addAll(SyncBench.fromPython(python.json()));
            pythonIdle = SyncBench.idleFromPython(python.json());
            if (python.json().get("clk_tck") instanceof Number t && t.intValue() > 0) {
                pythonTicks = t.intValue();
            }
        }
        Runtime.getRuntime().removeShutdownHook(cleanup);

        OUT.println("multiprocessing4j vs Python multiprocessing: locks, shared values and events across processes");
        OUT.println(context(python, loadBefore, Double.NaN, loadAverage()));
        if (python.json() != null) {
            OUT.println("python context: " + python.json().get("context"));
        }
        OUT.println();
        Report.group("Synchronisation");
        ChannelRows.printTable(OUT, rows, o.syncScenarios, SyncBench::label);
        OUT.println();
        OUT.println("Goals (issue), judged on the multiprocessing4j median:");
        ChannelRows.printGoals(OUT, rows, o.syncScenarios, SyncBench.GOALS);
        SyncBench.printIdle(OUT, settings, javaIdle, pythonIdle, pythonTicks);
        OUT.println();
        SyncBench.printNotes(OUT, settings, python.json(), javaOverlaps);
        if (javaProblem != null) {
            OUT.println(javaProblem);
        }
        if (python.problem() != null) {
            OUT.println(python.problem() + " -- only the Java rows are shown.");
        }
    }

    /**
     * The manager comparison ({@link ManagerBench}): the Java rows, then {@code managers.py}'s,
     * one table with ratios and the issue's goals.
     */
    private static void managers(Options o) throws Exception {
        double loadBefore = loadAverage();
        Thread cleanup = new Thread(PythonSide::abort, "compare-managers-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        ManagerBench.Settings settings = new ManagerBench.Settings(o.managerWarmup, o.managerRounds,
                Duration.ofMillis(o.roundMs), o.managerScenarios);
        List<ChannelRows.Row> rows = new ArrayList<>();
        String javaProblem = null;
        try {
            rows.addAll(ManagerBench.measureJava(settings, LOG));
        } catch (Exception e) {
            // Python's rows are still worth having; the failure is printed under the table.
            e.printStackTrace(LOG);
            javaProblem = "Java manager rows failed: " + e;
        }
        // The manager's server and the children must be gone before Python's rounds.
        leftBehind(Duration.ofSeconds(10));
        double loadBetween = loadAverage();
        PythonSide.Outcome python;
        if (o.python == null) {
            python = new PythonSide.Outcome(null, "Python not run (--no-python)");
        } else {
            Path script = o.pythonScript.resolveSibling("managers.py");
            LOG.printf("Python managers: %s %s, same rounds...%n", o.python, script);
            python = ManagerBench.measurePython(o.python, script, settings, o.pythonTimeout);
        }
        if (python.json() != null) {
            rows.addAll(ManagerBench.fromPython(python.json()));
        }
        Runtime.getRuntime().removeShutdownHook(cleanup);

        OUT.println("multiprocessing4j vs Python multiprocessing: managers (a dict in a server process, and over TCP)");
        OUT.println(context(python, loadBefore, Double.NaN, loadAverage()));
        OUT.printf(Locale.ROOT, "load average between the Java and the Python rounds: %.2f%n", loadBetween);
        if (python.json() != null) {
            OUT.println("python context: " + python.json().get("context"));
        }
        OUT.println();
        Report.group("Managers");
        ChannelRows.printTable(OUT, rows, o.managerScenarios, ManagerBench::label);
        OUT.println();
        OUT.println("Goals (issue), judged on the multiprocessing4j median:");
        ChannelRows.printGoals(OUT, rows, o.managerScenarios, ManagerBench.GOALS);
        OUT.println();
        ManagerBench.printNotes(OUT, settings, rows);
        if (javaProblem != null) {
            OUT.println(javaProblem);
        }
        if (python.problem() != null) {
            OUT.println(python.problem() + " -- only the Java rows are shown.");
        }
    }

    /**
     * The cluster comparison ({@link ClusterBench}): the cluster against local processes, pools
     * and shared objects and against Hazelcast's raw executor, all measured here; then, once the
     * nodes are stopped, {@code cluster_shared.py}'s rows (Python's remote {@code BaseManager})
     * for the shared objects; one table, the issue's goals and the ratios.
     */
    private static void cluster(Options o) throws Exception {
        double loadBefore = loadAverage();
        Thread cleanup = new Thread(PythonSide::abort, "compare-cluster-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        ClusterBench.Settings settings = new ClusterBench.Settings(o.clusterWarmup, o.clusterRounds,
                o.clusterProcesses, o.clusterItems, o.clusterRtSamples, Duration.ofMillis(o.clusterSharedMs),
                o.clusterScenarios);
        ClusterBench.Result result = null;
        String problem = null;
        try {
            result = ClusterBench.measure(settings, LOG);
        } catch (Exception e) {
            // Python's rows are still worth having; the failure is printed under the table.
            e.printStackTrace(LOG);
            problem = "Cluster rows failed: " + e;
        }
        // The nodes, their processes and the local pool's workers must be gone before the report
        // and before Python's rounds.
        List<ProcessHandle> left = leftBehind(Duration.ofSeconds(10));
        double loadBetween = loadAverage();
        PythonSide.Outcome python;
        if (settings.sharedScenarios().isEmpty()) {
            python = new PythonSide.Outcome(null, null);
        } else if (o.python == null) {
            python = new PythonSide.Outcome(null, "Python not run (--no-python)");
        } else {
            Path script = o.pythonScript.resolveSibling("cluster_shared.py");
            LOG.printf("Python cluster shared objects: %s %s, same rounds...%n", o.python, script);
            python = ClusterBench.measurePython(o.python, script, settings, o.pythonTimeout);
        }
        List<ChannelRows.Row> rows = new ArrayList<>(result == null ? List.of() : result.rows());
        if (python.json() != null) {
            rows.addAll(ClusterBench.fromPython(python.json()));
        }
        Runtime.getRuntime().removeShutdownHook(cleanup);

        OUT.println("multiprocessing4j cluster vs local, vs Hazelcast's raw IExecutorService and vs Python's remote"
                + " BaseManager (" + ClusterBench.NODES + " nodes on this machine)");
        OUT.println(context(python, loadBefore, Double.NaN, loadAverage()));
        if (!settings.sharedScenarios().isEmpty()) {
            OUT.printf(Locale.ROOT, "load average between the Java and the Python rounds: %.2f%n", loadBetween);
        }
        OUT.println("hazelcast: " + ClusterBench.hazelcastVersion() + " (Community), nodes and clients log SEVERE only");
        OUT.println();
        if (!rows.isEmpty()) {
            Report.group("Cluster");
            ChannelRows.printTable(OUT, rows, o.clusterScenarios, s -> ClusterBench.label(s, settings), "cluster");
            OUT.println();
            OUT.println("Goals (issue), judged on the cluster median; ratios:");
            ClusterBench.printGoals(OUT, rows, settings);
            OUT.println();
        }
        if (result != null) {
            ClusterBench.printNotes(OUT, settings, result, python.json());
        }
        if (problem != null) {
            OUT.println(problem);
        }
        if (python.problem() != null) {
            OUT.println(python.problem() + " -- only the Java rows are shown.");
        }
        if (!left.isEmpty()) {
            OUT.println("Still running 10 s after the nodes were stopped: " + left.stream()
                    .map(h -> h.pid() + " " + h.info().command().orElse("?")).collect(Collectors.joining(", ")));
        }
    }

    /** This JVM's descendants still alive after waiting at most {@code timeout} for them to end. */
    private static List<ProcessHandle> leftBehind(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<ProcessHandle> left = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                    .collect(Collectors.toList());
            if (left.isEmpty() || System.nanoTime() > deadline) {
                return left;
            }
            Thread.sleep(10);
        }
    }

    // ------------------------------------------------------------------------------ Java side

    private static void measureJava(JavaSide java, WarmJvms warm, Options o, List<Row> rows,
            List<MemoryRow> memory) throws Exception {
        ProcessContext spawn = Multiprocessing.getContext(StartMethod.SPAWN);
        List<JavaRow> javaRows = new ArrayList<>();
        javaRows.add(new JavaRow("start_to_running", SPAWN, () -> java.startToRunning(spawn, Targets.Stamp::new)));
        javaRows.add(new JavaRow("start_to_file", SPAWN, () -> java.startToFile(spawn)));
        javaRows.add(new JavaRow("start_join", SPAWN, () -> java.startJoin(spawn)));
        if (o.lambda) {
            javaRows.add(new JavaRow("start_to_running", SPAWN + ", lambda target",
                    () -> java.startToRunning(spawn, Targets::stampLambda)));
        }
        // Before anything else starts a process in this JVM (and before the FORKSERVER boots one).
        LOG.println("Java: first start+join (cold), then the FORKSERVER's first warm JVM...");
        rows.add(new Row(COLD, SPAWN, true, List.of(java.startJoin(spawn))));

        warm.reset();
        ProcessContext forkserver = Multiprocessing.getContext(StartMethod.FORKSERVER);
        javaRows.add(new JavaRow("start_to_running", FORKSERVER,
                () -> java.startToRunning(forkserver, Targets.Stamp::new)));
        javaRows.add(new JavaRow("start_to_file", FORKSERVER, () -> java.startToFile(forkserver)));
        javaRows.add(new JavaRow("start_join", FORKSERVER, () -> java.startJoin(forkserver)));
        if (o.lambda) {
            javaRows.add(new JavaRow("start_to_running", FORKSERVER + ", lambda target",
                    () -> java.startToRunning(forkserver, Targets::stampLambda)));
        }
        javaRows.removeIf(r -> !o.startupScenarios.contains(r.scenario()));

        LOG.printf("Java: %d warm-up + %d rounds of %d rows, one child JVM at a time...%n",
                o.warmup, o.rounds, javaRows.size());
        List<List<Long>> samples = new ArrayList<>();
        for (JavaRow r : javaRows) {
            samples.add(new ArrayList<>());
        }
        for (int round = 0; round < o.warmup + o.rounds; round++) {
            for (int i = 0; i < javaRows.size(); i++) {
                warm.awaitQuiet();
                long sample = javaRows.get(i).measurement().once();
                if (round >= o.warmup) {
                    samples.get(i).add(sample);
                }
            }
        }
        for (int i = 0; i < javaRows.size(); i++) {
            rows.add(new Row(javaRows.get(i).scenario(), javaRows.get(i).implementation(), true, samples.get(i)));
        }

        if (o.memorySamples > 0) {
            LOG.printf("Java: memory of %d idle warm JVMs and %d blocked children per start method...%n",
                    o.memorySamples, o.memorySamples);
            List<ProcFs.Memory> idle = new ArrayList<>();
            List<ProcFs.Memory> blockedSpawn = new ArrayList<>();
            List<ProcFs.Memory> blockedForkserver = new ArrayList<>();
            for (int i = 0; i < o.memorySamples; i++) {
                warm.reset(); // a new warm JVM each time
                idle.add(ProcFs.stableMemory(warm.awaitQuiet().get(0), Duration.ofSeconds(10)));
            }
            for (int i = 0; i < o.memorySamples; i++) {
                warm.awaitQuiet();
                blockedSpawn.add(java.blockedChild(spawn));
                warm.awaitQuiet();
                blockedForkserver.add(java.blockedChild(forkserver));
            }
            memory.add(new MemoryRow("idle_prestarted", FORKSERVER + " (idle warm JVM)", true, idle));
            memory.add(new MemoryRow("child_blocked", SPAWN, true, blockedSpawn));
            memory.add(new MemoryRow("child_blocked", FORKSERVER, true, blockedForkserver));
        }

        if (o.burst > 0) {
            LOG.printf("Java: %d bursts of %d processes per start method...%n", o.burstReps, o.burst);
            List<Long> totalSpawn = new ArrayList<>();
            List<Long> eachSpawn = new ArrayList<>();
            List<Long> totalForkserver = new ArrayList<>();
            List<Long> eachForkserver = new ArrayList<>();
            List<Integer> fromPool = new ArrayList<>();
            o.loadBeforeBursts = loadAverage();
            for (int rep = 0; rep < o.burstReps; rep++) {
                warm.awaitQuiet();
                JavaSide.Burst b = java.burst(spawn, o.burst);
                totalSpawn.add(b.totalNanos());
                eachSpawn.addAll(b.startToRunning());
                warm.reset(); // one warm JVM, as a program that has just asked for the FORKSERVER
                b = java.burst(forkserver, o.burst);
                totalForkserver.add(b.totalNanos());
                eachForkserver.addAll(b.startToRunning());
                fromPool.add(b.fromPool());
                LOG.printf(Locale.ROOT, "Java: burst %d: SPAWN %.1f s, FORKSERVER %.1f s (%d JVMs from the idle pool)%n",
                        rep + 1, totalSpawn.get(rep) / 1e9, totalForkserver.get(rep) / 1e9, b.fromPool());
            }
            o.burstFromPool = fromPool;
            rows.add(new Row("burst_total", SPAWN, true, totalSpawn));
            rows.add(new Row("burst_total", FORKSERVER, true, totalForkserver));
            rows.add(new Row("burst_start_to_running", SPAWN, true, eachSpawn));
            rows.add(new Row("burst_start_to_running", FORKSERVER, true, eachForkserver));
        }
    }

    // ------------------------------------------------------------------------------ Python side

    private static List<Row> pythonRows(Map<String, Object> json) {
        List<Row> rows = new ArrayList<>();
        Map<?, ?> results = (Map<?, ?>) json.get("results");
        results.forEach((scenario, byMethod) -> ((Map<?, ?>) byMethod).forEach((method, list) -> {
            List<Long> samples = ((List<?>) list).stream().map(v -> ((Number) v).longValue())
                    .collect(Collectors.toList());
            if (!samples.isEmpty()) {
                rows.add(new Row((String) scenario, "Python " + method, false, samples));
            }
        }));
        return rows;
    }

    private static List<MemoryRow> pythonMemoryRows(Map<String, Object> json) {
        List<MemoryRow> rows = new ArrayList<>();
        if (!(json.get("memory") instanceof Map<?, ?> memory)) {
            return rows;
        }
        memory.forEach((scenario, byMethod) -> ((Map<?, ?>) byMethod).forEach((method, list) -> {
            List<ProcFs.Memory> samples = new ArrayList<>();
            for (Object v : (List<?>) list) {
                Map<?, ?> m = (Map<?, ?>) v;
                samples.add(new ProcFs.Memory(kb(m.get("rss_kb")), kb(m.get("pss_kb")), kb(m.get("private_kb")),
                        Boolean.TRUE.equals(m.get("stable"))));
            }
            if (!samples.isEmpty()) {
                String what = "idle_prestarted".equals(scenario) ? " (server process)" : "";
                rows.add(new MemoryRow((String) scenario, "Python " + method + what, false, samples));
            }
        }));
        return rows;
    }

    private static long kb(Object v) {
        return v instanceof Number n ? n.longValue() : -1;
    }

    // ------------------------------------------------------------------------------ the tables

    private static void printTable(List<Row> rows, Options o) {
        List<String> order = new ArrayList<>(SCENARIOS);
        rows.stream().map(Row::scenario).distinct().filter(s -> !order.contains(s)).forEach(order::add);
        List<String[]> lines = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("scenario", "implementation", "n", "median", "p10", "p90",
                "min", "max"));
        for (String ref : JAVA_REFERENCES) {
            header.add(ref.substring(ref.lastIndexOf(' ') + 1) + "/this");
        }
        lines.add(header.toArray(new String[0]));
        for (String scenario : order) {
            List<Row> group = rows.stream().filter(r -> r.scenario().equals(scenario))
                    .sorted(Comparator.comparing((Row r) -> !r.java())) // Java rows first, then as measured
                    .collect(Collectors.toList());
            if (!group.isEmpty()) {
                Report.chart(scenario, label(scenario, o), "ms", true, group.stream()
                        .map(r -> new Report.Bar(r.implementation(), Stats.of(r.samples()).median() / 1e6, r.java()))
                        .toList());
            }
            List<Stats> references = new ArrayList<>();
            for (String ref : JAVA_REFERENCES) {
                references.add(group.stream().filter(r -> r.java() && r.implementation().equals(ref))
                        .findFirst().map(r -> Stats.of(r.samples())).orElse(null));
            }
            boolean first = true;
            for (Row r : group) {
                Stats s = Stats.of(r.samples());
                boolean one = s.n() == 1;
                List<String> cells = new ArrayList<>(List.of(
                        first ? label(scenario, o) : "",
                        r.implementation(),
                        String.valueOf(s.n()),
                        ms(s.median()),
                        one ? "" : ms(s.p10()),
                        one ? "" : ms(s.p90()),
                        one ? "" : ms(s.min()),
                        one ? "" : ms(s.max())));
                for (int i = 0; i < JAVA_REFERENCES.size(); i++) {
                    Stats ref = references.get(i);
                    boolean self = r.java() && r.implementation().equals(JAVA_REFERENCES.get(i));
                    cells.add(ref == null || self ? "" : String.format(Locale.ROOT, "%.1fx", ref.median() / s.median()));
                }
                lines.add(cells.toArray(new String[0]));
                first = false;
            }
        }
        printLines(lines);
    }

    private static void printMemoryTable(List<MemoryRow> rows, Options o) {
        List<String[]> lines = new ArrayList<>();
        lines.add(new String[] {"process", "implementation", "n", "VmRSS", "min", "max", "Pss", "Private"});
        for (String scenario : MEMORY) {
            List<MemoryRow> group = rows.stream().filter(r -> r.scenario().equals(scenario))
                    .sorted(Comparator.comparing((MemoryRow r) -> !r.java()))
                    .collect(Collectors.toList());
            if (!group.isEmpty()) {
                Report.chart(scenario, label(scenario, o) + " (VmRSS)", "MiB", true, group.stream()
                        .map(r -> new Report.Bar(r.implementation(), mibQuantile(r.samples(), ProcFs.Memory::rssKb, 0.5), r.java()))
                        .toList());
            }
            boolean first = true;
            for (MemoryRow r : group) {
                boolean moving = r.samples().stream().anyMatch(m -> !m.stable());
                lines.add(new String[] {
                    first ? label(scenario, o) : "",
                    r.implementation(),
                    String.valueOf(r.samples().size()),
                    mib(r.samples(), ProcFs.Memory::rssKb, 0.5) + (moving ? "*" : ""),
                    mib(r.samples(), ProcFs.Memory::rssKb, 0),
                    mib(r.samples(), ProcFs.Memory::rssKb, 1),
                    mib(r.samples(), ProcFs.Memory::pssKb, 0.5),
                    mib(r.samples(), ProcFs.Memory::privateKb, 0.5),
                });
                first = false;
            }
        }
        printLines(lines);
    }

    /** The {@code q} quantile of a memory field, in MiB; NaN where unknown. */
    private static double mibQuantile(List<ProcFs.Memory> samples, ToLongFunction<ProcFs.Memory> field, double q) {
        double[] kb = samples.stream().mapToLong(field).filter(v -> v >= 0).mapToDouble(v -> v).sorted().toArray();
        return kb.length == 0 ? Double.NaN : Stats.quantile(kb, q) / 1024;
    }

    /** As {@link #mibQuantile}, with one decimal; "?" where unknown. */
    private static String mib(List<ProcFs.Memory> samples, ToLongFunction<ProcFs.Memory> field, double q) {
        double v = mibQuantile(samples, field, q);
        return Double.isNaN(v) ? "?" : String.format(Locale.ROOT, "%.1f", v);
    }

    static void printLines(List<String[]> lines) {
        int[] width = new int[lines.get(0).length];
        for (String[] l : lines) {
            for (int i = 0; i < l.length; i++) {
                width[i] = Math.max(width[i], l[i].length());
            }
        }
        for (int li = 0; li < lines.size(); li++) {
            StringBuilder sb = new StringBuilder("|");
            for (int i = 0; i < width.length; i++) {
                String cell = lines.get(li)[i];
                boolean left = i < 2;
                String pad = " ".repeat(width[i] - cell.length());
                sb.append(' ').append(left ? cell + pad : pad + cell).append(" |");
            }
            OUT.println(sb);
            if (li == 0) {
                StringBuilder rule = new StringBuilder("|");
                for (int i = 0; i < width.length; i++) {
                    rule.append(i < 2 ? ":" : "-").append("-".repeat(width[i])).append(i < 2 ? "-|" : ":|");
                }
                OUT.println(rule);
            }
        }
    }

    /** Nanoseconds as milliseconds, to about three significant digits. */
    static String ms(double nanos) {
        double ms = nanos / 1e6;
        return String.format(Locale.ROOT, ms < 10 ? "%.2f" : ms < 1000 ? "%.1f" : "%.0f", ms);
    }

    // ------------------------------------------------------------------------------ context

    static String context(PythonSide.Outcome python, double loadBefore, double loadBeforeBursts,
            double loadAfter) {
        String py;
        if (python.json() != null && python.json().get("python") instanceof Map<?, ?> p) {
            py = "python: " + p.get("version") + " (" + p.get("implementation") + ", " + p.get("executable") + ")";
        } else {
            py = "python: not measured";
        }
        return machineAndJava(loadBefore, loadBeforeBursts, loadAfter) + "\n" + py;
    }

    /** The machine (cores, CPU, OS, load averages) and the Java runtime, two lines. */
    static String machineAndJava(double loadBefore, double loadBeforeBursts, double loadAfter) {
        String cpu = cpuModel();
        String machine = String.format(Locale.ROOT, "machine: %d cores%s, %s %s (%s), load average %.2f before, %s%.2f after",
                Runtime.getRuntime().availableProcessors(), cpu.isEmpty() ? "" : " (" + cpu + ")",
                System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("os.arch"),
                loadBefore, Double.isNaN(loadBeforeBursts) ? ""
                        : String.format(Locale.ROOT, "%.2f before the Java bursts, ", loadBeforeBursts),
                loadAfter);
        if (!Double.isNaN(loadBeforeBursts)) {
            machine += " (the bursts raise it themselves)";
        }
        String java = "java: " + System.getProperty("java.runtime.version") + " (" + System.getProperty("java.vm.name")
                + ", " + ManagementFactory.getGarbageCollectorMXBeans().get(0).getName().split(" ")[0] + " GC)";
        return machine + "\n" + java;
    }

    private static String cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse("");
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // reported by the "temporary files left" line
                }
            });
        } catch (IOException | RuntimeException ignored) {
            // idem
        }
    }

    // ------------------------------------------------------------------------------ options

    static final class Options implements Cloneable {
        static final String USAGE = String.join("\n",
                "usage: Compare [options]   (from Maven: -Dbench.args=\"options\")",
                "  --rounds N          measured Java rounds per row (default 20)",
                "  --warmup N          unmeasured Java rounds first (default 3)",
                "  --python-rounds N   measured Python rounds per row and start method (default 40)",
                "  --python-warmup N   unmeasured Python rounds first (default 3)",
                "  --methods LIST      Python start methods (default spawn,forkserver,fork)",
                "  --python CMD        the Python interpreter (default: -Dpython, else python3)",
                "  --python-script P   compare.py (default: python/compare.py or benchmarks/python/compare.py)",
                "  --no-python         Java rows only",
                "  --report DIR        also write DIR/index.html and one SVG chart per scenario (exec:exec:",
                "                      target/report)",
                "  --no-lambda         leave out the Java rows with a lambda target",
                "  --burst N           processes per burst, Java and Python (default 100; 0: no burst rows)",
                "  --burst-reps N      bursts per implementation (default 3)",
                "  --memory-samples N  idle processes whose memory is read, per row (default 3; 0: no memory table)",
                "  --python-timeout S  give up on Python after S seconds (default 600)",
                "  --startup LIST      start-up scenarios measured in rounds (default all: " + String.join(",", TIMED)
                        + ")",
                "  --other-jdk HOME    also run the start-up group's Java rounds in a second JVM from this JDK",
                "                      (its children run on it too); default: $JAVA_HOME_25, else",
                "                      /usr/lib/jvm/temurin-25-jdk-amd64, where present and not this JVM's JDK",
                "  --no-other-jdk      no second JDK",
                "  --only GROUP        run one group: startup, channels, pools, sync, managers, issue17 or cluster",
                "                      (default: all but cluster, issue17 last; cluster is opt-in, --only cluster:",
                "                      it boots 3 Hazelcast node JVMs and takes about 3.5 minutes)",
                "                      issue17: one line per line of issue 17's table (our figure, Python's, the",
                "                      ratio, the goal, met or not); alone, it measures the start-up (start_to_file,",
                "                      Python spawn and fork, memory) and pool rows it needs itself",
                "  --fresh-rounds N    issue17: measured fresh children putting ints, Java and Python (default 5)",
                "  --fresh-warmup N    issue17: unmeasured fresh children first (default 1)",
                "  --fresh-items N     issue17: ints each fresh child puts (default 200000)",
                "  --channel-rounds N  measured rounds per channel row, Java and Python (default 7)",
                "  --channel-warmup N  unmeasured channel rounds first, which size the rounds (default 4)",
                "  --round-ms MS       the least time a channel, sync or manager round should take (default 250)",
                "  --channels LIST     channel scenarios (default all: " + String.join(",", ChannelBench.SCENARIOS) + ")",
                "  --pool-rounds N     measured map and round-trip rounds, Java and Python (default 5)",
                "  --pool-warmup N     unmeasured map and round-trip rounds first (default 2)",
                "  --pool-items N      items per map round (default 100000)",
                "  --pool-rt-samples N measured round trips per pool_apply_rt row, at least (default 2500)",
                "  --pool-rt-warmup N  unmeasured round trips before them, Java and Python (default 20000)",
                "  --pool-first-rounds N  measured pools per first-result row (default 7)",
                "  --pool-first-warmup N  unmeasured pools first, per first-result row (default 2)",
                "  --pools LIST        pool scenarios (default all: " + String.join(",", PoolBench.SCENARIOS) + ")",
                "  --sync-rounds N     measured rounds per sync row, Java and Python (default 7)",
                "  --sync-warmup N     unmeasured sync rounds first, which size the rounds (default 4)",
                "  --sync-idle-samples N  idle event waiters whose CPU is read, per side (default 2; 0: none)",
                "  --sync-idle-ms MS   how long each idle waiter is watched (default 2000)",
                "  --sync LIST         sync scenarios (default all: " + String.join(",", SyncBench.SCENARIOS) + ")",
                "  --manager-rounds N  measured rounds per manager row, Java and Python (default 7)",
                "  --manager-warmup N  unmeasured manager rounds first, which size the rounds (default 4)",
                "  --managers LIST     manager scenarios (default all: " + String.join(",", ManagerBench.SCENARIOS)
                        + ")",
                "  --cluster-rounds N  measured cluster rounds, every cluster row in each (default 5)",
                "  --cluster-warmup N  unmeasured cluster rounds first (default 2)",
                "  --cluster-processes N  measured no-op processes per side, remote and local, at least (default 15)",
                "  --cluster-items N   items per map round, cluster, local and raw executor (default 20000)",
                "  --cluster-rt-samples N  measured round trips per side, cluster pool and raw executor, at least"
                        + " (default 1000)",
                "  --cluster-shared-ms MS  the least time a shared-object round should take, cluster, local and"
                        + " Python (default 1000)",
                "  --cluster LIST      cluster scenarios (default all: " + String.join(",", ClusterBench.SCENARIOS)
                        + ")");

        int rounds = 20;
        int warmup = 3;
        int pythonRounds = 40;
        int pythonWarmup = 3;
        String methods = "spawn,forkserver,fork";
        String python = System.getProperty("python", "python3");
        Path pythonScript;
        /** Where the HTML report goes (index.html and the SVG charts); null: none. */
        Path report;
        boolean lambda = true;
        int burst = 100;
        int burstReps = 3;
        int memorySamples = 3;
        boolean help;
        /** Filled in by the run, for the report. */
        double loadBeforeBursts = Double.NaN;
        List<Integer> burstFromPool;
        Duration pythonTimeout = Duration.ofSeconds(600);
        boolean startup = true;
        boolean channels = true;
        int channelRounds = 7;
        int channelWarmup = 4;
        int roundMs = 250;
        List<String> channelScenarios = ChannelBench.SCENARIOS;
        boolean pools = true;
        int poolRounds = 5;
        int poolWarmup = 2;
        int poolItems = 100_000;
        int poolRtSamples = 2500;
        int poolRtWarmup = PoolBench.RT_WARMUP;
        int poolFirstRounds = 7;
        int poolFirstWarmup = 2;
        List<String> poolScenarios = PoolBench.SCENARIOS;
        boolean sync = true;
        int syncRounds = 7;
        int syncWarmup = 4;
        int syncIdleSamples = 2;
        int syncIdleMs = 2000;
        List<String> syncScenarios = SyncBench.SCENARIOS;
        boolean managers = true;
        int managerRounds = 7;
        int managerWarmup = 4;
        List<String> managerScenarios = ManagerBench.SCENARIOS;
        /** Opt-in: three node JVMs and a raw Hazelcast run add about two minutes. */
        boolean cluster = false;
        int clusterRounds = 5;
        int clusterWarmup = 2;
        int clusterProcesses = 15;
        int clusterItems = 20_000;
        int clusterRtSamples = 1000;
        int clusterSharedMs = 1000;
        List<String> clusterScenarios = ClusterBench.SCENARIOS;
        /** The start-up scenarios measured in rounds (TIMED, or some of them). */
        List<String> startupScenarios = TIMED;
        /** Issue 17's summary group: in the default run, last. */
        boolean issue17 = true;
        int freshRounds = 5;
        int freshWarmup = 1;
        int freshItems = 200_000;
        /** The home of a second JDK whose start-up rows are measured too, or null. */
        Path otherJdk = defaultOtherJdk();
        /** Why the second JDK gave no rows, if it did not; filled in by the run. */
        String otherJdkProblem;
        /** Internal: this JVM is the second JDK's, printing its start-up rows as JSON. */
        boolean rowsJson;

        Options copy() {
            try {
                return (Options) clone();
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }

        /** JAVA_HOME_25, else /usr/lib/jvm/temurin-25-jdk-amd64, if it has a java and is not this JVM's JDK. */
        static Path defaultOtherJdk() {
            String env = System.getenv("JAVA_HOME_25");
            Path home = Path.of(env != null && !env.isBlank() ? env : "/usr/lib/jvm/temurin-25-jdk-amd64");
            return otherThanThis(home) ? home : null;
        }

        private static boolean otherThanThis(Path home) {
            if (!Files.isExecutable(home.resolve("bin").resolve("java"))) {
                return false;
            }
            try {
                return !home.toRealPath().equals(Path.of(System.getProperty("java.home")).toRealPath());
            } catch (IOException e) {
                return false;
            }
        }

        static Options parse(String[] argv) {
            Options o = new Options();
            for (int i = 0; i < argv.length; i++) {
                String a = argv[i];
                switch (a) {
                    case "--rounds" -> o.rounds = positive(a, value(argv, ++i, a));
                    case "--warmup" -> o.warmup = nonNegative(a, value(argv, ++i, a));
                    case "--python-rounds" -> o.pythonRounds = positive(a, value(argv, ++i, a));
                    case "--python-warmup" -> o.pythonWarmup = nonNegative(a, value(argv, ++i, a));
                    case "--methods" -> o.methods = value(argv, ++i, a);
                    case "--python" -> o.python = value(argv, ++i, a);
                    case "--python-script" -> o.pythonScript = Path.of(value(argv, ++i, a));
                    case "--no-python" -> o.python = null;
                    case "--report" -> o.report = Path.of(value(argv, ++i, a));
                    case "--no-lambda" -> o.lambda = false;
                    case "--burst" -> o.burst = nonNegative(a, value(argv, ++i, a));
                    case "--burst-reps" -> o.burstReps = positive(a, value(argv, ++i, a));
                    case "--memory-samples" -> o.memorySamples = nonNegative(a, value(argv, ++i, a));
                    case "--python-timeout" -> o.pythonTimeout = Duration.ofSeconds(positive(a, value(argv, ++i, a)));
                    case "--only" -> {
                        String group = value(argv, ++i, a);
                        if (!List.of("startup", "channels", "pools", "sync", "managers", "cluster", "issue17")
                                .contains(group)) {
                            throw new IllegalArgumentException("--only takes startup, channels, pools, sync, managers,"
                                    + " cluster or issue17, not '" + group + "'");
                        }
                        o.issue17 = group.equals("issue17");
                        o.startup = group.equals("startup");
                        o.channels = group.equals("channels");
                        o.pools = group.equals("pools");
                        o.sync = group.equals("sync");
                        o.managers = group.equals("managers");
                        o.cluster = group.equals("cluster");
                    }
                    case "--channel-rounds" -> o.channelRounds = positive(a, value(argv, ++i, a));
                    case "--channel-warmup" -> o.channelWarmup = nonNegative(a, value(argv, ++i, a));
                    case "--round-ms" -> o.roundMs = positive(a, value(argv, ++i, a));
                    case "--channels" -> o.channelScenarios = scenarios(value(argv, ++i, a), ChannelBench.SCENARIOS,
                            "channel");
                    case "--pool-rounds" -> o.poolRounds = positive(a, value(argv, ++i, a));
                    case "--pool-warmup" -> o.poolWarmup = nonNegative(a, value(argv, ++i, a));
                    case "--pool-items" -> o.poolItems = positive(a, value(argv, ++i, a));
                    case "--pool-rt-samples" -> o.poolRtSamples = positive(a, value(argv, ++i, a));
                    case "--pool-rt-warmup" -> o.poolRtWarmup = nonNegative(a, value(argv, ++i, a));
                    case "--pool-first-rounds" -> o.poolFirstRounds = positive(a, value(argv, ++i, a));
                    case "--pool-first-warmup" -> o.poolFirstWarmup = nonNegative(a, value(argv, ++i, a));
                    case "--pools" -> o.poolScenarios = scenarios(value(argv, ++i, a), PoolBench.SCENARIOS, "pool");
                    case "--sync-rounds" -> o.syncRounds = positive(a, value(argv, ++i, a));
                    case "--sync-warmup" -> o.syncWarmup = nonNegative(a, value(argv, ++i, a));
                    case "--sync-idle-samples" -> o.syncIdleSamples = nonNegative(a, value(argv, ++i, a));
                    case "--sync-idle-ms" -> o.syncIdleMs = positive(a, value(argv, ++i, a));
                    case "--sync" -> o.syncScenarios = scenarios(value(argv, ++i, a), SyncBench.SCENARIOS, "sync");
                    case "--manager-rounds" -> o.managerRounds = positive(a, value(argv, ++i, a));
                    case "--manager-warmup" -> o.managerWarmup = nonNegative(a, value(argv, ++i, a));
                    case "--managers" -> o.managerScenarios = scenarios(value(argv, ++i, a), ManagerBench.SCENARIOS,
                            "manager");
                    case "--cluster-rounds" -> o.clusterRounds = positive(a, value(argv, ++i, a));
                    case "--cluster-warmup" -> o.clusterWarmup = nonNegative(a, value(argv, ++i, a));
                    case "--cluster-processes" -> o.clusterProcesses = positive(a, value(argv, ++i, a));
                    case "--cluster-items" -> o.clusterItems = positive(a, value(argv, ++i, a));
                    case "--cluster-rt-samples" -> o.clusterRtSamples = positive(a, value(argv, ++i, a));
                    case "--cluster-shared-ms" -> o.clusterSharedMs = positive(a, value(argv, ++i, a));
                    case "--cluster" -> o.clusterScenarios = scenarios(value(argv, ++i, a), ClusterBench.SCENARIOS,
                            "cluster");
                    case "--startup" -> o.startupScenarios = scenarios(value(argv, ++i, a), TIMED, "start-up");
                    case "--fresh-rounds" -> o.freshRounds = positive(a, value(argv, ++i, a));
                    case "--fresh-warmup" -> o.freshWarmup = nonNegative(a, value(argv, ++i, a));
                    case "--fresh-items" -> o.freshItems = positive(a, value(argv, ++i, a));
                    case "--other-jdk" -> {
                        Path home = Path.of(value(argv, ++i, a));
                        if (!Files.isExecutable(home.resolve("bin").resolve("java"))) {
                            throw new IllegalArgumentException("--other-jdk: no bin/java in " + home);
                        }
                        o.otherJdk = otherThanThis(home) ? home : null;
                    }
                    case "--no-other-jdk" -> o.otherJdk = null;
                    case "--jvm-rows-json" -> o.rowsJson = true;
                    case "-h", "--help" -> o.help = true;
                    default -> throw new IllegalArgumentException("unknown option '" + a + "'");
                }
            }
            if (o.python != null && o.python.isBlank()) {
                o.python = "python3";
            }
            if (o.pythonScript == null) {
                o.pythonScript = Stream.of("python/compare.py", "benchmarks/python/compare.py").map(Path::of)
                        .filter(Files::isRegularFile).findFirst().orElse(Path.of("benchmarks/python/compare.py"));
            }
            return o;
        }

        /** A comma-separated list of {@code what} scenarios (ids from {@code all}), kept in table order. */
        private static List<String> scenarios(String list, List<String> all, String what) {
            List<String> wanted = Stream.of(list.split(",")).map(String::trim).filter(x -> !x.isEmpty())
                    .collect(Collectors.toList());
            for (String w : wanted) {
                if (!all.contains(w)) {
                    throw new IllegalArgumentException("unknown " + what + " scenario '" + w + "'");
                }
            }
            if (wanted.isEmpty()) {
                throw new IllegalArgumentException("the list of " + what + " scenarios needs at least one");
            }
            return all.stream().filter(wanted::contains).collect(Collectors.toList());
        }

        private static String value(String[] argv, int i, String option) {
            if (i >= argv.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return argv[i];
        }

        private static int positive(String option, String v) {
            int n = nonNegative(option, v);
            if (n == 0) {
                throw new IllegalArgumentException(option + " must be at least 1");
            }
            return n;
        }

        private static int nonNegative(String option, String v) {
            try {
                int n = Integer.parseInt(v);
                if (n >= 0) {
                    return n;
                }
            } catch (NumberFormatException ignored) {
                // below
            }
            throw new IllegalArgumentException(option + " needs a number >= 0, not '" + v + "'");
        }
    }
}
