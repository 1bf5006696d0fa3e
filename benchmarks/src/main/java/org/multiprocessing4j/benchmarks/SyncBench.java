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
import org.multiprocessing4j.JvmProcess;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.PipeConnection;
import org.multiprocessing4j.ProcessContext;
import org.multiprocessing4j.ProcessEvent;
import org.multiprocessing4j.ProcessLock;
import org.multiprocessing4j.ProcessPipe;
import org.multiprocessing4j.SharedLong;

/**
 * The synchronization comparison: {@link SharedLong}, {@link ProcessLock},
 * {@link org.multiprocessing4j.ProcessReentrantLock} and {@link ProcessEvent} against Python's
 * {@code Value}, {@code Lock}, {@code RLock} and {@code Event} ({@code benchmarks/python/sync.py}),
 * in one run, Java first, then Python on a quiet machine.
 *
 * <p>Two processes on each side: this one (the parent) and one child started once
 * ({@link SyncPeer}), which takes commands on a duplex control pipe.
 * <ul>
 * <li>{@code sync_locked_increment}: the parent and the child each do n times
 *     {@code lock(); v.set(v.get() + 1); unlock()} on a {@code SharedLong} with its own lock
 *     ({@code getLock()}); Python: {@code with v.get_lock(): v.value += 1} on {@code Value('q', 0)}.
 *     A round runs from the command to the child until both are done; then the value must be
 *     exactly 2n.
 * <li>{@code sync_uncontended_lock}, {@code sync_uncontended_rlock}: the parent alone, n
 *     {@code lock()}/{@code unlock()} pairs on a {@code ProcessLock} / {@code ProcessReentrantLock}
 *     (Python: {@code acquire()}/{@code release()} on {@code Lock} / {@code RLock}).
 * <li>{@code sync_atomic_increment}: both processes each do n {@code incrementAndGet()}; the
 *     value must be exactly 2n. Python has no lock-free shared increment: its rows are the locked
 *     {@code +=} (the rounds of {@code sync_locked_increment}) and, as a curiosity, the unlocked
 *     {@code v.value += 1} on {@code Value('q', 0, lock=False)}, which loses increments.
 * <li>{@code sync_event_pingpong}: two events; the parent sets {@code ping} and awaits
 *     {@code pong}, then clears it; the child awaits {@code ping}, clears it and sets
 *     {@code pong}. Each round trip is one sample; the child counts the pings it served.
 * </ul>
 * Each scenario first runs warm-up rounds (same child, so both JITs warm up), which size the
 * round (it only grows) to take at least the round time; rounds take turns across the scenarios
 * (round r of each before round r+1 of any), as in {@code sync.py}. Last, the idle samples: the
 * child waits in {@code event.await()} while the parent reads the CPU ticks of its waiting thread
 * and of its whole JVM from {@code /proc} over the idle time.
 */
final class SyncBench {
    /** Scenario ids, in table order; shared with {@code sync.py}. */
    static final List<String> SCENARIOS = List.of("sync_locked_increment", "sync_uncontended_lock",
            "sync_uncontended_rlock", "sync_atomic_increment", "sync_event_pingpong");

    static final String LOCKED = "SharedLong, getLock(): lock(); set(get() + 1); unlock()";
    static final String LOCK = "ProcessLock lock(); unlock()";
    static final String RLOCK = "ProcessReentrantLock lock(); unlock()";
    static final String ATOMIC = "SharedLong incrementAndGet()";
    static final String EVENTS = "ProcessEvent set(); await(); clear()";

    /** The Python row the two increment goals are judged against (its name starts with this). */
    static final String PYTHON_LOCKED = "Python Value('q'), with get_lock(): value += 1";

