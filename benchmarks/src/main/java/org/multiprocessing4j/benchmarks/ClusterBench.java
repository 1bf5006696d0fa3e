package org.multiprocessing4j.benchmarks;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.instance.BuildInfoProvider;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.multiprocessing4j.JvmProcess;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.ProcessContext;
import org.multiprocessing4j.ProcessLock;
import org.multiprocessing4j.ProcessPool;
import org.multiprocessing4j.ProcessQueue;
import org.multiprocessing4j.SerializableCallable;
import org.multiprocessing4j.SerializableFunction;
import org.multiprocessing4j.SharedLong;
import org.multiprocessing4j.StartMethod;
import org.multiprocessing4j.cluster.Cluster;
import org.multiprocessing4j.cluster.ClusterConfig;
import org.multiprocessing4j.cluster.internal.HazelcastSettings;

/**
 * The cluster comparison: {@code multiprocessing4j-cluster} against the same work done locally
 * and against Hazelcast's raw {@link IExecutorService}, in one run (Python only for the
 * shared objects, below). It
 * starts {@link #NODES} cluster nodes on 127.0.0.1 ({@link LocalCluster}: child JVMs of this
 * one), connects a driver ({@link Cluster}) and a plain Hazelcast client to them, and measures:
 *
 * <ul>
 * <li>{@code cluster_start_join}: {@code start()} through {@code join()} of a no-op target
 *     started through {@code cluster.context()} (a fresh JVM under the least loaded node), against
 *     a local SPAWN {@code process()} of the same target;
 * <li>{@code cluster_pool_map}: one {@code map(x -> x + 1, items)} at the default chunk size on
 *     {@code cluster.context().pool(3)} (a worker on each node), against a local SPAWN
 *     {@code pool(3)}, and against the raw executor given one {@link Targets.RawPlusOne} per
 *     item, at most {@link #IN_FLIGHT} in flight; the goal is the cluster pool at
 *     {@link #MAP_GOAL} times the raw executor's tasks/s;
 * <li>{@code cluster_task_rt}: {@code applyAsync(() -> 1).get()} on the cluster pool, one at a
 *     time, each timed, against {@code submit(callable).get()} on the raw executor.
 * </ul>
 *
 * and the cluster's shared objects, used by two processes on two nodes ({@link SharedPeer}: A
 * started through {@code cluster.context("na")}, B through {@code cluster.context("nb")}; the
 * objects made by the driver from {@code cluster.context()}), against the same work on a local
 * SPAWN context's objects by two local children, and against Python's remote {@code BaseManager}
 * ({@code benchmarks/python/cluster_shared.py}, run by {@link Compare} once the nodes are
 * stopped); the goal is the cluster at {@link #SHARED_GOAL} times Python on each row:
 *
 * <ul>
 * <li>{@code cluster_queue_int}: A puts n {@code Integer}s on {@code ctx.queue()}, B takes them;
 *     msg/s = n / (B's clock after its last take - A's clock before its first put);
 * <li>{@code cluster_queue_1k}: the same with {@code byte[1024]} items;
 * <li>{@code cluster_lock}: A and B each do n {@code lock(); unlock()} on {@code ctx.lock()};
 *     ops/s = 2n / (the later end - the earlier beginning of the two loops);
 * <li>{@code cluster_long}: A and B each do n {@code incrementAndGet()} on
 *     {@code ctx.sharedLong(0)}; ops/s as for the lock; the value must then be 2n.
 * </ul>
 *
 * The pools, the driver and the client are made once; each sub-row runs once per round, rounds
 * take turns across all of them ({@link TurnRounds}; round r of each before round r + 1 of any),
 * warm-up rounds first. The shared-object rows come after the others, in rounds of their own
 * (the same numbers of rounds), whose warm-up rounds size each sub-row's round to take at least
 * {@link Settings#sharedRound()} (it only grows). Hazelcast logs only SEVERE here and in the
 * nodes (whose standard error goes to files); every node is stopped with SIGTERM and joined at
 * the end.
 */
final class ClusterBench {
    /** Scenario ids, in table order. */
    static final List<String> SCENARIOS = List.of("cluster_start_join", "cluster_pool_map", "cluster_task_rt",
            "cluster_queue_int", "cluster_queue_1k", "cluster_lock", "cluster_long");
    /** The shared-object scenarios, in table order; ids shared with {@code cluster_shared.py}. */
    static final List<String> SHARED = List.of("cluster_queue_int", "cluster_queue_1k", "cluster_lock",
            "cluster_long");

    static final int NODES = 3;
    /** Workers of each pool: the cluster pool puts one on each node. */
    static final int WORKERS = 3;
    /** The raw executor's submissions in flight, at most. */
    static final int IN_FLIGHT = 256;
    /** The goal: the cluster pool's map at this many times the raw executor's tasks/s. */
    static final double MAP_GOAL = 10;
    /** The raw executor's name on the nodes (default configuration). */
    static final String RAW_EXECUTOR = "bench-raw";
    /** The goal for the shared objects: the cluster at this many times Python's remote manager. */
    static final double SHARED_GOAL = 2;
    /** The nodes of the shared-object rows' two processes (LocalCluster's names with prefix "n"). */
    static final String NODE_A = "na";
    static final String NODE_B = "nb";
    /** The Python rows the shared-object goal is judged against (their names start with this). */
    static final String PYTHON_MANAGER = "Python BaseManager";

    /** Sub-rows, each measured once per round, in this order. */
    private static final String START_REMOTE = "start+join remote";
    private static final String START_LOCAL = "start+join local";
    private static final String MAP_CLUSTER = "map cluster";
    private static final String MAP_LOCAL = "map local";
    private static final String MAP_RAW = "map raw";
    private static final String RT_CLUSTER = "rt cluster";
    private static final String RT_RAW = "rt raw";

