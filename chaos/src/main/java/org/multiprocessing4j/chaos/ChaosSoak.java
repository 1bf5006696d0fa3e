package org.multiprocessing4j.chaos;

import java.io.PrintStream;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.StartMethod;

/**
 * The chaos soak (issue 16): for a given time, round after round, it runs a scenario under a
 * start method and SIGKILLs producers, consumers, pool workers, lock, semaphore and condition
 * holders and barrier parties at random moments, and after every round checks the invariants
 * (every item whose {@code put} returned taken exactly once, or lost with a killed consumer and
 * counted; no lock, semaphore, condition or barrier stuck; every pool future completed) and that
 * nothing leaked ({@link LeakCheck}). At the end it prints, per scenario, per start method and in
 * total: rounds, processes started, kills sent, items moved, items lost with a killed consumer,
 * invariant failures, leaks, and the longest recovery time; then every failure and leak, and the
 * seed to replay them with. The exit status is 0 only if there was none.
 *
 * <pre>
 * mvn -q -B -DskipTests -pl chaos -am package exec:exec -Dchaos.args="--duration 30m"
 * </pre>
 *
 * <p>Each round draws everything from {@code (seed, round number)}: the scenario and start method
 * (the first rounds go through every pair once, in a shuffled order), the sizes, which process to
 * kill and when. Timing still differs from run to run, so a replay repeats the same attacks, not
 * necessarily the same interleaving. {@code docs/design/chaos.md} says more.
 */
public final class ChaosSoak {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    private static final long PROGRESS_EVERY_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final Options options;
    private final PrintStream out;
    private final Map<Scenario, Tally> byScenario = new EnumMap<>(Scenario.class);
    private final Map<StartMethod, Tally> byMethod = new EnumMap<>(StartMethod.class);
    private final Tally total = new Tally();
    private final List<String> failures = new ArrayList<>();
    private final List<String> leaks = new ArrayList<>();
    private final LeakCheck leakCheck = new LeakCheck();
    private long childWarnings;
    private long parentWarnings;
    private int baselineRound = -1;
    private long roundsLeakChecked;

    /** What a run found. {@link #ok()} if no invariant failed and nothing leaked. */
    record Result(Tally total, Map<StartMethod, Tally> byMethod, List<String> failures, List<String> leaks,
            String summary) {
        boolean ok() {
            return failures.isEmpty() && leaks.isEmpty();
        }
    }

    private ChaosSoak(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
        for (Scenario s : options.scenarios()) {
            byScenario.put(s, new Tally());
        }
        for (StartMethod m : options.startMethods()) {
            byMethod.put(m, new Tally());
        }
    }