    /** A first round size (per process); warm-up rounds grow it. */
    private static final Map<String, Integer> FIRST_GUESS = Map.of("sync_locked_increment", 100_000,
            "sync_uncontended_lock", 200_000, "sync_uncontended_rlock", 200_000, "sync_atomic_increment", 500_000,
            "sync_event_pingpong", 2_000);
    /** Warm-up rounds added, at most, while some scenario's round is still shorter than 80 % of the target. */
    static final int EXTRA_WARMUP = 6;
    /** A round that takes longer than this means a lost wake-up or a hung child. */
    private static final Duration ROUND_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(30);
    /** How long the idle child waits before its CPU ticks are read: its spinning and yielding are over. */
    private static final Duration IDLE_SETTLE = Duration.ofMillis(300);
    /** Linux's USER_HZ, the unit of /proc's CPU times (100 on every mainstream architecture). */
    static final int TICKS_PER_SECOND = 100;

    /** How many rounds, how long each should at least take; idle samples and their length. */
    record Settings(int warmup, int rounds, Duration round, List<String> scenarios, int idleSamples,
            Duration idle) {
    }

    /** CPU ticks used over one idle sample: by the waiting thread, and by its whole process. */
    record Idle(long threadTicks, long processTicks, long nanos) {
    }

    /** The rows of one side, with its idle samples and the overlaps of its 2-process rounds. */
    record Result(List<ChannelRows.Row> rows, List<Idle> idle, Map<String, List<Double>> overlaps) {
    }

    /** The goals, judged on the Java median. */
    static final List<ChannelRows.Goal> GOALS = List.of(
            ChannelRows.Goal.timesBetter("sync_locked_increment", PYTHON_LOCKED, 5,
                    ">= 5x Python's locked +=", "Python ~1.04 M/s, so >= ~5 M/s"),
            ChannelRows.Goal.timesBetter("sync_atomic_increment", PYTHON_LOCKED, 20,
                    ">= 20x Python's locked +=", "Python ~1.04 M/s, so >= ~21 M/s"));

    /** How the table names a scenario. */
    static String label(String scenario) {
        return switch (scenario) {
            case "sync_locked_increment" -> "+= 1 under the value's lock, 2 processes";
            case "sync_uncontended_lock" -> "lock + unlock, 1 process, uncontended";
            case "sync_uncontended_rlock" -> "reentrant lock + unlock, uncontended";
            case "sync_atomic_increment" -> "lock-free increment, 2 processes";
            case "sync_event_pingpong" -> "event ping-pong, round trip";
            default -> scenario;
        };
    }

    private final Settings settings;
    private final PrintStream log;
    private final PipeConnection control;
    private final JvmProcess child;
    private final SharedLong counter;
    private final ProcessEvent ping;
    private final ProcessEvent pong;
    private final ProcessEvent wake;
    private final ProcessLock lock;
    private final ProcessLock rlock;
    /** Interrupts the measuring thread if the child dies or a round takes too long. */
    private final Watchdog watchdog;
    /** Per 2-process scenario, the overlap of each measured round. */
    private final Map<String, List<Double>> overlaps = new LinkedHashMap<>();
    /** The overlap of the two loops in the last 2-process round ({@link #overlap}). */
    private double lastOverlap = Double.NaN;

    private SyncBench(Settings settings, PrintStream log) throws InterruptedException {
        this.settings = settings;
        this.log = log;
        ProcessContext ctx = Multiprocessing.getContext();
        counter = ctx.sharedLong(0);
        ping = ctx.event();
        pong = ctx.event();
        wake = ctx.event();
        lock = ctx.lock();
        rlock = ctx.reentrantLock();
        ProcessPipe pipe = ctx.pipe(true);
        control = pipe.first();
        child = ctx.process("sync-peer", new SyncPeer(pipe.second(), counter, ping, pong, wake));
        child.start();
        watchdog = new Watchdog("sync-watchdog", ROUND_TIMEOUT, () -> !child.isAlive());
        watchdog.start();
        control.send("ready");
        String ready = control.recv();
        if (!"ready".equals(ready)) {
            throw new IllegalStateException("the sync child answered '" + ready + "'");
        }
        // Only the child holds its end now: its death shows here as end-of-file, not a wait forever.
        pipe.second().close();
    }