    static final String REMOTE_PROCESS = "cluster: context().process(no-op), on a node";
    static final String LOCAL_PROCESS = "local: SPAWN process(no-op)";
    static final String CLUSTER_MAP = "cluster: pool(3).map(x -> x + 1, items)";
    static final String LOCAL_MAP = "local: SPAWN pool(3).map(x -> x + 1, items)";
    static final String RAW_MAP = "raw IExecutorService: 1 Callable per item, " + IN_FLIGHT + " in flight";
    static final String CLUSTER_RT = "cluster: pool.applyAsync(() -> 1).get()";
    static final String RAW_RT = "raw IExecutorService: submit(callable).get()";
    static final String CLUSTER_QUEUE = "cluster: ctx.queue(), put() on node " + NODE_A + ", take() on node " + NODE_B;
    static final String LOCAL_QUEUE = "local: SPAWN ctx.queue(), put() in one child, take() in another";
    static final String CLUSTER_LOCK = "cluster: ctx.lock(), lock(); unlock() on " + NODE_A + " and " + NODE_B;
    static final String LOCAL_LOCK = "local: SPAWN ctx.lock(), lock(); unlock() in 2 children";
    static final String CLUSTER_LONG = "cluster: ctx.sharedLong(0).incrementAndGet() on " + NODE_A + " and "
            + NODE_B;
    static final String LOCAL_LONG = "local: SPAWN ctx.sharedLong(0).incrementAndGet() in 2 children";

    /** The two sides of each shared-object row: the sub-row keys are "scenario side". */
    private static final String CLUSTER_SIDE = "cluster";
    private static final String LOCAL_SIDE = "local";
    /** A first round size (items, or loops per process) of a shared-object sub-row; warm-up rounds grow it. */
    private static final Map<String, Integer> SHARED_FIRST_GUESS = Map.of(
            "cluster_queue_int " + CLUSTER_SIDE, 1_000, "cluster_queue_1k " + CLUSTER_SIDE, 1_000,
            "cluster_lock " + CLUSTER_SIDE, 500, "cluster_long " + CLUSTER_SIDE, 500,
            "cluster_queue_int " + LOCAL_SIDE, 200_000, "cluster_queue_1k " + LOCAL_SIDE, 100_000,
            "cluster_lock " + LOCAL_SIDE, 500_000, "cluster_long " + LOCAL_SIDE, 5_000_000);
    /** Warm-up rounds added, at most, while a shared-object sub-row's round is still under 80 % of the target. */
    static final int SHARED_EXTRA_WARMUP = 1;

    /** A sub-round that takes longer than this means a lost task or a hung node. */
    private static final Duration ROUND_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration NODES_TIMEOUT = Duration.ofSeconds(120);

    /** Kept so that the level set here stays set (the logging system holds loggers weakly). */
    private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");

    private static final SerializableFunction<Integer, Integer> PLUS_ONE = Targets.plusOne();
    private static final SerializableCallable<Integer> ONE = Targets.one();

    /**
     * How many rounds and samples; {@code sharedRound}: the least time a shared-object round
     * should take (its warm-up rounds size it).
     */
    record Settings(int warmup, int rounds, int processes, int items, int rtSamples, Duration sharedRound,
            List<String> scenarios) {
        /** The shared-object scenarios among {@link #scenarios()}. */
        List<String> sharedScenarios() {
            return scenarios.stream().filter(SHARED::contains).collect(Collectors.toList());
        }

        /** Processes per side and round, so that the measured rounds start at least {@code processes}. */
        int processesPerRound() {
            return (processes + rounds - 1) / rounds;
        }

        /** Round trips per side and round, so that the measured rounds make at least {@code rtSamples}. */
        int rtPerRound() {
            return (rtSamples + rounds - 1) / rounds;
        }

        /** The default chunk size of {@code map(fn, items)} over {@link #WORKERS} workers (Python's). */
        int defaultChunksize() {
            int d = 4 * WORKERS;
            return Math.max(1, items / d + (items % d == 0 ? 0 : 1));
        }

        /** How many chunks (messages) a default-chunked map of the items makes. */
        int chunks() {
            int c = defaultChunksize();
            return (items + c - 1) / c;
        }
    }

    /**
     * The measured rows and what the notes tell about the run; {@code overlaps}: per
     * shared-object sub-row ("scenario side"), the share of each measured round during which
     * both processes' loops ran.
     */
    record Result(List<ChannelRows.Row> rows, long nodesUpNanos, List<Integer> poolNodes,
            Map<String, List<Double>> overlaps) {
    }

    private final Settings settings;
    private final PrintStream log;
    private volatile LocalCluster nodes;
    /** The shared-object rows' processes and objects, cluster and local, once started. */
    private final List<SharedSide> sides = new CopyOnWriteArrayList<>();
    private final Watchdog watchdog = new Watchdog("cluster-watchdog", ROUND_TIMEOUT,
            () -> nodes != null && nodes.anyDead() || sides.stream().anyMatch(SharedSide::anyDead));
    private final Map<String, List<Double>> overlaps = new LinkedHashMap<>();
    private Cluster cluster;
    private HazelcastInstance rawClient;
    private IExecutorService raw;
    private ProcessPool clusterPool;
    private ProcessPool localPool;
    private long nodesUpNanos;
    private List<Integer> poolNodes = List.of();

    private ClusterBench(Settings settings, PrintStream log) {
        this.settings = settings;
        this.log = log;
    }

    /** Measures the rows of {@code s.scenarios()}. */
    static Result measure(Settings s, PrintStream log) throws Exception {
        HAZELCAST_LOG.setLevel(Level.SEVERE); // before any Hazelcast client starts (it keeps a set level)
        ClusterBench bench = new ClusterBench(s, log);
        List<ChannelRows.Row> rows = Watchdog.measureThenStop(() -> {
            bench.watchdog.start();
            bench.start();
            return bench.rounds();
        }, bench::stop, "a cluster node or a shared-object process died, or a round took over "
                + ROUND_TIMEOUT.toSeconds() + " s");
        return new Result(rows, bench.nodesUpNanos, bench.poolNodes, bench.overlaps);
    }

