package org.multiprocessing4j.benchmarks.transport;

/**
 * Runs a throughput round repeatedly: warm-up rounds (from a first guess of its size, each
 * resized from the last one's time, at least two) until one takes half of {@link #TARGET_NANOS},
 * then {@link #MEASURED} measured rounds sized to take about that. A round sends {@code n} messages and returns once the receiver has confirmed all of
 * them (count and checksum), so each rate is end to end.
 */
final class Rounds {
    static final long TARGET_NANOS = 250_000_000L;
    static final int MEASURED = 5;

    interface Round {
        /** Sends n messages, waits for the receiver's confirmation, returns the elapsed nanoseconds. */
        long run(int n) throws Exception;
    }

    private Rounds() {
    }

    /** Messages per second of each measured round. */
    static double[] messagesPerSecond(Round round, int firstGuess, int maxN) throws Exception {
        int n = firstGuess;
        // warm-up rounds, each resized from the last one's time, until one takes half the target
        for (int w = 0; w < 4; w++) {
            long t = round.run(n);
            int next = (int) Math.max(1, Math.min(maxN, (double) n * TARGET_NANOS / Math.max(t, 1)));
            boolean longEnough = t >= TARGET_NANOS / 2 || n == maxN;
            n = next;
            if (longEnough && w > 0) {
                break;
            }
        }
        double[] rates = new double[MEASURED];
        for (int i = 0; i < MEASURED; i++) {
            rates[i] = n * 1e9 / round.run(n);
        }
        return rates;
    }

    static double[] scale(double[] rates, double factor) {
        double[] r = new double[rates.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = rates[i] * factor;
        }
        return r;
    }
}
