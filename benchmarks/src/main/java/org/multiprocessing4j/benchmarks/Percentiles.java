package org.multiprocessing4j.benchmarks;

import java.util.Collection;
import org.HdrHistogram.Histogram;

/**
 * Tail percentiles of latency samples (round trips, wake-ups), in nanoseconds, read from an
 * HdrHistogram: the p-th percentile is the smallest sample that at least p % of the samples do
 * not exceed (nearest rank), to three significant digits (the histogram's buckets are 0.1 % wide;
 * the value reported is its bucket's highest).
 */
public final class Percentiles {
    private static final int SIGNIFICANT_DIGITS = 3;

    private Percentiles() {
    }

    /** The {@code percentile}-th percentile (0 to 100) of {@code nanos}, which must not be empty. */
    public static double of(Collection<Long> nanos, double percentile) {
        Histogram h = histogram();
        nanos.forEach(v -> h.recordValue(Math.max(0, v)));
        return valueAt(h, nanos.size(), percentile);
    }

    /** As {@link #of(Collection, double)}, of an array. */
    public static double of(long[] nanos, double percentile) {
        Histogram h = histogram();
        for (long v : nanos) {
            h.recordValue(Math.max(0, v));
        }
        return valueAt(h, nanos.length, percentile);
    }

    private static Histogram histogram() {
        Histogram h = new Histogram(SIGNIFICANT_DIGITS);
        h.setAutoResize(true);
        return h;
    }

    private static double valueAt(Histogram h, int n, double percentile) {
        if (n == 0) {
            throw new IllegalArgumentException("no samples");
        }
        if (percentile < 0 || percentile > 100) {
            throw new IllegalArgumentException("percentile " + percentile + " not in [0, 100]");
        }
        return h.getValueAtPercentile(percentile);
    }
}
