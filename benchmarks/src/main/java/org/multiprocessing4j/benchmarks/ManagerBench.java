package org.multiprocessing4j.benchmarks;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.multiprocessing4j.JvmProcess;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.PipeConnection;
import org.multiprocessing4j.ProcessContext;
import org.multiprocessing4j.ProcessManager;
import org.multiprocessing4j.ProcessPipe;
import org.multiprocessing4j.SerializableRunnable;

/**
 * The manager comparison: {@link ProcessManager} against Python's {@code Manager()} and a remote
 * {@code BaseManager} ({@code benchmarks/python/managers.py}), in one run, Java first, then
 * Python on a quiet machine.
 *
 * <ul>
 * <li>{@code manager_dict_ops}: {@code ProcessManager.start()} and its {@code dict()}; a child
 *     JVM whose target captured the proxy does n times {@code put(k, i); get(k)} (2n calls, one
 *     thread) and times its loop; Python: {@code Manager().dict()} from a forked child,
 *     {@code d[k] = i; d.get(k)}.
 * <li>{@code manager_call_rt}: the same child times each of n single {@code d.get(0)} calls.
 * <li>{@code manager_remote_ops}: this JVM serves a manager on 127.0.0.1 (port 0, a random
 *     32-byte authkey) with {@code ProcessManager.serve}; a child JVM that gets only the address
 *     and the key connects ({@code ProcessManager.connect(address, key).dict("d")}) and does what
 *     {@code manager_dict_ops} does over TCP; Python: a process running
 *     {@code get_server().serve_forever()} of a {@code BaseManager} with
 *     {@code register('get_dict', callable=lambda: shared_dict, proxytype=DictProxy)}, and a
 *     child that {@code connect()}s with the address and key.
 * </ul>
 * Each child ({@link ManagerPeer}) is started once and takes commands on a control pipe. Each
 * scenario first runs warm-up rounds (same children, so every JIT warms up), which size the
 * round (it only grows) to take at least the round time; rounds take turns across the scenarios
 * (round r of each before round r+1 of any), as in {@code managers.py}.
 */
final class ManagerBench {
    /** Scenario ids, in table order; shared with {@code managers.py}. */
    static final List<String> SCENARIOS = List.of("manager_dict_ops", "manager_call_rt", "manager_remote_ops");

    static final String LOCAL_OPS = "ProcessManager dict(): put(k, i); get(k)";
    static final String LOCAL_RT = "ProcessManager dict(): get(k)";
    static final String REMOTE_OPS = "serve/connect over TCP: put(k, i); get(k)";

    /** The name of the served map. */
    static final String REMOTE_DICT = "d";

    /** A first round size (put+get pairs, or single calls); warm-up rounds grow it. */
    private static final Map<String, Integer> FIRST_GUESS = Map.of("manager_dict_ops", 2_000,
            "manager_call_rt", 4_000, "manager_remote_ops", 2_000);
    /** Warm-up rounds added, at most, while some scenario's round is still shorter than 80 % of the target. */
    static final int EXTRA_WARMUP = 6;
    /** A round that takes longer than this means a hung child or server. */
    private static final Duration ROUND_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(30);

    /** How many rounds, how long each should at least take. */
    record Settings(int warmup, int rounds, Duration round, List<String> scenarios) {
        boolean local() {
            return scenarios.contains("manager_dict_ops") || scenarios.contains("manager_call_rt");
        }

        boolean remote() {
            return scenarios.contains("manager_remote_ops");
        }
    }

    /** The goals, judged on the Java median. */
    static final List<ChannelRows.Goal> GOALS = List.of(
            ChannelRows.Goal.timesBetter("manager_dict_ops", "Python Manager().dict()", 10,
                    ">= 10x Python's Manager().dict()", "Python ~15.7 k ops/s, so >= ~157 k ops/s"),
            new ChannelRows.Goal("manager_call_rt", 20, "<= 20 µs median", "Python Manager().dict() op ~23 k/s"),
            ChannelRows.Goal.timesBetter("manager_remote_ops", "Python BaseManager", 3,
                    ">= 3x Python's remote BaseManager", "no Python figure quoted"));

    /** How the table names a scenario. */
    static String label(String scenario) {
        return switch (scenario) {
            case "manager_dict_ops" -> "dict put/get from a child, 1 thread";
            case "manager_call_rt" -> "one proxy call (get), round trip";
            case "manager_remote_ops" -> "remote dict put/get, TCP loopback";
            default -> scenario;
        };
    }