    /** Measures the Java rows and idle samples. */
    static Result measureJava(Settings s, PrintStream log) throws Exception {
        SyncBench bench = new SyncBench(s, log);
        return Watchdog.measureThenStop(() -> {
            List<ChannelRows.Row> rows = bench.measure();
            List<Idle> idle = bench.idleSamples();
            return new Result(rows, idle, bench.overlaps);
        }, bench::stop, "the sync child died, or a round took over " + ROUND_TIMEOUT.toSeconds() + " s");
    }

    private List<ChannelRows.Row> measure() throws Exception {
        log.printf("Java sync: %d warm-up + %d rounds of at least %d ms per scenario, this JVM and one child...%n",
                settings.warmup(), settings.rounds(), settings.round().toMillis());
        TurnRounds.Schedule schedule = new TurnRounds.Schedule(settings.warmup(), settings.rounds(), settings.round(),
                EXTRA_WARMUP);
        TurnRounds.Result result = TurnRounds.run(settings.scenarios(), FIRST_GUESS::get, schedule, watchdog, log,
                "Java sync", (scenario, n, measured) -> {
                    long began = System.nanoTime();
                    if (scenario.equals("sync_event_pingpong")) {
                        long[] trips = pingPongRound(n);
                        return new TurnRounds.Round(System.nanoTime() - began, trips, "");
                    }
                    lastOverlap = Double.NaN;
                    long elapsed = throughputRound(scenario, n);
                    if (Double.isNaN(lastOverlap)) {
                        return TurnRounds.Round.timed(elapsed);
                    }
                    if (measured) {
                        overlaps.computeIfAbsent(scenario, k -> new ArrayList<>()).add(lastOverlap);
                    }
                    return new TurnRounds.Round(elapsed, null,
                            String.format(Locale.ROOT, " (overlap %.0f %%)", lastOverlap * 100));
                });
        List<ChannelRows.Row> rows = new ArrayList<>();
        for (String scenario : settings.scenarios()) {
            List<Long> got = result.samples().get(scenario);
            int n = result.sizes().get(scenario);
            rows.add(switch (scenario) {
                case "sync_locked_increment" -> ChannelRows.Row.ops(scenario, LOCKED, true, 2L * n, got);
                case "sync_uncontended_lock" -> ChannelRows.Row.ops(scenario, LOCK, true, n, got);
                case "sync_uncontended_rlock" -> ChannelRows.Row.ops(scenario, RLOCK, true, n, got);
                case "sync_atomic_increment" -> ChannelRows.Row.ops(scenario, ATOMIC, true, 2L * n, got);
                default -> ChannelRows.Row.latency(scenario, EVENTS, true, got);
            });
        }
        return rows;
    }

    /** Nanoseconds of one round of a throughput scenario (n per process), checked. */
    private long throughputRound(String scenario, int n) throws InterruptedException {
        switch (scenario) {
            case "sync_uncontended_lock", "sync_uncontended_rlock" -> {
                ProcessLock l = scenario.equals("sync_uncontended_lock") ? lock : rlock;
                long began = System.nanoTime();
                lockUnlock(l, n);
                long elapsed = System.nanoTime() - began;
                if (l.isLocked()) {
                    throw new IllegalStateException(scenario + ": the lock is still held after " + n + " pairs");
                }
                return elapsed;
            }
            default -> {
                boolean locked = scenario.equals("sync_locked_increment");
                counter.set(0);
                long began = System.nanoTime();
                control.send((locked ? "locked " : "atomic ") + n);
                if (locked) {
                    SyncPeer.lockedIncrements(counter, n);
                } else {
                    SyncPeer.atomicIncrements(counter, n);
                }
                long ownEnd = System.nanoTime();
                Object done = control.recv();
                long elapsed = System.nanoTime() - began;
                if (!(done instanceof long[] child) || child.length != 2) {
                    throw new IllegalStateException(scenario + ": the child answered '" + done + "'");
                }
                lastOverlap = overlap(began, ownEnd, child[0], child[1]);
                long value = counter.get();
                if (value != 2L * n) {
                    throw new IllegalStateException(scenario + ": 2 x " + n + " increments made " + value);
                }
                if (counter.getLock().isLocked()) {
                    throw new IllegalStateException(scenario + ": the value's lock is still held");
                }
                return elapsed;
            }
        }
    }

