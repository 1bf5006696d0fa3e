package org.multiprocessing4j.benchmarks;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The rows of the channel table (queues and pipes), their statistics, the table and the goals.
 * A throughput row holds the time of each measured round (each moved {@code items} items of
 * {@code itemBytes} bytes; ints count as 0 bytes); a latency row holds every round trip. Both
 * sides' rows are summarised here, the same way.
 */
final class ChannelRows {
    /** One scenario measured one way: Java ({@code java}) or Python. */
    record Row(String scenario, String implementation, boolean java, long items, int itemBytes,
            List<Long> roundNanos, List<Long> latencyNanos) {

        static Row throughput(String scenario, String implementation, boolean java, long items, int itemBytes,
                List<Long> roundNanos) {
            return new Row(scenario, implementation, java, items, itemBytes, roundNanos, List.of());
        }

        static Row latency(String scenario, String implementation, boolean java, List<Long> samples) {
            return new Row(scenario, implementation, java, 0, 0, List.of(), samples);
        }

        boolean isLatency() {
            return roundNanos.isEmpty();
        }

        /** Samples: measured rounds, or round trips. */
        int n() {
            return isLatency() ? latencyNanos.size() : roundNanos.size();
        }

        /** The median, in {@link #unit()}: of the rounds' rates, or of the round trips. */
        double median() {
            return isLatency() ? Stats.of(latencyNanos).median() / 1e3 : quantileOfRates(0.5);
        }

        /** The slowest round's rate, or the 90th percentile round trip, in {@link #unit()}. */
        double worst() {
            return isLatency() ? Stats.of(latencyNanos).p90() / 1e3 : quantileOfRates(0);
        }

        /** The fastest round's rate, or the fastest round trip, in {@link #unit()}. */
        double best() {
            return isLatency() ? Stats.of(latencyNanos).min() / 1e3 : quantileOfRates(1);
        }

        /** µs for round trips; MB/s (10^6 bytes) for big items; messages per second otherwise. */
        String unit() {
            return isLatency() ? "µs" : bytesPerSecond() ? "MB/s" : "msg/s";
        }

        boolean bytesPerSecond() {
            return itemBytes >= (1 << 20);
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
     * {@code python} is the Python figure the issue quoted.
     */
    record Goal(String scenario, double limit, String text, String python) {
        boolean metBy(double value, boolean latency) {
            return latency ? value <= limit : value >= limit;
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

    /** The rows of {@code channels.py}'s JSON ({@code results}: scenario → implementation → data). */
    static List<Row> fromPython(Map<String, Object> json) {
        List<Row> rows = new ArrayList<>();
        Map<?, ?> results = (Map<?, ?>) json.get("results");
        results.forEach((scenario, byImplementation) -> ((Map<?, ?>) byImplementation).forEach((impl, v) -> {
            Map<?, ?> data = (Map<?, ?>) v;
            String name = "Python " + impl;
            if (data.get("samples_ns") instanceof List<?> samples) {
                if (!samples.isEmpty()) {
                    rows.add(Row.latency((String) scenario, name, false, longs(samples)));
                }
            } else if (data.get("rounds_ns") instanceof List<?> rounds && !rounds.isEmpty()) {
                rows.add(Row.throughput((String) scenario, name, false, ((Number) data.get("items")).longValue(),
                        ((Number) data.get("item_bytes")).intValue(), longs(rounds)));
            }
        }));
        return rows;
    }

    private static List<Long> longs(List<?> values) {
        return values.stream().map(v -> ((Number) v).longValue()).collect(Collectors.toList());
    }

    /** The table: per scenario, the Java row first, then the Python rows with the ratios. */
    static void printTable(PrintStream out, List<Row> rows, List<String> order) {
        List<String[]> lines = new ArrayList<>();
        lines.add(new String[] {"scenario", "implementation", "n", "per round", "median", "worst/p90", "best",
            "unit", "ours x (median)", "ours x (worst/p90)"});
        for (String scenario : order) {
            List<Row> group = group(rows, scenario);
            Row ours = group.stream().filter(Row::java).findFirst().orElse(null);
            boolean first = true;
            for (Row r : group) {
                boolean compared = ours != null && !r.java();
                lines.add(new String[] {
                    first ? label(scenario) : "",
                    r.implementation(),
                    String.valueOf(r.n()),
                    r.isLatency() ? "" : count(r.items()),
                    figure(r, r.median()),
                    figure(r, r.worst()),
                    figure(r, r.best()),
                    r.unit() + (r.isLatency() ? " (p90)" : ""),
                    compared ? ratio(r.oursOver(ours, false)) : "",
                    compared ? ratio(r.oursOver(ours, true)) : "",
                });
                first = false;
            }
        }
        Compare.printLines(lines);
    }

    /** One line per scenario: its goal, met or missed by the Java median (and the worst round). */
    static void printGoals(PrintStream out, List<Row> rows, List<String> order) {
        for (String scenario : order) {
            Row ours = group(rows, scenario).stream().filter(Row::java).findFirst().orElse(null);
            Goal goal = GOALS.stream().filter(g -> g.scenario().equals(scenario)).findFirst().orElse(null);
            String python = group(rows, scenario).stream().filter(r -> !r.java())
                    .map(r -> r.implementation().substring("Python ".length()) + " " + figure(r, r.median()))
                    .collect(Collectors.joining(", "));
            String here = python.isEmpty() ? "" : "; Python here: " + python + " " + (ours == null ? "" : ours.unit());
            if (goal == null) {
                goalLine(out, scenario, "no goal set" + (ours == null ? "" : ", " + figure(ours, ours.median())
                        + " " + ours.unit()) + here);
            } else if (ours == null) {
                goalLine(out, scenario, "goal " + goal.text() + ": not measured");
            } else {
                boolean median = goal.metBy(ours.median(), ours.isLatency());
                boolean worst = goal.metBy(ours.worst(), ours.isLatency());
                goalLine(out, scenario, String.format(Locale.ROOT, "goal %s: %s (median %s %s, %s %s%s)"
                        + " [issue: %s%s]", goal.text(), median ? "MET" : "MISSED", figure(ours, ours.median()),
                        ours.unit(), ours.isLatency() ? "p90" : "worst round", figure(ours, ours.worst()),
                        worst == median ? "" : worst ? " also meets it" : " misses it", goal.python(), here));
            }
        }
    }

    /** A goal line, aligned on the scenario id. */
    private static void goalLine(PrintStream out, String scenario, String text) {
        out.printf(Locale.ROOT, "  %-14s %s%n", scenario, text);
    }

    private static List<Row> group(List<Row> rows, String scenario) {
        return rows.stream().filter(r -> r.scenario().equals(scenario))
                .sorted(Comparator.comparing((Row r) -> !r.java())) // Java first, then as measured
                .collect(Collectors.toList());
    }

    /** A figure in the row's unit, to about three significant digits (k/M for message rates). */
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

    private static String ratio(double x) {
        return String.format(Locale.ROOT, x < 10 ? "%.2fx" : "%.1fx", x);
    }
}