    private boolean wants(String scenario) {
        return settings.scenarios().contains(scenario);
    }

    /** Starts the nodes, the driver, the raw client and the pools the scenarios need. */
    private void start() throws Exception {
        log.printf("Java cluster: starting %d nodes on 127.0.0.1 (child JVMs), then a driver...%n", NODES);
        long began = System.nanoTime();
        nodes = new LocalCluster(NODES, "n");
        ClusterConfig config = nodes.config();
        cluster = Cluster.connect(config);
        if (!cluster.awaitNodes(NODES, NODES_TIMEOUT)) {
            throw new IllegalStateException(NODES + " nodes did not join within " + NODES_TIMEOUT.toSeconds()
                    + " s; they logged:\n" + nodes.logs());
        }
        nodesUpNanos = System.nanoTime() - began;
        log.printf(Locale.ROOT, "Java cluster: nodes %s up, driver connected in %.1f s%n", cluster.nodes(),
                nodesUpNanos / 1e9);
        if (wants("cluster_pool_map") || wants("cluster_task_rt")) {
            rawClient = HazelcastClient.newHazelcastClient(HazelcastSettings.client(config.clusterName(),
                    config.members(), NODES_TIMEOUT, List.of()));
            raw = rawClient.getExecutorService(RAW_EXECUTOR);
            clusterPool = cluster.context().pool(WORKERS);
            // Every worker booted and running before any round.
            check("first cluster map", clusterPool.map(PLUS_ONE, range(6), 1), 6);
            poolNodes = nodesOfWorkers();
            check("first raw call", List.of(raw.submit(new Targets.RawPlusOne(0)).get()), 1);
        }
        if (wants("cluster_pool_map")) {
            localPool = Multiprocessing.getContext(StartMethod.SPAWN).pool(WORKERS);
            check("first local map", localPool.map(PLUS_ONE, range(6), 1), 6);
        }
    }

    /**
     * How many child JVMs each node JVM runs, in node order: its pool workers, when no cluster
     * process runs (a cluster pool does not list its workers' pids). Logged with their pids.
     */
    private List<Integer> nodesOfWorkers() {
        List<Integer> counts = new ArrayList<>();
        for (long pid : nodes.pids()) {
            List<ProcessHandle> children = ProcessHandle.of(pid).stream().flatMap(ProcessHandle::children)
                    .filter(ProcessHandle::isAlive)
                    .filter(h -> h.info().commandLine().orElse("").contains("ChildMain"))
                    .collect(Collectors.toList());
            counts.add(children.size());
            log.printf("Java cluster: node JVM %d runs child JVMs %s%n", pid,
                    children.stream().map(h -> String.valueOf(h.pid())).collect(Collectors.toList()));
        }
        return counts;
    }

    /** The rows of the processes and pools, then the shared-object rows, in rounds of their own. */
    private List<ChannelRows.Row> rounds() throws Exception {
        List<ChannelRows.Row> rows = new ArrayList<>(processRounds());
        if (!settings.sharedScenarios().isEmpty()) {
            rows.addAll(sharedRounds());
        }
        return rows;
    }

    private List<ChannelRows.Row> processRounds() throws Exception {
        List<String> keys = new ArrayList<>();
        Map<String, Integer> sizes = new LinkedHashMap<>();
        if (wants("cluster_start_join")) {
            sizes.put(START_REMOTE, settings.processesPerRound());
            sizes.put(START_LOCAL, settings.processesPerRound());
        }
        if (wants("cluster_pool_map")) {
            sizes.put(MAP_CLUSTER, settings.items());
            sizes.put(MAP_LOCAL, settings.items());
            sizes.put(MAP_RAW, settings.items());
        }
        if (wants("cluster_task_rt")) {
            sizes.put(RT_CLUSTER, settings.rtPerRound());
            sizes.put(RT_RAW, settings.rtPerRound());
        }
        keys.addAll(sizes.keySet());
        if (keys.isEmpty()) {
            return List.of();
        }
        List<Integer> items = range(settings.items());
        ProcessContext remote = cluster.context();
        ProcessContext local = Multiprocessing.getContext(StartMethod.SPAWN);
        log.printf("Java cluster: %d warm-up + %d rounds of %s (%d processes per side and round, %d items per map,"
                + " %d round trips per side and round)...%n", settings.warmup(), settings.rounds(), keys,
                settings.processesPerRound(), settings.items(), settings.rtPerRound());
        // A round's size is fixed: a target time of 1 ns never grows it.
        TurnRounds.Schedule schedule = new TurnRounds.Schedule(settings.warmup(), settings.rounds(),
                Duration.ofNanos(1), 0);
        TurnRounds.Result result = TurnRounds.run(keys, sizes::get, schedule, watchdog, log, "Java cluster",
                (key, n, measured) -> {
                    long began = System.nanoTime();
                    long[] samples = switch (key) {
                        case START_REMOTE -> startJoins(remote, n);
                        case START_LOCAL -> startJoins(local, n);
                        case MAP_CLUSTER -> {
                            check(key, clusterPool.map(PLUS_ONE, items), n);
                            yield null;
                        }
                        case MAP_LOCAL -> {
                            check(key, localPool.map(PLUS_ONE, items), n);
                            yield null;
                        }
                        case MAP_RAW -> {
                            check(key, rawMap(items), n);
                            yield null;
                        }
                        case RT_CLUSTER -> clusterTrips(n);
                        case RT_RAW -> rawTrips(n);
                        default -> throw new IllegalArgumentException(key);
                    };
                    long elapsed = System.nanoTime() - began;
                    return samples == null ? TurnRounds.Round.timed(elapsed) : new TurnRounds.Round(elapsed, samples,
                            key.startsWith("start") ? String.format(Locale.ROOT, " (median %.0f ms)",
                                    Stats.of(longs(samples)).median() / 1e6) : "");
                });
        Map<String, List<Long>> got = result.samples();
        List<ChannelRows.Row> rows = new ArrayList<>();
        if (wants("cluster_start_join")) {
            rows.add(ChannelRows.Row.latencyMillis("cluster_start_join", REMOTE_PROCESS, true, got.get(START_REMOTE)));
            rows.add(ChannelRows.Row.latencyMillis("cluster_start_join", LOCAL_PROCESS, false, got.get(START_LOCAL)));
        }
        if (wants("cluster_pool_map")) {
            String chunks = " (chunksize " + settings.defaultChunksize() + ")";
            rows.add(ChannelRows.Row.tasks("cluster_pool_map", CLUSTER_MAP + chunks, true, settings.items(),
                    got.get(MAP_CLUSTER)));
            rows.add(ChannelRows.Row.tasks("cluster_pool_map", LOCAL_MAP + chunks, false, settings.items(),
                    got.get(MAP_LOCAL)));
            rows.add(ChannelRows.Row.tasks("cluster_pool_map", RAW_MAP, false, settings.items(), got.get(MAP_RAW)));
        }
        if (wants("cluster_task_rt")) {
            rows.add(ChannelRows.Row.latencyP99("cluster_task_rt", CLUSTER_RT, true, got.get(RT_CLUSTER)));
            rows.add(ChannelRows.Row.latencyP99("cluster_task_rt", RAW_RT, false, got.get(RT_RAW)));
        }
        return rows;
    }