    private final Settings settings;
    private final PrintStream log;
    private volatile Peer local;
    private volatile Peer remote;
    /** Interrupts the measuring thread if a child dies or a round takes too long. */
    private final Watchdog watchdog = new Watchdog("manager-watchdog", ROUND_TIMEOUT,
            () -> local != null && !local.process().isAlive() || remote != null && !remote.process().isAlive());
    private ProcessManager manager;
    private ProcessManager served;

    /** A child and this JVM's end of its control pipe. */
    private record Peer(JvmProcess process, PipeConnection control) {
        static Peer start(ProcessContext ctx, String name, Function<PipeConnection, SerializableRunnable> target)
                throws InterruptedException {
            ProcessPipe pipe = ctx.pipe(true);
            JvmProcess p = ctx.process(name, target.apply(pipe.second()));
            p.start();
            Peer peer = new Peer(p, pipe.first());
            peer.control.send("ready");
            Object ready = peer.control.recv();
            if (!"ready".equals(ready)) {
                throw new IllegalStateException(name + " answered '" + ready + "'");
            }
            // The child has attached its end: now only it holds it, so its death shows here as
            // end-of-file instead of a wait forever.
            pipe.second().close();
            return peer;
        }

        /** Stops the child ({@link CommandedChild#stop}); null if it ended well, else what went wrong. */
        String stop() throws InterruptedException {
            String name = process.getName();
            String failure = CommandedChild.stop(process, control, JOIN_TIMEOUT);
            return failure == null ? null : name + " " + failure;
        }
    }

    private ManagerBench(Settings settings, PrintStream log) {
        this.settings = settings;
        this.log = log;
    }

