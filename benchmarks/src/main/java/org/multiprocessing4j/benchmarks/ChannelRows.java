package org.multiprocessing4j.benchmarks;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The rows of a comparison table with ratios and goals: the channel table (queues and pipes),
 * the pool table ({@link PoolBench}) and the sync table ({@link SyncBench}), their statistics,
 * the table and the goals.
 * A throughput row holds the time of each measured round (each moved {@code items} items of
 * {@code itemBytes} bytes; ints count as 0 bytes; or ran {@code items} pool tasks or sync
 * operations); a latency
 * row holds every sample (a round trip, or a pool's creation to its first result). Both sides'
 * rows are summarised here, the same way.
 */
final class ChannelRows {
    /** What a row's figures count, and how its worst case is read. */
    enum Unit {
        /** Messages per second; the worst is the slowest round. */
        MSG_PER_S("msg/s"),
        /** 10^6 bytes per second; the worst is the slowest round. */
        MB_PER_S("MB/s"),
        /** Pool tasks per second; the worst is the slowest round. */
        TASKS_PER_S("tasks/s"),
        /** Operations (an increment, a lock()+unlock() pair) per second; the worst is the slowest round. */
        OPS_PER_S("ops/s"),
        /** Microseconds per sample, many samples; the worst is the 90th percentile. */
        MICROS("µs"),
        /** Microseconds per sample, many samples; the worst is the 99th percentile. */
        MICROS_P99("µs"),
        /** Milliseconds per sample, one sample per round; the worst is the slowest round. */
        MILLIS("ms");

        final String text;

        Unit(String text) {
            this.text = text;
        }

        boolean latency() {
            return this == MICROS || this == MICROS_P99 || this == MILLIS;
        }
    }

    /** One scenario measured one way: Java ({@code java}) or Python. */
    record Row(String scenario, String implementation, boolean java, long items, int itemBytes,
            List<Long> roundNanos, List<Long> latencyNanos, Unit unitOfFigures) {

        static Row throughput(String scenario, String implementation, boolean java, long items, int itemBytes,
                List<Long> roundNanos) {
            return new Row(scenario, implementation, java, items, itemBytes, roundNanos, List.of(),
                    itemBytes >= (1 << 20) ? Unit.MB_PER_S : Unit.MSG_PER_S);
        }

        /** Rounds that each ran {@code tasks} pool tasks. */
        static Row tasks(String scenario, String implementation, boolean java, long tasks, List<Long> roundNanos) {
            return new Row(scenario, implementation, java, tasks, 0, roundNanos, List.of(), Unit.TASKS_PER_S);
        }

        /** Rounds that each did {@code ops} operations (all processes together). */
        static Row ops(String scenario, String implementation, boolean java, long ops, List<Long> roundNanos) {
            return new Row(scenario, implementation, java, ops, 0, roundNanos, List.of(), Unit.OPS_PER_S);
        }

        /** Many samples (round trips), in µs; the worst is the 90th percentile. */
        static Row latency(String scenario, String implementation, boolean java, List<Long> samples) {
            return new Row(scenario, implementation, java, 0, 0, List.of(), samples, Unit.MICROS);
        }

        /** Many samples (round trips), in µs; the worst is the 99th percentile. */
        static Row latencyP99(String scenario, String implementation, boolean java, List<Long> samples) {
            return new Row(scenario, implementation, java, 0, 0, List.of(), samples, Unit.MICROS_P99);
        }

        /** One sample per round, in ms; the worst is the slowest round. */
        static Row latencyMillis(String scenario, String implementation, boolean java, List<Long> samples) {
            return new Row(scenario, implementation, java, 0, 0, List.of(), samples, Unit.MILLIS);
        }

        boolean isLatency() {
            return unitOfFigures.latency();
        }

        /** Samples: measured rounds, or round trips. */
        int n() {
            return isLatency() ? latencyNanos.size() : roundNanos.size();
        }

        /** The median, in {@link #unit()}: of the rounds' rates, or of the samples. */
        double median() {
            return isLatency() ? Stats.of(latencyNanos).median() / scale() : quantileOfRates(0.5);
        }

        /** The slowest round's rate, the 90th or 99th percentile round trip (µs), or the slowest sample (ms). */
        double worst() {
            if (!isLatency()) {
                return quantileOfRates(0);
            }
            if (unitOfFigures == Unit.MICROS_P99 || unitOfFigures == Unit.MICROS) {
                return Percentiles.of(latencyNanos, unitOfFigures == Unit.MICROS_P99 ? 99 : 90) / scale();
            }
            return Stats.of(latencyNanos).max() / scale();
        }

        /** The fastest round's rate, or the fastest sample, in {@link #unit()}. */
        double best() {
            return isLatency() ? Stats.of(latencyNanos).min() / scale() : quantileOfRates(1);
        }

        /** µs or ms for latencies; MB/s (10^6 bytes) for big items; messages or tasks per second otherwise. */
        String unit() {
            return unitOfFigures.text;
        }

        /** What the worst/p90 column holds for this row. */
        String worstIs() {
            return unitOfFigures == Unit.MICROS ? "p90" : unitOfFigures == Unit.MICROS_P99 ? "p99"
                    : isLatency() ? "max" : "worst round";
        }

        boolean bytesPerSecond() {
            return unitOfFigures == Unit.MB_PER_S;
        }

        private double scale() {
            return unitOfFigures == Unit.MILLIS ? 1e6 : 1e3;
        }

        private double quantileOfRates(double q) {
            double perRound = bytesPerSecond() ? (double) items * itemBytes / 1e6 : items;
            double[] rates = roundNanos.stream().mapToDouble(ns -> perRound * 1e9 / ns).sorted().toArray();
            return Stats.quantile(rates, q);
        }

        /** How many times better the Java row {@code ours} is than this one (> 1: ours is better). */
        double oursOver(Row ours, boolean worst) {
            double a = worst ? ours.worst() : ours.median();
            double b = worst ? worst() : median();
            return isLatency() ? b / a : a / b;
        }
    }

    /**
     * A goal from the issue: {@code limit} in the row's unit, met by the Java row's median;
     * {@code python} is the Python figure the issue quoted. With a {@code reference}, the limit
     * is instead {@code factor} times the median of the first Python row of the same scenario
     * whose implementation starts with it (as measured in this run), and {@code limit} is not used.
     */
    record Goal(String scenario, double limit, String text, String python, String reference, double factor) {
        Goal(String scenario, double limit, String text, String python) {
            this(scenario, limit, text, python, null, 1);
        }

        /** A goal to do at least as well as a Python row of this run. */
        static Goal asGoodAs(String scenario, String reference, String text, String python) {
            return new Goal(scenario, Double.NaN, text, python, reference, 1);
        }

        /** A goal to do {@code factor} times as well as a Python row of this run. */
        static Goal timesBetter(String scenario, String reference, double factor, String text, String python) {
            return new Goal(scenario, Double.NaN, text, python, reference, factor);
        }

        boolean metBy(double value, boolean latency, double limitNow) {
            return latency ? value <= limitNow : value >= limitNow;
        }
    }

    /** The goals; other scenarios have none. */
    static final List<Goal> GOALS = List.of(
            new Goal("queue_int", 2e6, ">= 2 M msg/s", "Python Queue ~228 k msg/s"),
            new Goal("queue_1m", 2000, ">= 2 GB/s", "Python ~450-700 MB/s"),
            new Goal("pipe_1m", 2000, ">= 2 GB/s", "Python ~450-700 MB/s"),
            new Goal("pipe_pingpong", 10, "<= 10 µs round trip", "Python ~34 µs"));

    private ChannelRows() {
    }

    /** How the table names a scenario. */
    static String label(String scenario) {
        return switch (scenario) {
            case "queue_int" -> "queue, ints";
            case "queue_1k" -> "queue, 1 KiB byte[]";
            case "queue_1m" -> "queue, 1 MiB byte[]";
            case "pipe_int" -> "pipe, ints (send/recv)";
            case "pipe_1k" -> "pipe, 1 KiB (send/recv bytes)";
            case "pipe_1m" -> "pipe, 1 MiB (send/recv bytes)";
            case "pipe_pingpong" -> "pipe ping-pong, int round trip";
            default -> scenario;
        };
    }

    /** The rows of {@code channels.py}'s JSON; a round trip's worst is its 90th percentile. */
    static List<Row> fromPython(Map<String, Object> json) {
        return fromPython(json, Row::latency);
    }

    /**
     * The rows of a Python script's JSON whose {@code results} map scenario → implementation →
     * data: {@code {"items": N, "item_bytes": B, "rounds_ns": [...]}} (a throughput row,
     * {@code channels.py}), {@code {"ops": N, "rounds_ns": [...]}} (an ops row, {@code sync.py},
     * {@code managers.py}) or {@code {"samples_ns": [...]}} (a latency row, made by {@code latency}).
     */
    static List<Row> fromPython(Map<String, Object> json, LatencyRow latency) {
        List<Row> rows = new ArrayList<>();
        Map<?, ?> results = (Map<?, ?>) json.get("results");
        results.forEach((scenario, byImplementation) -> ((Map<?, ?>) byImplementation).forEach((impl, v) -> {
            Map<?, ?> data = (Map<?, ?>) v;
            String name = "Python " + impl;
            if (data.get("samples_ns") instanceof List<?> samples) {
                if (!samples.isEmpty()) {
                    rows.add(latency.of((String) scenario, name, false, longs(samples)));
                }
            } else if (data.get("rounds_ns") instanceof List<?> rounds && !rounds.isEmpty()) {
                rows.add(data.get("item_bytes") instanceof Number bytes
                        ? Row.throughput((String) scenario, name, false, ((Number) data.get("items")).longValue(),
                                bytes.intValue(), longs(rounds))
                        : Row.ops((String) scenario, name, false, ((Number) data.get("ops")).longValue(),
                                longs(rounds)));
            }
        }));
        return rows;
    }

    /** Makes a latency row: {@link Row#latency} or {@link Row#latencyP99}. */
    @FunctionalInterface
    interface LatencyRow {
        Row of(String scenario, String implementation, boolean java, List<Long> samples);
    }

    private static List<Long> longs(List<?> values) {
        return values.stream().map(v -> ((Number) v).longValue()).collect(Collectors.toList());
    }

    /** The channel table: per scenario, the Java row first, then the Python rows with the ratios. */
    static void printTable(PrintStream out, List<Row> rows, List<String> order) {
        printTable(out, rows, order, ChannelRows::label);
    }

    /** A table: per scenario (named by {@code label}), the Java row first, then the Python rows with the ratios. */
    static void printTable(PrintStream out, List<Row> rows, List<String> order, Function<String, String> label) {
        printTable(out, rows, order, label, "ours");
    }

    /**
     * As {@link #printTable(PrintStream, List, List, Function)}, the ratio columns headed
     * {@code ours} (the name of the first Java row of each scenario, e.g. "cluster").
     */
    static void printTable(PrintStream out, List<Row> rows, List<String> order, Function<String, String> label,
            String ours) {
        List<String[]> lines = new ArrayList<>();
        lines.add(new String[] {"scenario", "implementation", "n", "per round", "median", "worst/p90", "best",
            "unit", ours + " x (median)", ours + " x (worst/p90)"});
        for (String scenario : order) {
            List<Row> group = group(rows, scenario);
            Row reference = group.stream().filter(Row::java).findFirst().orElse(null);
            if (!group.isEmpty()) {
                Report.chart(scenario, label.apply(scenario), group.get(0).unit(), group.get(0).isLatency(),
                        group.stream().map(r -> new Report.Bar(r.implementation(), r.median(), r.java())).toList());
            }
            boolean first = true;
            for (Row r : group) {
                boolean compared = reference != null && !r.java();
                lines.add(new String[] {
                    first ? label.apply(scenario) : "",
                    r.implementation(),
                    String.valueOf(r.n()),
                    r.isLatency() ? "" : count(r.items()),
                    figure(r, r.median()),
                    figure(r, r.worst()),
                    figure(r, r.best()),
                    r.unit() + (r.isLatency() ? " (" + r.worstIs() + ")" : ""),
                    compared ? ratio(r.oursOver(reference, false)) : "",
                    compared ? ratio(r.oursOver(reference, true)) : "",
                });
                first = false;
            }
        }
        Compare.printLines(lines);
    }

    /** The channel goals, one line per scenario. */
    static void printGoals(PrintStream out, List<Row> rows, List<String> order) {
        printGoals(out, rows, order, GOALS);
    }

    /** One line per scenario: its goal, met or missed by the Java median (and the worst round or p90). */
    static void printGoals(PrintStream out, List<Row> rows, List<String> order, List<Goal> goals) {
        int width = order.stream().mapToInt(String::length).max().orElse(0);
        for (String scenario : order) {
            Row ours = group(rows, scenario).stream().filter(Row::java).findFirst().orElse(null);
            Goal goal = goals.stream().filter(g -> g.scenario().equals(scenario)).findFirst().orElse(null);
            String python = group(rows, scenario).stream().filter(r -> !r.java())
                    .map(r -> r.implementation().substring("Python ".length()) + " " + figure(r, r.median()))
                    .collect(Collectors.joining(", "));
            String here = python.isEmpty() ? "" : "; Python here: " + python + " " + (ours == null ? "" : ours.unit());
            Row reference = goal == null || goal.reference() == null ? null : group(rows, scenario).stream()
                    .filter(r -> !r.java() && r.implementation().startsWith(goal.reference()))
                    .findFirst().orElse(null);
            if (goal == null) {
                goalLine(out, width, scenario, "no goal set" + (ours == null ? "" : ", " + figure(ours, ours.median())
                        + " " + ours.unit()) + here);
            } else if (ours == null) {
                goalLine(out, width, scenario, "goal " + goal.text() + ": not measured");
            } else if (goal.reference() != null && reference == null) {
                goalLine(out, width, scenario, "goal " + goal.text() + ": not judged, " + goal.reference()
                        + " not measured (median " + figure(ours, ours.median()) + " " + ours.unit() + ")");
            } else {
                // A latency goal "factor times better" is a limit of the reference divided by it.
                double limit = reference == null ? goal.limit()
                        : ours.isLatency() ? reference.median() / goal.factor() : reference.median() * goal.factor();
                String against = reference == null ? ""
                        : String.format(Locale.ROOT, " = %s %s", figure(reference, limit), reference.unit());
                Report.goal(scenario, limit, goal.text());
                boolean median = goal.metBy(ours.median(), ours.isLatency(), limit);
                boolean worst = goal.metBy(ours.worst(), ours.isLatency(), limit);
                goalLine(out, width, scenario, String.format(Locale.ROOT, "goal %s%s: %s (median %s %s, %s %s%s)"
                        + " [issue: %s%s]", goal.text(), against, median ? "MET" : "MISSED",
                        figure(ours, ours.median()), ours.unit(), ours.worstIs(), figure(ours, ours.worst()),
                        worst == median ? "" : worst ? " also meets it" : " misses it", goal.python(), here));
            }
        }
    }

    /** A goal line, aligned on the scenario id. */
    private static void goalLine(PrintStream out, int width, String scenario, String text) {
        out.printf(Locale.ROOT, "  %-" + Math.max(14, width) + "s %s%n", scenario, text);
    }

    private static List<Row> group(List<Row> rows, String scenario) {
        return rows.stream().filter(r -> r.scenario().equals(scenario))
                .sorted(Comparator.comparing((Row r) -> !r.java())) // Java first, then as measured
                .collect(Collectors.toList());
    }

    /** A figure in the row's unit, to about three significant digits (k/M for message and task rates). */
    static String figure(Row r, double v) {
        if (r.isLatency() || r.bytesPerSecond()) {
            return String.format(Locale.ROOT, v < 10 ? "%.2f" : v < 100 ? "%.1f" : "%.0f", v);
        }
        return count(v);
    }

    private static String count(double v) {
        if (v >= 1e6) {
            return String.format(Locale.ROOT, v < 1e7 ? "%.2f M" : "%.1f M", v / 1e6);
        }
        if (v >= 1e3) {
            return String.format(Locale.ROOT, v < 1e4 ? "%.2f k" : v < 1e5 ? "%.1f k" : "%.0f k", v / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f", v);
    }

    /** A ratio to about three significant digits ("2.51x", "43.2x"); under 0.1 to two ("0.0034x"), not "0.00x". */
    static String ratio(double x) {
        if (x > 0 && x < 0.1) {
            return new BigDecimal(x).round(new MathContext(2)).toPlainString() + "x";
        }
        return String.format(Locale.ROOT, x < 10 ? "%.2fx" : "%.1fx", x);
    }
}