    /**
     * Two processes and the objects they share, of one context: the cluster's (A on
     * {@link #NODE_A}, B on {@link #NODE_B}) or a local SPAWN one. Each process takes commands on
     * a queue of its own and answers on another ({@link SharedPeer}).
     */
    private static final class SharedSide {
        final String name;
        final ProcessQueue<Integer> ints;
        final ProcessQueue<byte[]> kib;
        final ProcessLock lock;
        final SharedLong counter;
        final ProcessQueue<String> commandsA;
        final ProcessQueue<String> commandsB;
        final ProcessQueue<Object> answersA;
        final ProcessQueue<Object> answersB;
        volatile JvmProcess a;
        volatile JvmProcess b;

        /** Makes the objects from {@code objects}; {@link #start} starts A and B. */
        SharedSide(String name, ProcessContext objects) {
            this.name = name;
            ints = objects.queue();
            kib = objects.queue();
            lock = objects.lock();
            counter = objects.sharedLong(0);
            commandsA = objects.queue();
            commandsB = objects.queue();
            answersA = objects.queue();
            answersB = objects.queue();
        }

        /** Starts A through {@code placeA} and B through {@code placeB}, and waits until both answer. */
        void start(ProcessContext placeA, ProcessContext placeB) throws InterruptedException {
            // Each is watched (anyDead) once it has started.
            JvmProcess pa = placeA.process("shared-" + name + "-a", new SharedPeer(name + " A", commandsA, answersA,
                    ints, kib, lock, counter));
            pa.start();
            a = pa;
            JvmProcess pb = placeB.process("shared-" + name + "-b", new SharedPeer(name + " B", commandsB, answersB,
                    ints, kib, lock, counter));
            pb.start();
            b = pb;
            commandsA.put("ready");
            commandsB.put("ready");
            for (ProcessQueue<Object> answers : List.of(answersA, answersB)) {
                Object ready = answers.take();
                if (!"ready".equals(ready)) {
                    throw new IllegalStateException(name + " shared-object process answered '" + ready + "'");
                }
            }
        }

        boolean anyDead() {
            JvmProcess pa = a;
            JvmProcess pb = b;
            return pa != null && !pa.isAlive() || pb != null && !pb.isAlive();
        }

        /** Stops A and B; the failures (null when none) of each. */
        List<String> stop() throws InterruptedException {
            List<String> failures = new ArrayList<>();
            if (a != null) {
                String f = CommandedChild.stop(a, commandsA, JOIN_TIMEOUT);
                if (f != null) {
                    failures.add(a.getName() + " " + f);
                }
            }
            if (b != null) {
                String f = CommandedChild.stop(b, commandsB, JOIN_TIMEOUT);
                if (f != null) {
                    failures.add(b.getName() + " " + f);
                }
            }
            return failures;
        }
    }

    /** The shared-object rows: the cluster's and the local side's sub-rows take turns. */
    private List<ChannelRows.Row> sharedRounds() throws Exception {
        log.printf("Java cluster: shared objects: starting 2 processes on nodes %s and %s, and 2 local SPAWN"
                + " children...%n", NODE_A, NODE_B);
        SharedSide clusterSide = new SharedSide(CLUSTER_SIDE, cluster.context());
        sides.add(clusterSide);
        clusterSide.start(cluster.context(NODE_A), cluster.context(NODE_B));
        ProcessContext local = Multiprocessing.getContext(StartMethod.SPAWN);
        SharedSide localSide = new SharedSide(LOCAL_SIDE, local);
        sides.add(localSide);
        localSide.start(local, local);
        List<String> keys = new ArrayList<>();
        for (String scenario : settings.sharedScenarios()) {
            keys.add(scenario + " " + CLUSTER_SIDE);
            keys.add(scenario + " " + LOCAL_SIDE);
        }
        log.printf("Java cluster: shared objects: %d warm-up + %d rounds of at least %d ms of %s...%n",
                settings.warmup(), settings.rounds(), settings.sharedRound().toMillis(), keys);
        TurnRounds.Schedule schedule = new TurnRounds.Schedule(settings.warmup(), settings.rounds(),
                settings.sharedRound(), SHARED_EXTRA_WARMUP);
        TurnRounds.Result result = TurnRounds.run(keys, SHARED_FIRST_GUESS::get, schedule, watchdog, log,
                "Java cluster", (key, n, measured) -> {
                    String scenario = key.substring(0, key.indexOf(' '));
                    SharedSide side = key.endsWith(" " + CLUSTER_SIDE) ? clusterSide : localSide;
                    long began = System.nanoTime();
                    long[] inside = sharedRound(side, scenario, n);
                    long elapsed = System.nanoTime() - began;
                    double both = inside[1] / 1e6;
                    if (measured) {
                        overlaps.computeIfAbsent(key, k -> new ArrayList<>()).add(both);
                    }
                    return new TurnRounds.Round(elapsed, new long[] {inside[0]}, String.format(Locale.ROOT,
                            " (inside %.0f ms, overlap %.0f %%)", inside[0] / 1e6, both * 100));
                });
        Map<String, List<Long>> got = result.samples();
        List<ChannelRows.Row> rows = new ArrayList<>();
        for (String scenario : settings.sharedScenarios()) {
            String clusterKey = scenario + " " + CLUSTER_SIDE;
            String localKey = scenario + " " + LOCAL_SIDE;
            int clusterN = result.sizes().get(clusterKey);
            int localN = result.sizes().get(localKey);
            switch (scenario) {
                case "cluster_queue_int", "cluster_queue_1k" -> {
                    int bytes = scenario.endsWith("_1k") ? SharedPeer.ITEM_BYTES : 0;
                    rows.add(ChannelRows.Row.throughput(scenario, CLUSTER_QUEUE, true, clusterN, bytes,
                            got.get(clusterKey)));
                    rows.add(ChannelRows.Row.throughput(scenario, LOCAL_QUEUE, false, localN, bytes,
                            got.get(localKey)));
                }
                case "cluster_lock" -> {
                    rows.add(ChannelRows.Row.ops(scenario, CLUSTER_LOCK, true, 2L * clusterN, got.get(clusterKey)));
                    rows.add(ChannelRows.Row.ops(scenario, LOCAL_LOCK, false, 2L * localN, got.get(localKey)));
                }
                default -> {
                    rows.add(ChannelRows.Row.ops(scenario, CLUSTER_LONG, true, 2L * clusterN, got.get(clusterKey)));
                    rows.add(ChannelRows.Row.ops(scenario, LOCAL_LONG, false, 2L * localN, got.get(localKey)));
                }
            }
        }
        return rows;
    }