    /** Starts the manager, the server and the children that {@code settings.scenarios()} need. */
    private void start() throws InterruptedException {
        ProcessContext ctx = Multiprocessing.getContext();
        if (settings.local()) {
            manager = ProcessManager.start();
            ConcurrentMap<Integer, Integer> d = manager.dict();
            local = Peer.start(ctx, "manager-peer", control -> ManagerPeer.local(control, d));
        }
        if (settings.remote()) {
            byte[] authkey = new byte[32];
            new SecureRandom().nextBytes(authkey);
            served = ProcessManager.serve(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), authkey);
            InetSocketAddress address = (InetSocketAddress) served.address().orElseThrow();
            if (!address.getAddress().isLoopbackAddress()) {
                throw new IllegalStateException("the served manager listens on " + address + ", not on loopback");
            }
            served.dict(REMOTE_DICT); // made here, before the client asks for it by name
            log.println("Java managers: serving at " + address);
            remote = Peer.start(ctx, "remote-manager-peer",
                    control -> ManagerPeer.remote(control, address, authkey, REMOTE_DICT));
        }
    }

    /** Measures the Java rows. */
    static List<ChannelRows.Row> measureJava(Settings s, PrintStream log) throws Exception {
        ManagerBench bench = new ManagerBench(s, log);
        return Watchdog.measureThenStop(() -> {
            bench.watchdog.start();
            bench.start();
            return bench.measure();
        }, bench::stop, "a manager benchmark child died, or a round took over " + ROUND_TIMEOUT.toSeconds() + " s");
    }

    private List<ChannelRows.Row> measure() throws Exception {
        log.printf("Java managers: %d warm-up + %d rounds of at least %d ms per scenario...%n",
                settings.warmup(), settings.rounds(), settings.round().toMillis());
        TurnRounds.Schedule schedule = new TurnRounds.Schedule(settings.warmup(), settings.rounds(), settings.round(),
                EXTRA_WARMUP);
        TurnRounds.Result result = TurnRounds.run(settings.scenarios(), FIRST_GUESS::get, schedule, watchdog, log,
                "Java managers", (scenario, n, measured) -> {
                    long began = System.nanoTime();
                    if (scenario.equals("manager_call_rt")) {
                        long[] trips = ask(local, "rt", n, long[].class);
                        if (trips.length != n) {
                            throw new IllegalStateException(scenario + ": " + trips.length + " samples, not " + n);
                        }
                        return new TurnRounds.Round(System.nanoTime() - began, trips, "");
                    }
                    // The child's own time of its loop is the sample; the round's time sizes the next.
                    long loop = ask(scenario.equals("manager_dict_ops") ? local : remote, "ops", n, Long.class);
                    return new TurnRounds.Round(System.nanoTime() - began, new long[] {loop}, "");
                });
        List<ChannelRows.Row> rows = new ArrayList<>();
        for (String scenario : settings.scenarios()) {
            List<Long> got = result.samples().get(scenario);
            long ops = 2L * result.sizes().get(scenario);
            rows.add(switch (scenario) {
                case "manager_dict_ops" -> ChannelRows.Row.ops(scenario, LOCAL_OPS, true, ops, got);
                case "manager_call_rt" -> ChannelRows.Row.latencyP99(scenario, LOCAL_RT, true, got);
                default -> ChannelRows.Row.ops(scenario, REMOTE_OPS, true, ops, got);
            });
        }
        return rows;
    }

    /** Sends a command to a child and returns its answer, which must be a {@code type}. */
    private static <T> T ask(Peer peer, String command, int n, Class<T> type) throws InterruptedException {
        peer.control().send(command + " " + n);
        Object answer = peer.control().recv();
        if (!type.isInstance(answer)) {
            throw new IllegalStateException(peer.process().getName() + " answered '" + answer + "' to '" + command
                    + " " + n + "'");
        }
        return type.cast(answer);
    }

    /**
     * Stops the watchdog (before it could look at a closed child), the children, then the served
     * manager, then the local one; throws if a child failed.
     */
    private void stop() throws InterruptedException {
        watchdog.stop();
        List<String> failures = new ArrayList<>();
        try {
            for (Peer p : new Peer[] {local, remote}) {
                String failure = p == null ? null : p.stop();
                if (failure != null) {
                    failures.add(failure);
                }
            }
        } finally {
            if (served != null) {
                served.close();
            }
            if (manager != null) {
                manager.close();
            }
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("manager benchmark children: " + String.join("; ", failures));
        }
    }

    // ------------------------------------------------------------------------------ Python side

    /** Runs {@code managers.py} with the same settings and returns its JSON, or why there is none. */
    static PythonSide.Outcome measurePython(String python, Path script, Settings s, Duration timeout)
            throws InterruptedException {
        return PythonSide.runRounds(python, script, s.warmup(), s.rounds(), s.round(), s.scenarios(), timeout);
    }

    /** The rows of {@code managers.py}'s JSON; a round trip's worst is its 99th percentile. */
    static List<ChannelRows.Row> fromPython(Map<String, Object> json) {
        return ChannelRows.fromPython(json, ChannelRows.Row::latencyP99);
    }

    // ------------------------------------------------------------------------------ report

    /** The notes under the manager table. */
    static void printNotes(PrintStream out, Settings s, List<ChannelRows.Row> rows) {
        out.printf(Locale.ROOT, "put/get: the child does n times put(k, i); get(k) (checked; k = i %% %d), 2n calls"
                + " from one thread, and times its loop;%n  %d to %d warm-up rounds (the same children; they size the"
                + " round to >= %d ms), then n measured rounds:%n  median, worst and best round. ops/s: calls per"
                + " second.%n", ManagerPeer.KEYS, s.warmup(), s.warmup() + EXTRA_WARMUP, s.round().toMillis());
        out.println("Round trip: the child times each single get(0) call; n = calls; worst = 99th percentile.");
        String means = rows.stream().filter(r -> r.scenario().equals("manager_call_rt"))
                .map(r -> String.format(Locale.ROOT, "%s %.2f µs", r.java() ? "ours" : "Python",
                        r.latencyNanos().stream().mapToLong(Long::longValue).average().orElse(Double.NaN) / 1e3))
                .collect(Collectors.joining(", "));
        if (!means.isEmpty()) {
            out.println("  Mean round trip (what a loop of calls pays, the slow tail included): " + means + ".");
        }
        out.println("ours x = how many times better multiprocessing4j is than this row (throughput: ours/this;"
                + " latency: this/ours).");
        out.println("Java: ProcessManager.start() (a server JVM, default start method); the child captured the proxy"
                + " in its target.");
        out.println("  Remote: ProcessManager.serve(127.0.0.1:0, random 32-byte key) in this JVM; a child JVM given"
                + " only the address");
        out.println("  and key runs ProcessManager.connect(address, key).dict(\"d\").");
        out.println("Python: managers.py, fork context, timed inside with perf_counter_ns: Manager().dict() used from a"
                + " child;");
        out.println("  remote: a BaseManager's get_server().serve_forever() on 127.0.0.1:0 in one process,"
                + " register('get_dict',");
        out.println("  callable=lambda: shared_dict, proxytype=DictProxy), connect() from a child with the address"
                + " and a random key.");
    }
}