    /**
     * The share of a 2-process round during which both loops ran: the intersection of
     * [began, ended] of each, over their union (1: fully concurrent; 0.5: one after the other).
     */
    static double overlap(long began1, long ended1, long began2, long ended2) {
        long both = Math.min(ended1, ended2) - Math.max(began1, began2);
        long either = Math.max(ended1, ended2) - Math.min(began1, began2);
        return either <= 0 ? Double.NaN : Math.max(0, both) / (double) either;
    }

    /** n lock()/unlock() pairs. */
    private static void lockUnlock(ProcessLock l, int n) {
        for (int i = 0; i < n; i++) {
            l.lock();
            l.unlock();
        }
    }

    /** n event round trips with the child, each timed on its own; checks the child served each. */
    private long[] pingPongRound(int n) throws InterruptedException {
        ping.clear();
        pong.clear();
        control.send("pingpong " + n);
        Object go = control.recv();
        if (!"go".equals(go)) {
            throw new IllegalStateException("sync_event_pingpong: the child answered '" + go + "'");
        }
        long[] trips = new long[n];
        for (int i = 0; i < n; i++) {
            long began = System.nanoTime();
            ping.set();
            pong.await();
            pong.clear();
            trips[i] = System.nanoTime() - began;
        }
        Object served = control.recv();
        if (!(served instanceof Integer k) || k != n) {
            throw new IllegalStateException("sync_event_pingpong: the child served " + served + " of " + n
                    + " pings");
        }
        if (ping.isSet() || pong.isSet()) {
            throw new IllegalStateException("sync_event_pingpong: an event is still set after the round");
        }
        return trips;
    }

    /**
     * The idle samples: the child waits in {@code wake.await()}; after {@link #IDLE_SETTLE} the
     * parent reads the CPU ticks of its waiting thread and of its JVM, again after the idle
     * time, then wakes it.
     */
    private List<Idle> idleSamples() throws InterruptedException {
        List<Idle> idle = new ArrayList<>();
        if (settings.idleSamples() > 0) {
            log.printf("Java sync: %d idle samples of %d ms, the child in ProcessEvent.await()...%n",
                    settings.idleSamples(), settings.idle().toMillis());
        }
        for (int i = 0; i < settings.idleSamples(); i++) {
            wake.clear();
            control.send("idle");
            Object waiting = control.recv();
            if (!(waiting instanceof String w) || !w.startsWith("waiting ")) {
                throw new IllegalStateException("idle: the child answered '" + waiting + "'");
            }
            long tid = Long.parseLong(w.substring("waiting ".length()));
            Idle sample = idleSample(child.pid(), tid, settings.idle());
            wake.set();
            Object woke = control.recv();
            if (!"woke".equals(woke)) {
                throw new IllegalStateException("idle: the child answered '" + woke + "' once woken");
            }
            idle.add(sample);
            log.printf("Java sync: idle sample %d: waiting thread %d ticks, JVM %d ticks%n", i + 1,
                    sample.threadTicks(), sample.processTicks());
        }
        return idle;
    }

    /** The CPU ticks of thread {@code tid} of {@code pid}, and of {@code pid}, over {@code idle}. */
    static Idle idleSample(long pid, long tid, Duration idle) throws InterruptedException {
        Thread.sleep(IDLE_SETTLE.toMillis());
        long thread0 = ProcFs.cpuTicks(pid, tid);
        long process0 = ProcFs.cpuTicks(pid);
        long began = System.nanoTime();
        Thread.sleep(idle.toMillis());
        long thread1 = ProcFs.cpuTicks(pid, tid);
        long process1 = ProcFs.cpuTicks(pid);
        long elapsed = System.nanoTime() - began;
        return new Idle(thread0 < 0 || thread1 < 0 ? -1 : thread1 - thread0,
                process0 < 0 || process1 < 0 ? -1 : process1 - process0, elapsed);
    }

