package org.multiprocessing4j.benchmarks.transport;

import java.util.Arrays;
import org.multiprocessing4j.benchmarks.Percentiles;
import java.util.List;
import java.util.Locale;

/**
 * One line of the probe's table: a median and a spread (p90 for latencies, the worst round for
 * rates), with a unit and a note.
 */
record Row(String transport, String what, double median, double spread, String spreadKind, String unit, String note) {

    /** Latency samples in nanoseconds → a row in microseconds (median, p90). */
    static Row latency(String transport, String what, long[] nanos, String note) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        return new Row(transport, what, quantile(s, 0.5) / 1e3, Percentiles.of(s, 90) / 1e3, "p90", "µs", note);
    }

    /** Per-round rates → a row (median, worst round). */
    static Row rate(String transport, String what, double[] rates, String unit, String note) {
        double[] s = rates.clone();
        Arrays.sort(s);
        return new Row(transport, what, quantileD(s, 0.5), s[0], "worst", unit, note);
    }

    static Row single(String transport, String what, double value, String unit, String note) {
        return new Row(transport, what, value, Double.NaN, "", unit, note);
    }

    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return quantileD(s, 0.5);
    }

    static double quantile(long[] sorted, double q) {
        double h = (sorted.length - 1) * q;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    static double quantileD(double[] sorted, double q) {
        double h = (sorted.length - 1) * q;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    static String format(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        double a = Math.abs(v);
        if (a >= 1e6) {
            return String.format(Locale.ROOT, "%.2f M", v / 1e6);
        }
        if (a >= 1e4) {
            return String.format(Locale.ROOT, "%.0f k", v / 1e3);
        }
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    static void print(List<Row> rows) {
        String[] head = {"transport", "measurement", "median", "p90 / worst", "unit", "note"};
        String[][] cells = new String[rows.size()][];
        int[] w = new int[head.length];
        for (int i = 0; i < head.length; i++) {
            w[i] = head[i].length();
        }
        for (int r = 0; r < rows.size(); r++) {
            Row row = rows.get(r);
            String spread = Double.isNaN(row.spread) ? "" : format(row.spread) + " (" + row.spreadKind + ")";
            cells[r] = new String[] {row.transport, row.what, format(row.median), spread, row.unit, row.note};
            for (int i = 0; i < head.length; i++) {
                w[i] = Math.max(w[i], cells[r][i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, head, w);
        String[] rule = new String[head.length];
        for (int i = 0; i < head.length; i++) {
            rule[i] = "-".repeat(w[i]);
        }
        line(sb, rule, w);
        for (String[] c : cells) {
            line(sb, c, w);
        }
        System.out.print(sb);
    }

    private static void line(StringBuilder sb, String[] c, int[] w) {
        sb.append('|');
        for (int i = 0; i < c.length; i++) {
            boolean right = i == 2 || i == 3;
            String pad = " ".repeat(w[i] - c[i].length());
            sb.append(' ').append(right ? pad + c[i] : c[i] + pad).append(" |");
        }
        sb.append('\n');
    }
}