    /**
     * One round of {@code n} of a shared-object scenario on one side, checked afterwards: the
     * time measured by its processes (nanoseconds) and the overlap of their loops (in millionths).
     */
    private static long[] sharedRound(SharedSide side, String scenario, int n) throws InterruptedException {
        long[] first;
        long[] second;
        long inside;
        switch (scenario) {
            case "cluster_queue_int", "cluster_queue_1k" -> {
                String kind = scenario.substring("cluster_queue_".length());
                side.commandsB.put("consume_" + kind + " " + n); // the consumer first: it waits in take()
                side.commandsA.put("produce_" + kind + " " + n);
                first = answer(side, side.answersA, scenario);
                second = answer(side, side.answersB, scenario);
                inside = second[1] - first[0]; // the last take - the first put
                int left = (kind.equals("int") ? side.ints : side.kib).size();
                if (left != 0) {
                    throw new IllegalStateException(side.name + " " + scenario + ": " + left + " items left in the queue");
                }
            }
            default -> {
                boolean lock = scenario.equals("cluster_lock");
                if (!lock) {
                    side.counter.set(0);
                }
                String command = (lock ? "lock " : "incr ") + n;
                side.commandsA.put(command);
                side.commandsB.put(command);
                first = answer(side, side.answersA, scenario);
                second = answer(side, side.answersB, scenario);
                inside = Math.max(first[1], second[1]) - Math.min(first[0], second[0]);
                if (lock && side.lock.isLocked()) {
                    throw new IllegalStateException(side.name + " " + scenario + ": the lock is still held after the"
                            + " round");
                }
                long value = lock ? 2L * n : side.counter.get();
                if (value != 2L * n) {
                    throw new IllegalStateException(side.name + " " + scenario + ": 2 x " + n + " increments made "
                            + value);
                }
            }
        }
        double both = SyncBench.overlap(first[0], first[1], second[0], second[1]);
        return new long[] {inside, Math.round((Double.isNaN(both) ? 0 : both) * 1e6)};
    }

    /** A process's answer to a round's command: when its loop began and ended. */
    private static long[] answer(SharedSide side, ProcessQueue<Object> answers, String scenario)
            throws InterruptedException {
        Object answer = answers.take();
        if (!(answer instanceof long[] t) || t.length != 2) {
            throw new IllegalStateException(side.name + " " + scenario + ": a process answered '" + answer + "'");
        }
        return t;
    }

    /** {@code n} no-op processes, one after another, each timed from {@code start()} until {@code join()} returns. */
    private static long[] startJoins(ProcessContext ctx, int n) throws InterruptedException {
        long[] samples = new long[n];
        for (int i = 0; i < n; i++) {
            JvmProcess p = ctx.process(new Targets.NoOp());
            long began = System.nanoTime();
            p.start();
            boolean ended = p.join(JOIN_TIMEOUT);
            samples[i] = System.nanoTime() - began;
            if (!ended) {
                p.kill();
                p.join(JOIN_TIMEOUT);
                throw new IllegalStateException(p + " did not end within " + JOIN_TIMEOUT.toSeconds() + " s; killed");
            }
            if (p.exitCode().orElse(-1) != 0) {
                throw new IllegalStateException(p + " ended with exit code " + p.exitCode() + ", "
                        + p.exception().map(Throwable::toString).orElse("no exception"));
            }
        }
        return samples;
    }

    /** {@code n} round trips of {@code applyAsync(() -> 1).get()} on the cluster pool, each timed. */
    private long[] clusterTrips(int n) throws Exception {
        long[] trips = new long[n];
        for (int i = 0; i < n; i++) {
            long began = System.nanoTime();
            Integer v = clusterPool.applyAsync(ONE).get();
            trips[i] = System.nanoTime() - began;
            if (v == null || v != 1) {
                throw new IllegalStateException("cluster round trip " + i + " returned " + v);
            }
        }
        return trips;
    }

