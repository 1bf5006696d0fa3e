package org.multiprocessing4j.benchmarks;

import java.util.List;

/** Order statistics of one row's samples, in nanoseconds. */
record Stats(int n, double median, double p10, double p90, double min, double max) {

    static Stats of(List<Long> samplesNanos) {
        if (samplesNanos.isEmpty()) {
            throw new IllegalArgumentException("no samples");
        }
        double[] s = samplesNanos.stream().mapToDouble(Long::doubleValue).sorted().toArray();
        return new Stats(s.length, quantile(s, 0.5), quantile(s, 0.1), quantile(s, 0.9),
                s[0], s[s.length - 1]);
    }

    /** Linear interpolation between closest ranks (numpy's default; the median of an even n is the mean of the middle two). */
    static double quantile(double[] sorted, double q) {
        double h = (sorted.length - 1) * q;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