    private void stop() throws InterruptedException {
        watchdog.stop();
        String failure = CommandedChild.stop(child, control, JOIN_TIMEOUT);
        if (failure != null) {
            throw new IllegalStateException("the sync child " + failure);
        }
    }

    // ------------------------------------------------------------------------------ Python side

    /** Runs {@code sync.py} with the same settings and returns its JSON, or why there is none. */
    static PythonSide.Outcome measurePython(String python, Path script, Settings s, Duration timeout)
            throws InterruptedException {
        return PythonSide.run(python, script, List.of(
                "--rounds", String.valueOf(s.rounds()),
                "--warmup", String.valueOf(s.warmup()),
                "--round-ms", String.valueOf(s.round().toMillis()),
                "--idle-samples", String.valueOf(s.idleSamples()),
                "--idle-ms", String.valueOf(s.idle().toMillis()),
                "--scenarios", String.join(",", s.scenarios())), timeout);
    }

    /**
     * The rows of {@code sync.py}'s JSON ({@code results}: scenario → implementation →
     * {@code {"ops": N, "rounds_ns": [...]}} or {@code {"samples_ns": [...]}}).
     */
    static List<ChannelRows.Row> fromPython(Map<String, Object> json) {
        return ChannelRows.fromPython(json, ChannelRows.Row::latency);
    }

    /** The idle samples of {@code sync.py}'s JSON. */
    static List<Idle> idleFromPython(Map<String, Object> json) {
        List<Idle> idle = new ArrayList<>();
        if (json.get("idle") instanceof List<?> samples) {
            for (Object o : samples) {
                Map<?, ?> m = (Map<?, ?>) o;
                idle.add(new Idle(((Number) m.get("thread_ticks")).longValue(),
                        ((Number) m.get("process_ticks")).longValue(), ((Number) m.get("ns")).longValue()));
            }
        }
        return idle;
    }

    // ------------------------------------------------------------------------------ report

    /**
     * The idle waiter's line under the goals: CPU used by a process waiting for an event, ours and
     * Python's, with the goal (no measurable CPU: no tick of the waiting thread in any sample).
     */
    static void printIdle(PrintStream out, Settings s, List<Idle> ours, List<Idle> python, int pythonTicksPerSecond) {
        if (s.idleSamples() == 0) {
            return;
        }
        String goal = "goal: an idle waiter uses no measurable CPU";
        if (ours.isEmpty()) {
            out.printf(Locale.ROOT, "  %-22s %s: not measured%n", "sync_idle_waiter", goal);
        } else {
            boolean met = ours.stream().allMatch(i -> i.threadTicks() == 0);
            out.printf(Locale.ROOT, "  %-22s %s (0 ticks of the waiting thread in every sample): %s (%s)%s%n",
                    "sync_idle_waiter", goal, met ? "MET" : "MISSED", idleText(ours, TICKS_PER_SECOND),
                    python.isEmpty() ? "" : "; Python here: " + idleText(python, pythonTicksPerSecond));
        }
    }

    /** "waiting thread 0, 0 ms; whole process 10, 0 ms of CPU per 2.0 s". */
    private static String idleText(List<Idle> samples, int ticksPerSecond) {
        double msPerTick = 1000.0 / ticksPerSecond;
        String thread = samples.stream().map(i -> i.threadTicks() < 0 ? "?" : fmt(i.threadTicks() * msPerTick))
                .collect(Collectors.joining(", "));
        String process = samples.stream().map(i -> i.processTicks() < 0 ? "?" : fmt(i.processTicks() * msPerTick))
                .collect(Collectors.joining(", "));
        double seconds = samples.stream().mapToLong(Idle::nanos).average().orElse(0) / 1e9;
        return String.format(Locale.ROOT, "waiting thread %s ms; whole process %s ms of CPU per %.1f s", thread,
                process, seconds);
    }