    /** {@code n} round trips of {@code submit(callable).get()} on the raw executor, each timed. */
    private long[] rawTrips(int n) throws Exception {
        long[] trips = new long[n];
        for (int i = 0; i < n; i++) {
            long began = System.nanoTime();
            Integer v = raw.submit(new Targets.RawPlusOne(0)).get();
            trips[i] = System.nanoTime() - began;
            if (v == null || v != 1) {
                throw new IllegalStateException("raw round trip " + i + " returned " + v);
            }
        }
        return trips;
    }

    /**
     * Every item through the raw executor, one {@link Targets.RawPlusOne} each (on a member
     * Hazelcast picks), at most {@link #IN_FLIGHT} in flight: a window of futures, the oldest
     * awaited before the next submission once it is full; the results in item order. (Releasing
     * the window from {@code submit(task, ExecutionCallback)} or from the future's
     * {@code whenComplete} instead was 1.5 to 3 times slower here: each completion then wakes
     * this thread through one of the client's threads.)
     */
    private List<Integer> rawMap(List<Integer> items) throws Exception {
        int n = items.size();
        List<Integer> results = new ArrayList<>(n);
        ArrayDeque<Future<Integer>> window = new ArrayDeque<>(IN_FLIGHT);
        for (Integer item : items) {
            if (window.size() == IN_FLIGHT) {
                results.add(window.poll().get());
            }
            window.add(raw.submit(new Targets.RawPlusOne(item)));
        }
        while (!window.isEmpty()) {
            results.add(window.poll().get());
        }
        return results;
    }

    /** That {@code got} is 1, 2, ..., n (item i is i, plus one). */
    private static void check(String what, List<Integer> got, int n) {
        if (got.size() != n) {
            throw new IllegalStateException(what + ": " + got.size() + " results for " + n + " items");
        }
        for (int i = 0; i < n; i++) {
            Integer v = got.get(i);
            if (v == null || v != i + 1) {
                throw new IllegalStateException(what + ": result " + i + " is " + v);
            }
        }
    }

