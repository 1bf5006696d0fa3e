package org.multiprocessing4j.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.multiprocessing4j.StartMethod;

/**
 * The soak's command-line options. Every round draws its scenario, its start method and its
 * random choices from {@code (seed, round number)} alone, so {@code --seed S} replays a run and
 * {@code --seed S --round R} replays one round of it.
 *
 * @param duration how long to start new rounds for
 * @param seed what every random choice derives from
 * @param startMethods the start methods the rounds use, in turn
 * @param scenarios the scenarios the rounds pick from
 * @param onlyRound the one round to run (replay), or -1 for all
 * @param verbose print one line per round
 */
record Options(Duration duration, long seed, List<StartMethod> startMethods, List<Scenario> scenarios,
        int onlyRound, boolean verbose) {

    static final String USAGE = String.join(System.lineSeparator(),
            "usage: ChaosSoak [options]   (from Maven: -Dchaos.args=\"options\")",
            "  --duration D        how long to run: 90s, 30m, 1h, or seconds (default 60s)",
            "  --seconds N         the same, in seconds",
            "  --seed S            the seed of every random choice (default: a random one, printed)",
            "  --start-methods L   spawn,forkserver (default both)",
            "  --scenarios L       " + String.join(",", Scenario.names()) + " (default all)",
            "  --round R           replay round R of the seed only (its number is in the failure report)",
            "  --verbose           print a line per round",
            "  -h, --help          this text",
            "The exit status is 0 when every invariant held and nothing leaked, 1 otherwise, 2 for bad options.");

    /** Parses {@code args}; throws {@link IllegalArgumentException} naming what is wrong. */
    static Options parse(String... args) {
        Duration duration = Duration.ofSeconds(60);
        long seed = ThreadLocalRandom.current().nextLong();
        List<StartMethod> methods = List.of(StartMethod.SPAWN, StartMethod.FORKSERVER);
        List<Scenario> scenarios = List.of(Scenario.values());
        int round = -1;
        boolean verbose = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--duration" -> duration = parseDuration(value(args, ++i, a));
                case "--seconds" -> duration = Duration.ofSeconds(parseLong(value(args, ++i, a), a));
                case "--seed" -> seed = parseLong(value(args, ++i, a), a);
                case "--start-methods" -> methods = parseStartMethods(value(args, ++i, a));
                case "--scenarios" -> scenarios = parseScenarios(value(args, ++i, a));
                case "--round" -> round = (int) parseLong(value(args, ++i, a), a);
                case "--verbose" -> verbose = true;
                case "-h", "--help" -> throw new HelpRequested();
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("the duration must be positive, not " + duration);
        }
        if (round < -1) {
            throw new IllegalArgumentException("--round must be 0 or more, not " + round);
        }
        return new Options(duration, seed, methods, scenarios, round, verbose);
    }

    /** Thrown by {@link #parse} for {@code -h}: print {@link #USAGE} and exit 0. */
    static final class HelpRequested extends RuntimeException {
        private static final long serialVersionUID = 1L;

        HelpRequested() {
            super("help", null, false, false);
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static long parseLong(String s, String option) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a number, not '" + s + "'");
        }
    }

    /** {@code 90}, {@code 90s}, {@code 30m}, {@code 1h}, or an ISO-8601 duration ({@code PT30M}). */
    static Duration parseDuration(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("pt")) {
                return Duration.parse(t);
            }
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            char unit = t.isEmpty() ? ' ' : t.charAt(t.length() - 1);
            String number = Character.isDigit(unit) ? t : t.substring(0, t.length() - 1);
            long n = Long.parseLong(number);
            return switch (unit) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> {
                    if (!Character.isDigit(unit)) {
                        throw new NumberFormatException(s);
                    }
                    yield Duration.ofSeconds(n);
                }
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--duration takes 90s, 30m, 1h or a number of seconds, not '" + s + "'");
        }
    }

    private static List<StartMethod> parseStartMethods(String s) {
        List<StartMethod> methods = new ArrayList<>();
        for (String name : s.split(",")) {
            String n = name.trim().toUpperCase(Locale.ROOT);
            try {
                StartMethod m = StartMethod.valueOf(n);
                if (!methods.contains(m)) {
                    methods.add(m);
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown start method '" + name.trim() + "' (spawn, forkserver)");
            }
        }
        if (methods.isEmpty()) {
            throw new IllegalArgumentException("--start-methods names none");
        }
        return List.copyOf(methods);
    }

    private static List<Scenario> parseScenarios(String s) {
        List<Scenario> scenarios = new ArrayList<>();
        for (String name : s.split(",")) {
            Scenario sc = Scenario.byName(name.trim());
            if (!scenarios.contains(sc)) {
                scenarios.add(sc);
            }
        }
        if (scenarios.isEmpty()) {
            throw new IllegalArgumentException("--scenarios names none");
        }
        return List.copyOf(scenarios);
    }

    /** The rounds of the first cycle: each (scenario, start method) once, before the leak baseline. */
    int cycleLength() {
        return scenarios.size() * startMethods.size();
    }

    /** {@code --seed S} and the other options that shape the rounds (in their order), for the replay line. */
    String replayArguments() {
        StringBuilder sb = new StringBuilder("--seed ").append(seed);
        if (!startMethods.equals(List.of(StartMethod.SPAWN, StartMethod.FORKSERVER))) {
            sb.append(" --start-methods ").append(join(startMethods.stream().map(m -> m.name().toLowerCase(Locale.ROOT))
                    .collect(Collectors.toList())));
        }
        if (!scenarios.equals(List.of(Scenario.values()))) {
            sb.append(" --scenarios ").append(join(scenarios.stream().map(Scenario::label).collect(Collectors.toList())));
        }
        return sb.toString();
    }

    private static String join(List<String> names) {
        return String.join(",", names);
    }
}