    public static void main(String[] args) throws InterruptedException {
        Options options;
        try {
            options = Options.parse(args);
        } catch (Options.HelpRequested help) {
            System.out.println(Options.USAGE);
            return;
        } catch (IllegalArgumentException e) {
            System.err.println("ChaosSoak: " + e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(2);
            return;
        }
        Result result = run(options, System.out);
        System.exit(result.ok() ? 0 : 1);
    }

    /** Runs the soak as {@code options} say, printing to {@code out}. */
    static Result run(Options options, PrintStream out) throws InterruptedException {
        return new ChaosSoak(options, out).soak();
    }

    private Result soak() throws InterruptedException {
        out.println("chaos soak: " + describeRun() + "; started " + LocalDateTime.now().format(CLOCK));
        out.println("replay with: -Dchaos.args=\"" + options.replayArguments() + (options.onlyRound() >= 0
                ? " --round " + options.onlyRound() : " --duration " + options.duration().toSeconds() + "s") + "\"");
        out.flush();
        long began = System.nanoTime();
        try (CapturedWarnings warnings = CapturedWarnings.start()) {
            rounds(began);
            for (String leak : leakCheck.atEnd()) {
                leaks.add("at the end: " + leak);
                total.leaks++;
            }
            parentWarnings = warnings.count();
        }
        String summary = summary(System.nanoTime() - began);
        out.print(summary);
        out.flush();
        return new Result(total, Map.copyOf(byMethod), List.copyOf(failures), List.copyOf(leaks), summary);
    }

    private void rounds(long began) throws InterruptedException {
        long end = began + options.duration().toNanos();
        long nextProgress = began + PROGRESS_EVERY_NANOS;
        int cycle = options.cycleLength();
        List<Integer> firstCycle = new ArrayList<>();
        for (int i = 0; i < cycle; i++) {
            firstCycle.add(i);
        }
        java.util.Collections.shuffle(firstCycle, new Random(options.seed()));
        for (int n = 0; ; n++) {
            if (options.onlyRound() >= 0 ? n > options.onlyRound() : System.nanoTime() - end >= 0) {
                break;
            }
            Random rng = new Random(new SplittableRandom(options.seed() + 0x9E3779B97F4A7C15L * n).nextLong());
            int pair = n < cycle ? firstCycle.get(n) : rng.nextInt(cycle);
            if (options.onlyRound() >= 0 && n != options.onlyRound()) {
                continue;
            }
            Scenario scenario = options.scenarios().get(pair % options.scenarios().size());
            StartMethod method = options.startMethods().get(pair / options.scenarios().size());
            Round round = new Round(n, scenario, method, Multiprocessing.getContext(method), rng);
            long t0 = System.nanoTime();
            play(round);
            List<String> found = leakCheck.afterRound(round.pids());
            if (leakCheck.baseline() != null) {
                roundsLeakChecked++;
            }
            for (String leak : found) {
                leaks.add(round.where() + ": " + leak);
            }
            round.tally.leaks = found.size();
            record(round);
            if (options.verbose()) {
                out.println(roundLine(round, System.nanoTime() - t0));
            }
            // As they are found, too: a long run can be stopped at the first one.
            for (String f : round.failures) {
                out.println("  FAILURE " + f);
            }
            for (String leak : found) {
                out.println("  LEAK " + round.where() + ": " + leak);
            }
            if (n == cycle - 1 && options.onlyRound() < 0) {
                LeakCheck.Usage base = leakCheck.takeBaseline();
                baselineRound = n;
                if (options.verbose()) {
                    out.println("  leak baseline after the first cycle: " + base);
                }
            }
            if (!options.verbose() && System.nanoTime() - nextProgress >= 0) {
                nextProgress += PROGRESS_EVERY_NANOS;
                out.printf("  %s elapsed: %d rounds, %d kills, %d invariant failures, %d leaks%n",
                        minutes(System.nanoTime() - began), total.rounds, total.kills, total.failures, leaks.size());
            }
            out.flush();
        }
    }

    /** Runs the round's scenario; whatever it throws is a failure of the round, never of the soak. */
    private static void play(Round round) throws InterruptedException {
        try {
            round.scenario.run(round);
        } catch (Round.Stuck stuck) {
            round.fail("stuck: " + stuck.getMessage());
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception | Error e) {
            round.fail("the parent's side threw " + Crew.stackTrace(e));
        }
        if (round.tally.failures > 0) {
            round.abort();
        }
        round.finish();
    }

    private void record(Round round) {
        byScenario.get(round.scenario).add(round.tally);
        byMethod.get(round.startMethod).add(round.tally);
        total.add(round.tally);
        failures.addAll(round.failures);
        childWarnings += round.childWarnings;
    }

    private String describeRun() {
        StringBuilder sb = new StringBuilder();
        sb.append("seed ").append(options.seed());
        if (options.onlyRound() >= 0) {
            sb.append(", round ").append(options.onlyRound()).append(" only");
        } else {
            sb.append(", ").append(options.duration().toSeconds()).append(" s");
        }
        sb.append(", start methods ").append(options.startMethods());
        sb.append(", scenarios ").append(Scenario.names().size() == options.scenarios().size() ? "all"
                : options.scenarios().toString());
        sb.append(", JDK ").append(Runtime.version()).append(", ").append(Runtime.getRuntime().availableProcessors())
                .append(" CPUs");
        return sb.toString();
    }

    private static String roundLine(Round r, long nanos) {
        Tally t = r.tally;
        return String.format("  round %4d %-9s %-10s started %3d, kills %d, moved %7d, lost %d, longest recovery %s,"
                + " %s, %d leaks, %.1f s", r.number, r.scenario.label(), r.startMethod, t.started, t.kills, t.moved,
                t.lost, millis(t), t.failures == 0 ? "ok" : t.failures + " FAILURES", t.leaks, nanos / 1e9);
    }

    private String summary(long nanos) {
        StringBuilder sb = new StringBuilder();
        String header = String.format("%-12s %7s %9s %7s %11s %6s %9s %6s %18s", "", "rounds", "processes", "kills",
                "items", "lost", "invariant", "leaks", "longest");
        String header2 = String.format("%-12s %7s %9s %7s %11s %6s %9s %6s %18s", "", "", "started", "sent",
                "moved", "(a)", "failures", "", "recovery");
        sb.append(System.lineSeparator()).append("chaos soak summary: ").append(describeRun()).append(", ")
                .append(minutes(nanos)).append(" run").append(System.lineSeparator());
        sb.append(header).append(System.lineSeparator()).append(header2).append(System.lineSeparator());
        for (Map.Entry<Scenario, Tally> e : byScenario.entrySet()) {
            sb.append(row(e.getKey().label(), e.getValue()));
        }
        for (Map.Entry<StartMethod, Tally> e : byMethod.entrySet()) {
            sb.append(row(e.getKey().name(), e.getValue()));
        }
        sb.append(row("total", total));
        sb.append("items moved: ");
        for (Scenario s : byScenario.keySet()) {
            sb.append(s.label()).append(" = ").append(s.moved).append(s.ordinal() == Scenario.values().length - 1 ? "" : "; ");
        }
        sb.append(System.lineSeparator());
        sb.append("(a) items taken by a consumer that was killed before it recorded them: counted apart, at most one per"
                + " killed consumer").append(System.lineSeparator());
        sb.append("longest recovery: from a kill to the survivors' next progress (a put or take, an acquisition, a"
                + " wake-up, every survivor seeing the barrier broken, a completed future)").append(System.lineSeparator());
        sb.append("library warnings captured, not printed: ").append(parentWarnings).append(" in this JVM, ")
                .append(childWarnings).append(" in the children").append(System.lineSeparator());
        LeakCheck.Usage base = leakCheck.baseline();
        if (base != null) {
            sb.append("leak checks: after every round; resources against the baseline taken after round ")
                    .append(baselineRound).append(" (").append(base).append("), ").append(roundsLeakChecked)
                    .append(" rounds compared, margins ").append(LeakCheck.FD_MARGIN).append(" descriptors, ")
                    .append(LeakCheck.THREAD_MARGIN).append(" threads, ").append(LeakCheck.HEAP_MARGIN_MIB)
                    .append(" MiB").append(System.lineSeparator());
        } else {
            sb.append("leak checks: processes and files after every round; descriptors, threads and heap not compared"
                    + " (the run ended before the first cycle of rounds, which the baseline follows)")
                    .append(System.lineSeparator());
        }
        for (String f : failures) {
            sb.append("FAILURE ").append(f).append(System.lineSeparator());
        }
        for (String l : leaks) {
            sb.append("LEAK ").append(l).append(System.lineSeparator());
        }
        if (failures.isEmpty() && leaks.isEmpty()) {
            sb.append("RESULT: PASSED, 0 invariant failures, 0 leaks").append(System.lineSeparator());
        } else {
            sb.append("RESULT: FAILED, ").append(failures.size()).append(" invariant failures, ").append(leaks.size())
                    .append(" leaks; replay a round with -Dchaos.args=\"").append(options.replayArguments())
                    .append(" --round N\"").append(System.lineSeparator());
        }
        return sb.toString();
    }

    private static String row(String name, Tally t) {
        return String.format("%-12s %7d %9d %7d %11d %6d %9d %6d %18s%n", name, t.rounds, t.started, t.kills, t.moved,
                t.lost, t.failures, t.leaks, millis(t));
    }

    private static String millis(Tally t) {
        return t.recoveries == 0 ? "-" : TimeUnit.NANOSECONDS.toMillis(t.longestRecoveryNanos) + " ms";
    }

    private static String minutes(long nanos) {
        long s = TimeUnit.NANOSECONDS.toSeconds(nanos);
        return String.format("%d:%02d", s / 60, s % 60);
    }
}