    private static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().collect(Collectors.toList());
    }

    private static List<Long> longs(long[] a) {
        return Arrays.stream(a).boxed().collect(Collectors.toList());
    }

    /**
     * Stops the watchdog (before it could look at stopped nodes), the shared-object processes,
     * the pools, the raw client, the driver, then the nodes (SIGTERM, joined).
     */
    private void stop() throws Exception {
        watchdog.stop();
        List<String> failures = new ArrayList<>();
        for (SharedSide side : sides) {
            try {
                failures.addAll(side.stop());
            } catch (RuntimeException e) {
                failures.add(side.name + " shared-object processes: " + e);
            }
        }
        for (ProcessPool pool : new ProcessPool[] {clusterPool, localPool}) {
            if (pool == null) {
                continue;
            }
            try {
                pool.shutdown();
                if (!pool.join(JOIN_TIMEOUT)) {
                    pool.terminate();
                    pool.join(JOIN_TIMEOUT);
                    failures.add(pool + " did not end within " + JOIN_TIMEOUT.toSeconds() + " s of shutdown;"
                            + " terminated");
                }
            } catch (RuntimeException e) {
                failures.add(pool + ": " + e);
            }
        }
        try {
            if (rawClient != null) {
                rawClient.shutdown();
            }
            if (cluster != null) {
                cluster.close();
            }
        } finally {
            if (nodes != null) {
                nodes.stop();
            }
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("cluster benchmark: " + String.join("; ", failures));
        }
    }

    // ------------------------------------------------------------------------------ report

    /** The Hazelcast version on the class path, or "?". */
    static String hazelcastVersion() {
        try {
            return BuildInfoProvider.getBuildInfo().getVersion();
        } catch (RuntimeException | LinkageError e) {
            return "?";
        }
    }

    /** How the table names a scenario. */
    static String label(String scenario, Settings s) {
        return switch (scenario) {
            case "cluster_start_join" -> "start+join of a no-op process";
            case "cluster_pool_map" -> "map x -> x + 1, " + (s.items() % 1000 == 0 ? s.items() / 1000 + "k"
                    : String.valueOf(s.items())) + " items";
            case "cluster_task_rt" -> "one task's round trip";
            case "cluster_queue_int" -> "queue put -> take, Integer items, 2 processes";
            case "cluster_queue_1k" -> "queue put -> take, 1 KiB byte[] items, 2 processes";
            case "cluster_lock" -> "lock(); unlock() pairs, 2 processes";
            case "cluster_long" -> "shared long increments, 2 processes";
            default -> scenario;
        };
    }

    /** The goal line and the ratios, one line per scenario. */
    static void printGoals(PrintStream out, List<ChannelRows.Row> rows, Settings s) {
        for (String scenario : s.scenarios()) {
            ChannelRows.Row ours = row(rows, scenario, true, "");
            String text;
            switch (scenario) {
                case "cluster_start_join" -> {
                    ChannelRows.Row local = row(rows, scenario, false, LOCAL_PROCESS);
                    text = ours == null || local == null ? "not measured" : String.format(Locale.ROOT,
                            "no goal set; remote %s ms vs local SPAWN %s ms per process: remote / local = %.2f"
                            + " (worst: %s / %s ms)", fig(ours, ours.median()), fig(local, local.median()),
                            ours.median() / local.median(), fig(ours, ours.worst()), fig(local, local.worst()));
                }
                case "cluster_pool_map" -> {
                    ChannelRows.Row rawRow = row(rows, scenario, false, RAW_MAP);
                    ChannelRows.Row local = row(rows, scenario, false, LOCAL_MAP);
                    if (ours == null || rawRow == null) {
                        text = "goal >= " + (int) MAP_GOAL + "x the raw IExecutorService: not measured";
                    } else {
                        double limit = rawRow.median() * MAP_GOAL;
                        Report.goal(scenario, limit, ">= " + (int) MAP_GOAL + "x the raw IExecutorService");
                        boolean median = ours.median() >= limit;
                        boolean worst = ours.worst() >= limit;
                        text = String.format(Locale.ROOT, "goal >= %dx the raw IExecutorService = %s tasks/s: %s"
                                + " (median %s tasks/s = %.1fx raw, worst round %s%s) [raw here: %s tasks/s%s]",
                                (int) MAP_GOAL, fig(ours, limit), median ? "MET" : "MISSED", fig(ours, ours.median()),
                                ours.median() / rawRow.median(), fig(ours, ours.worst()),
                                worst == median ? "" : worst ? " also meets it" : " misses it",
                                fig(rawRow, rawRow.median()), local == null ? "" : String.format(Locale.ROOT,
                                        "; local pool(3) here: %s tasks/s, cluster / local = %.2f",
                                        fig(local, local.median()), ours.median() / local.median()));
                    }
                }
                case "cluster_queue_int", "cluster_queue_1k", "cluster_lock", "cluster_long" ->
                    text = sharedGoal(rows, scenario);
                default -> {
                    ChannelRows.Row rawRow = row(rows, scenario, false, RAW_RT);
                    text = ours == null || rawRow == null ? "not measured" : String.format(Locale.ROOT,
                            "no goal set; cluster pool %s µs (p99 %s) vs raw executor %s µs (p99 %s):"
                            + " cluster / raw = %.2f", fig(ours, ours.median()), fig(ours, ours.worst()),
                            fig(rawRow, rawRow.median()), fig(rawRow, rawRow.worst()),
                            ours.median() / rawRow.median());
                }
            }
            out.printf(Locale.ROOT, "  %-18s %s%n", scenario, text);
        }
    }

    /** The goal line of a shared-object row: the cluster's median against Python's remote manager's, and the local one. */
    private static String sharedGoal(List<ChannelRows.Row> rows, String scenario) {
        ChannelRows.Row ours = row(rows, scenario, true, "");
        ChannelRows.Row python = row(rows, scenario, false, PYTHON_MANAGER);
        ChannelRows.Row local = row(rows, scenario, false, "local");
        String target = String.format(Locale.ROOT, ">= %sx Python's remote BaseManager", fmt(SHARED_GOAL));
        String goal = "goal " + target;
        if (ours == null) {
            return goal + ": not measured";
        }
        String unit = ours.unit();
        String localText = local == null ? "" : String.format(Locale.ROOT, "; local SPAWN here: %s %s,"
                + " cluster / local = %s", fig(local, local.median()), unit,
                ChannelRows.ratio(ours.median() / local.median()));
        if (python == null) {
            return String.format(Locale.ROOT, "%s: not judged, Python not measured (median %s %s, worst round %s)%s",
                    goal, fig(ours, ours.median()), unit, fig(ours, ours.worst()), localText);
        }
        double limit = python.median() * SHARED_GOAL;
        Report.goal(scenario, limit, target);
        boolean median = ours.median() >= limit;
        boolean worst = ours.worst() >= limit;
        return String.format(Locale.ROOT, "%s = %s %s: %s (median %s %s = %s Python, worst round %s%s)"
                + " [Python here: %s %s%s]", goal, fig(python, limit), unit, median ? "MET" : "MISSED",
                fig(ours, ours.median()), unit, ChannelRows.ratio(ours.median() / python.median()),
                fig(ours, ours.worst()), worst == median ? "" : worst ? " also meets it" : " misses it",
                fig(python, python.median()), unit, localText);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    private static ChannelRows.Row row(List<ChannelRows.Row> rows, String scenario, boolean ours, String prefix) {
        return rows.stream().filter(r -> r.scenario().equals(scenario) && r.java() == ours
                && r.implementation().startsWith(prefix)).findFirst().orElse(null);
    }

    private static String fig(ChannelRows.Row r, double v) {
        return ChannelRows.figure(r, v);
    }

    /** What the table's figures mean, printed under it. */
    static void printNotes(PrintStream out, Settings s, Result result, Map<String, Object> python) {
        out.printf(Locale.ROOT, "Setup: %d cluster nodes (ClusterNode, Hazelcast member + agent) on 127.0.0.1, each a"
                + " child JVM of this one with ClusterNode.JVM_OPTIONS,%n  up and joined by the driver in %.1f s"
                + " (not measured); the driver (Cluster.connect) and a plain Hazelcast client run in this JVM.%n",
                NODES, result.nodesUpNanos() / 1e9);
        List<String> processRows = s.scenarios().stream().filter(x -> !SHARED.contains(x)).toList();
        if (!processRows.isEmpty()) {
            out.printf(Locale.ROOT, "The sub-rows of %s take turns, round by round: %d warm-up rounds, then %d"
                    + " measured rounds.%n", String.join(", ", processRows), s.warmup(), s.rounds());
        }
        if (s.scenarios().contains("cluster_start_join")) {
            out.printf(Locale.ROOT, "start+join: wall time of start() through join() of a no-op target, one process at a"
                    + " time, %d per side and round;%n  n = processes, worst = slowest. Remote: cluster.context()"
                    + " (the least loaded node boots a fresh JVM); local: a SPAWN JVM.%n", s.processesPerRound());
        }
        if (s.scenarios().contains("cluster_pool_map")) {
            out.printf(Locale.ROOT, "map: one map call over %d prebuilt ints, timed until the result list is complete,"
                    + " then checked (item i is i + 1);%n  tasks/s = items / round time; n = rounds; worst/best"
                    + " round. Cluster and local: map(fn, items), default chunks = ceil(n / (4 x %d))%n  = %d items"
                    + " per message, %d messages. Raw: one Callable (x + 1, Serializable) per item through"
                    + " IExecutorService.submit(task),%n  at most %d in flight (a window of futures, the oldest awaited"
                    + " first), on members Hazelcast picks (executor \"%s\", default configuration).%n", s.items(),
                    WORKERS, s.defaultChunksize(), s.chunks(), IN_FLIGHT, RAW_EXECUTOR);
        }
        if (!result.poolNodes().isEmpty()) {
            out.println("  Cluster pool workers per node (children of each node JVM after the first map): " + result.poolNodes() + ".");
        }
        result.rows().stream().filter(r -> r.scenario().equals("cluster_pool_map") && r.java()).findFirst()
                .ifPresent(r -> out.printf(Locale.ROOT, "  Cluster map: %.1f ms per round (median) for %d chunks,"
                        + " %d workers: %.1f ms per chunk per worker, %.2f µs per item.%n",
                        s.items() / r.median() * 1e3, s.chunks(), WORKERS,
                        s.items() / r.median() * 1e3 * WORKERS / s.chunks(), 1e6 / r.median()));
        if (s.scenarios().contains("cluster_task_rt")) {
            out.printf(Locale.ROOT, "round trip: one task at a time, each timed and checked; %d per side and round,"
                    + " n = round trips of the measured rounds; worst = 99th percentile.%n", s.rtPerRound());
        }
        String means = result.rows().stream().filter(r -> r.scenario().equals("cluster_task_rt"))
                .map(r -> String.format(Locale.ROOT, "%s %.0f µs", r.java() ? "cluster" : "raw",
                        r.latencyNanos().stream().mapToLong(Long::longValue).average().orElse(Double.NaN) / 1e3))
                .collect(Collectors.joining(", "));
        if (!means.isEmpty()) {
            out.println("  Mean round trip: " + means + ".");
        }
        printSharedNotes(out, s, result, python);
        out.println("cluster x = how many times better the cluster row is than this row (throughput: cluster/this;"
                + " latency: this/cluster; > 1: the cluster is better).");
    }

    /** What the shared-object rows' figures mean; {@code python}: cluster_shared.py's JSON, or null. */
    private static void printSharedNotes(PrintStream out, Settings s, Result result, Map<String, Object> python) {
        if (s.sharedScenarios().isEmpty()) {
            return;
        }
        out.printf(Locale.ROOT, "Shared objects: two processes, A and B, started once per side and kept (they take"
                + " commands on a queue of their own);%n  cluster: A through cluster.context(\"%s\"), B through"
                + " cluster.context(\"%s\"), the objects made by the driver from%n  cluster.context() (Hazelcast"
                + " keeps each on the member owning its partition, with one backup); local: two SPAWN%n  children,"
                + " objects of Multiprocessing.getContext(SPAWN). Times are taken inside A and B (System.nanoTime(),"
                + " CLOCK_MONOTONIC,%n  one clock for every process here): queue = B's clock after its last take -"
                + " A's before its first put, over n items%n  (checked: in order, 1 KiB items by their first and"
                + " last byte); lock, long = the later end - the earlier beginning of%n  the two loops of n each,"
                + " ops = 2n (the long then checked to be 2n). %d to %d warm-up rounds size each sub-row's round to"
                + "%n  >= %d ms; then %d measured rounds: median, worst and best round.%n", NODE_A, NODE_B,
                s.warmup(), s.warmup() + SHARED_EXTRA_WARMUP, s.sharedRound().toMillis(), s.rounds());
        List<String> costs = new ArrayList<>();
        for (ChannelRows.Row r : result.rows()) {
            if (r.java() && s.sharedScenarios().contains(r.scenario())) {
                double micros = 1e6 / r.median();
                boolean queue = r.scenario().startsWith("cluster_queue_");
                costs.add(String.format(Locale.ROOT, "%s %s µs per %s%s", r.scenario(), micro(micros),
                        queue ? "item" : r.scenario().equals("cluster_lock") ? "pair" : "increment",
                        queue ? "" : " (" + micro(2 * micros) + " µs in each process)"));
            }
        }
        if (!costs.isEmpty()) {
            out.println("  Cluster, time per item or operation at the median rate (both processes together): "
                    + String.join(", ", costs) + ".");
        }
        Map<?, ?> theirs = python != null && python.get("overlap") instanceof Map<?, ?> m ? m : Map.of();
        List<String> both = new ArrayList<>();
        for (String scenario : s.sharedScenarios()) {
            Object p = theirs.get(scenario);
            both.add(scenario + ": cluster " + medianPercent(result.overlaps().get(scenario + " " + CLUSTER_SIDE))
                    + ", local " + medianPercent(result.overlaps().get(scenario + " " + LOCAL_SIDE)) + ", Python "
                    + medianPercent(p instanceof List<?> l ? l : null));
        }
        out.println("  Both loops running, share of the round (median over the rounds): " + String.join("; ", both)
                + ".");
        out.println("Python: cluster_shared.py, fork context, after the nodes were stopped: a BaseManager's"
                + " get_server().serve_forever() on 127.0.0.1:0");
        out.println("  (random 32-byte key) in one process serving a queue.Queue per item kind, a threading.Lock"
                + " (AcquirerProxy) and a");
        out.println("  Counter whose increment() does += 1 under the server's own threading.Lock (one call per"
                + " increment); two client");
        out.println("  processes connect() with the address and key and run the same loops through the proxies,"
                + " timed inside with perf_counter_ns.");
    }

    private static String micro(double micros) {
        return String.format(Locale.ROOT, micros < 10 ? "%.2f" : "%.0f", micros);
    }

    /** The median of a list of shares, as a percentage; "-" if none. */
    private static String medianPercent(List<?> shares) {
        if (shares == null || shares.isEmpty()) {
            return "-";
        }
        double[] v = shares.stream().mapToDouble(x -> ((Number) x).doubleValue()).sorted().toArray();
        return String.format(Locale.ROOT, "%.0f %%", Stats.quantile(v, 0.5) * 100);
    }

    // ------------------------------------------------------------------------------ Python side

    /** Runs {@code cluster_shared.py} for the shared-object scenarios and returns its JSON, or why there is none. */
    static PythonSide.Outcome measurePython(String python, Path script, Settings s, Duration timeout)
            throws InterruptedException {
        return PythonSide.runRounds(python, script, s.warmup(), s.rounds(), s.sharedRound(), s.sharedScenarios(),
                timeout);
    }

    /** The rows of {@code cluster_shared.py}'s JSON. */
    static List<ChannelRows.Row> fromPython(Map<String, Object> json) {
        return ChannelRows.fromPython(json);
    }
}
