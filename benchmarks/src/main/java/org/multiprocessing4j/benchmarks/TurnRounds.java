package org.multiprocessing4j.benchmarks;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * The round schedule of the channel, sync and manager comparisons, the same as in their Python
 * scripts: each scenario first runs warm-up rounds, which size its round (the size only grows,
 * {@link ChannelBench#grown}) to take at least the target time; while some scenario's last
 * warm-up round took under 80 % of it (the JIT and the heap may still be settling, so rounds get
 * faster), another warm-up round follows, at most {@code extraWarmup} more; then the measured
 * rounds. Rounds take turns across the scenarios (round r of each before round r + 1 of any), so
 * that drifting load hits them alike. Each round's size and time are logged, so that a slow round
 * can be told from a slow scenario.
 */
final class TurnRounds {
    /**
     * What one round gave: its time, from before the command to the last item checked, and for a
     * latency scenario its samples (null: the round's time is its sample).
     *
     * @param note said after the round's time in the log, or empty
     */
    record Round(long elapsedNanos, long[] samples, String note) {
        static Round timed(long elapsedNanos) {
            return new Round(elapsedNanos, null, "");
        }
    }

    /** Runs one round of {@code n} of a scenario. */
    @FunctionalInterface
    interface Runner {
        Round run(String scenario, int n, boolean measured) throws Exception;
    }

    /** How many rounds, how long each should at least take, and how many more warm-up rounds at most. */
    record Schedule(int warmup, int rounds, Duration round, int extraWarmup) {
    }

    /**
     * The samples of the measured rounds (per scenario: each round's time, or every latency
     * sample) and each scenario's round size.
     */
    record Result(Map<String, List<Long>> samples, Map<String, Integer> sizes) {
    }

    private TurnRounds() {
    }

    /**
     * Runs the rounds of {@code scenarios}; {@code watchdog} is told when each begins and ends.
     *
     * @param firstGuess the first warm-up round's size of a scenario
     * @param what begins each log line, e.g. "Java sync"
     */
    static Result run(List<String> scenarios, ToIntFunction<String> firstGuess, Schedule s, Watchdog watchdog,
            PrintStream log, String what, Runner runner) throws Exception {
        long target = s.round().toNanos();
        Map<String, Integer> sizes = new LinkedHashMap<>();
        Map<String, List<Long>> samples = new LinkedHashMap<>();
        for (String scenario : scenarios) {
            sizes.put(scenario, firstGuess.applyAsInt(scenario));
            samples.put(scenario, new ArrayList<>());
        }
        int warmup = s.warmup();
        for (int r = 0; r < warmup + s.rounds(); r++) {
            boolean measured = r >= warmup;
            boolean tooShort = false;
            StringBuilder times = new StringBuilder();
            for (String scenario : scenarios) {
                int n = sizes.get(scenario);
                watchdog.roundBegins();
                Round round = runner.run(scenario, n, measured);
                watchdog.roundEnded();
                if (measured) {
                    if (round.samples() == null) {
                        samples.get(scenario).add(round.elapsedNanos());
                    } else {
                        for (long t : round.samples()) {
                            samples.get(scenario).add(t);
                        }
                    }
                }
                times.append(String.format(Locale.ROOT, " %s %d in %.0f ms%s,", scenario, n,
                        round.elapsedNanos() / 1e6, round.note()));
                if (!measured) {
                    sizes.put(scenario, ChannelBench.grown(n, round.elapsedNanos(), target));
                    tooShort |= round.elapsedNanos() < target * 0.8;
                }
            }
            log.printf("%s: %s round %d:%s%n", what, measured ? "measured" : "warm-up", r + 1,
                    times.substring(0, times.length() - 1));
            if (r == warmup - 1 && tooShort && warmup < s.warmup() + s.extraWarmup()) {
                warmup++;
            }
        }
        return new Result(samples, sizes);
    }
}