    /** The median of a list of shares, as a percentage; "-" if none. */
    private static String medianPercent(List<?> shares) {
        if (shares == null || shares.isEmpty()) {
            return "-";
        }
        double[] v = shares.stream().mapToDouble(x -> ((Number) x).doubleValue()).sorted().toArray();
        return String.format(Locale.ROOT, "%.0f %%", Stats.quantile(v, 0.5) * 100);
    }

    private static String fmt(double ms) {
        return String.format(Locale.ROOT, "%.0f", ms);
    }

    /** The notes under the sync table. */
    static void printNotes(PrintStream out, Settings s, Map<String, Object> python, Map<String, List<Double>> ours) {
        out.printf(Locale.ROOT, "Two processes: this JVM (or Python process) and one child started once, which takes"
                + " commands on a pipe;%n  a 2-process round runs from the command to the child until both have"
                + " done n each (ops = 2n),%n  then the value is checked to be exactly 2n. %d to %d warm-up rounds"
                + " (they size the round to >= %d ms), then%n  n measured rounds: median, worst and best round."
                + " ops/s: increments, or lock + unlock pairs, per second.%n", s.warmup(),
                s.warmup() + EXTRA_WARMUP, s.round().toMillis());
        List<String> both = new ArrayList<>();
        for (String scenario : List.of("sync_locked_increment", "sync_atomic_increment")) {
            Object theirs = python == null || !(python.get("overlap") instanceof Map<?, ?> m) ? null : m.get(scenario);
            if (ours.containsKey(scenario) || theirs instanceof List<?>) {
                both.add(scenario + ": ours " + medianPercent(ours.get(scenario)) + ", Python "
                        + medianPercent(theirs instanceof List<?> l ? l : null)
                        + (scenario.equals("sync_atomic_increment") ? " (lock=False)" : ""));
            }
        }
        if (!both.isEmpty()) {
            out.println("  Both loops running, share of the round (median over the rounds; CLOCK_MONOTONIC read by each"
                    + " process):");
            out.println("    " + String.join("; ", both) + ".");
        }
        out.println("Ping-pong: the parent sets ping, awaits pong and clears it; the child awaits ping, clears it,"
                + " sets pong;");
        out.println("  n = round trips, each timed; worst/p90 = 90th percentile; the child's count of pings served"
                + " is checked.");
        out.println("ours x = how many times better multiprocessing4j is than this row (throughput: ours/this;"
                + " latency: this/ours).");
        out.println("Python has no lock-free shared increment: sync_atomic_increment compares with its locked +="
                + " (the rounds of");
        out.println("  sync_locked_increment, shown again) and with Value(lock=False), which is not atomic and"
                + " loses increments.");
        if (python != null && python.get("lost") instanceof List<?> lost && !lost.isEmpty()
                && python.get("unlocked_ops") instanceof Number ops) {
            String each = lost.stream().map(String::valueOf).collect(Collectors.joining(", "));
            out.printf(Locale.ROOT, "  Python Value(lock=False) lost, of %d increments per round: %s.%n",
                    ops.longValue(), each);
        }
        if (s.idleSamples() > 0) {
            out.printf(Locale.ROOT, "Idle: the child waits for an event (ProcessEvent.await() / Event.wait()); %d ms"
                    + " after it says so, its CPU ticks (utime + stime,%n  10 ms each) are read from /proc for the"
                    + " waiting thread and the whole process, and again %d ms later; %d samples.%n",
                    IDLE_SETTLE.toMillis(), s.idle().toMillis(), s.idleSamples());
        }
        out.println("Java: default start method, default spinning. Python: sync.py, fork context, timed inside with"
                + " perf_counter_ns.");
    }
}
