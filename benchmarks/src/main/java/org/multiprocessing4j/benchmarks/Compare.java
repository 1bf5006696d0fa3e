package org.multiprocessing4j.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * multiprocessing4j against Python's {@code multiprocessing}, in one run: times the Java
 * scenarios here, runs {@code benchmarks/python/compare.py} for the same scenarios under each
 * Python start method, and prints one table of medians and ratios.
 *
 * <pre>
 * mvn -q -B -DskipTests -pl benchmarks -am package exec:exec [-Dbench.args="--rounds 50"] [-Dpython=/usr/bin/python3]
 * </pre>
 *
 * <p>Every sample is one process started and joined; rounds run one after another (never two
 * children at once), warm-up rounds first, and the scenarios take turns round by round so that
 * drifting machine load hits them alike. Scenario ids are shared with {@code compare.py}: to add
 * a row, add a {@link JavaRow} here and a function in the script's {@code SCENARIOS} under the
 * same id, and a label in {@link #SCENARIOS}.
 */
public final class Compare {
    /** Scenario ids, in table order, and how the table names them. */
    static final Map<String, String> SCENARIOS = new LinkedHashMap<>();

    static {
        SCENARIOS.put("start_to_running", "start() -> target running");
        SCENARIOS.put("start_join", "start+join, no-op target");
        SCENARIOS.put("first_start_join", "first start+join in a fresh program (cold)");
    }

    /** The id of the one-sample row measured first, before anything is warm. */
    static final String COLD = "first_start_join";

    /** The implementation name of the Java row that the Python rows are compared with. */
    static final String JAVA_REFERENCE = "JvmProcess";

    /** One sample, in nanoseconds. */
    @FunctionalInterface
    interface Measurement {
        long once() throws Exception;
    }

    /** A Java row of the table: a scenario measured one way. */
    record JavaRow(String scenario, String implementation, Measurement measurement) {
    }

    /** A row of the table with its samples. */
    record Row(String scenario, String implementation, boolean java, List<Long> samples) {
    }

    private static final PrintStream OUT = System.out;
    private static final PrintStream LOG = System.err;

    private Compare() {
    }

    public static void main(String[] argv) throws Exception {
        Options o;
        try {
            o = Options.parse(argv);
        } catch (IllegalArgumentException e) {
            LOG.println("Compare: " + e.getMessage());
            LOG.println(Options.USAGE);
            System.exit(2);
            return;
        }
        if (o.help) {
            OUT.println(Options.USAGE);
            return;
        }
        double loadBefore = loadAverage();
        Path workdir = Files.createTempDirectory("mp4j-bench-");
        Thread cleanup = new Thread(() -> {
            PythonSide.abort();
            deleteTree(workdir);
        }, "compare-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);

        List<Row> rows = new ArrayList<>();
        PythonSide.Outcome python;
        long began = System.nanoTime();
        try {
            rows.addAll(measureJava(new JavaSide(workdir), o));
            if (o.python == null) {
                python = new PythonSide.Outcome(null, "Python not run (--no-python)");
            } else {
                LOG.printf("Python: %s %s, %d warm-up + %d rounds per start method (%s)...%n",
                        o.python, o.pythonScript, o.pythonWarmup, o.pythonRounds, o.methods);
                python = PythonSide.run(o.python, o.pythonScript, List.of(
                        "--rounds", String.valueOf(o.pythonRounds),
                        "--warmup", String.valueOf(o.pythonWarmup),
                        "--methods", o.methods), o.pythonTimeout);
            }
        } finally {
            deleteTree(workdir);
        }
        if (python.json() != null) {
            rows.addAll(pythonRows(python.json()));
        }
        double seconds = (System.nanoTime() - began) / 1e9;

        OUT.println();
        OUT.println("multiprocessing4j vs Python multiprocessing: process start-up (times in ms; lower is better)");
        OUT.println(context(python, loadBefore, loadAverage()));
        OUT.println();
        printTable(rows);
        OUT.println();
        OUT.println("start() -> target running: System.nanoTime() / time.monotonic_ns() (both CLOCK_MONOTONIC)");
        OUT.println("  read by the parent just before start() and by the target as its first action in the child.");
        OUT.println("start+join: wall time of start() through join() of a no-op target.");
        OUT.println("JvmProcess rows use the library's default start method (a fresh JVM per process).");
        OUT.println("first start+join: one sample, the first process of a fresh program (JVM: class loading,");
        OUT.println("  runtime directory; Python forkserver: starting the server; spawn: the resource tracker).");
        OUT.println("n = measured rounds after warm-up; p10/p90 = 10th/90th percentiles;"
                + " Java/this = JvmProcess median / this row's median.");
        if (python.problem() != null) {
            OUT.println(python.problem() + " -- only the Java rows are shown.");
        }
        Object skipped = python.json() == null ? null : python.json().get("skipped");
        if (skipped instanceof Map<?, ?> m && !m.isEmpty()) {
            OUT.println("Python start methods skipped: " + m);
        }
        List<ProcessHandle> left = ProcessHandle.current().descendants().collect(Collectors.toList());
        OUT.printf(Locale.ROOT, "Took %.0f s. Processes left behind: %s. Temporary files left: %s.%n", seconds,
                left.isEmpty() ? "none" : left.stream().map(h -> h.pid() + " " + h.info().command().orElse("?"))
                        .collect(Collectors.joining(", ")),
                Files.exists(workdir) ? workdir : "none");
        Runtime.getRuntime().removeShutdownHook(cleanup);
    }

    // ------------------------------------------------------------------------------ Java side

    private static List<Row> measureJava(JavaSide java, Options o) throws Exception {
        List<JavaRow> javaRows = new ArrayList<>();
        javaRows.add(new JavaRow("start_to_running", JAVA_REFERENCE,
                () -> java.startToRunning(Targets.Stamp::new)));
        javaRows.add(new JavaRow("start_join", JAVA_REFERENCE, java::startJoin));
        if (o.lambda) {
            javaRows.add(new JavaRow("start_to_running", "JvmProcess, lambda target",
                    () -> java.startToRunning(Targets::stampLambda)));
        }

        LOG.printf("Java: %d warm-up + %d rounds of %d rows, one child JVM at a time...%n",
                o.warmup, o.rounds, javaRows.size());
        List<Row> rows = new ArrayList<>();
        // Before anything else starts a process in this JVM.
        rows.add(new Row(COLD, JAVA_REFERENCE, true, List.of(java.startJoin())));
        List<List<Long>> samples = new ArrayList<>();
        for (JavaRow r : javaRows) {
            samples.add(new ArrayList<>());
        }
        for (int round = 0; round < o.warmup + o.rounds; round++) {
            for (int i = 0; i < javaRows.size(); i++) {
                long sample = javaRows.get(i).measurement().once();
                if (round >= o.warmup) {
                    samples.get(i).add(sample);
                }
            }
        }
        for (int i = 0; i < javaRows.size(); i++) {
            rows.add(new Row(javaRows.get(i).scenario(), javaRows.get(i).implementation(), true, samples.get(i)));
        }
        return rows;
    }

    // ------------------------------------------------------------------------------ Python side

    private static List<Row> pythonRows(Map<String, Object> json) {
        List<Row> rows = new ArrayList<>();
        Map<?, ?> results = (Map<?, ?>) json.get("results");
        results.forEach((scenario, byMethod) -> ((Map<?, ?>) byMethod).forEach((method, list) -> {
            List<Long> samples = ((List<?>) list).stream().map(v -> ((Number) v).longValue())
                    .collect(Collectors.toList());
            if (!samples.isEmpty()) {
                rows.add(new Row((String) scenario, "Python " + method, false, samples));
            }
        }));
        return rows;
    }

    // ------------------------------------------------------------------------------ the table

    private static void printTable(List<Row> rows) {
        List<String> order = new ArrayList<>(SCENARIOS.keySet());
        rows.stream().map(Row::scenario).distinct().filter(s -> !order.contains(s)).forEach(order::add);
        List<String[]> lines = new ArrayList<>();
        lines.add(new String[] {"scenario", "implementation", "n", "median", "p10", "p90", "min", "max", "Java/this"});
        for (String scenario : order) {
            List<Row> group = rows.stream().filter(r -> r.scenario().equals(scenario))
                    .sorted(Comparator.comparing((Row r) -> !r.java())) // Java rows first, then as measured
                    .collect(Collectors.toList());
            Stats reference = group.stream()
                    .filter(r -> r.java() && r.implementation().equals(JAVA_REFERENCE))
                    .findFirst().map(r -> Stats.of(r.samples())).orElse(null);
            boolean first = true;
            for (Row r : group) {
                Stats s = Stats.of(r.samples());
                boolean one = s.n() == 1;
                lines.add(new String[] {
                    first ? SCENARIOS.getOrDefault(scenario, scenario) : "",
                    r.implementation(),
                    String.valueOf(s.n()),
                    ms(s.median()),
                    one ? "" : ms(s.p10()),
                    one ? "" : ms(s.p90()),
                    one ? "" : ms(s.min()),
                    one ? "" : ms(s.max()),
                    r.java() || reference == null ? "" : String.format(Locale.ROOT, "%.1fx", reference.median() / s.median()),
                });
                first = false;
            }
        }
        int[] width = new int[lines.get(0).length];
        for (String[] l : lines) {
            for (int i = 0; i < l.length; i++) {
                width[i] = Math.max(width[i], l[i].length());
            }
        }
        for (int li = 0; li < lines.size(); li++) {
            StringBuilder sb = new StringBuilder("|");
            for (int i = 0; i < width.length; i++) {
                String cell = lines.get(li)[i];
                boolean left = i < 2;
                String pad = " ".repeat(width[i] - cell.length());
                sb.append(' ').append(left ? cell + pad : pad + cell).append(" |");
            }
            OUT.println(sb);
            if (li == 0) {
                StringBuilder rule = new StringBuilder("|");
                for (int i = 0; i < width.length; i++) {
                    rule.append(i < 2 ? ":" : "-").append("-".repeat(width[i])).append(i < 2 ? "-|" : ":|");
                }
                OUT.println(rule);
            }
        }
    }

    /** Nanoseconds as milliseconds, to about three significant digits. */
    static String ms(double nanos) {
        double ms = nanos / 1e6;
        return String.format(Locale.ROOT, ms < 10 ? "%.2f" : ms < 1000 ? "%.1f" : "%.0f", ms);
    }

    // ------------------------------------------------------------------------------ context

    private static String context(PythonSide.Outcome python, double loadBefore, double loadAfter) {
        String cpu = cpuModel();
        String machine = String.format(Locale.ROOT, "machine: %d cores%s, %s %s (%s), load average %.2f before, %.2f after",
                Runtime.getRuntime().availableProcessors(), cpu.isEmpty() ? "" : " (" + cpu + ")",
                System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("os.arch"),
                loadBefore, loadAfter);
        String java = "java: " + System.getProperty("java.runtime.version") + " (" + System.getProperty("java.vm.name")
                + ", " + ManagementFactory.getGarbageCollectorMXBeans().get(0).getName().split(" ")[0] + " GC)";
        String py;
        if (python.json() != null && python.json().get("python") instanceof Map<?, ?> p) {
            py = "python: " + p.get("version") + " (" + p.get("implementation") + ", " + p.get("executable") + ")";
        } else {
            py = "python: not measured";
        }
        return machine + "\n" + java + "\n" + py;
    }

    private static String cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse("");
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // reported by the "temporary files left" line
                }
            });
        } catch (IOException | RuntimeException ignored) {
            // idem
        }
    }

    // ------------------------------------------------------------------------------ options

    static final class Options {
        static final String USAGE = String.join("\n",
                "usage: Compare [options]   (from Maven: -Dbench.args=\"options\")",
                "  --rounds N          measured Java rounds per row (default 20)",
                "  --warmup N          unmeasured Java rounds first (default 3)",
                "  --python-rounds N   measured Python rounds per row and start method (default 40)",
                "  --python-warmup N   unmeasured Python rounds first (default 3)",
                "  --methods LIST      Python start methods (default spawn,forkserver,fork)",
                "  --python CMD        the Python interpreter (default: -Dpython, else python3)",
                "  --python-script P   compare.py (default: python/compare.py or benchmarks/python/compare.py)",
                "  --no-python         Java rows only",
                "  --no-lambda         leave out the Java row with a lambda target",
                "  --python-timeout S  give up on Python after S seconds (default 600)");

        int rounds = 20;
        int warmup = 3;
        int pythonRounds = 40;
        int pythonWarmup = 3;
        String methods = "spawn,forkserver,fork";
        String python = System.getProperty("python", "python3");
        Path pythonScript;
        boolean lambda = true;
        boolean help;
        Duration pythonTimeout = Duration.ofSeconds(600);

        static Options parse(String[] argv) {
            Options o = new Options();
            for (int i = 0; i < argv.length; i++) {
                String a = argv[i];
                switch (a) {
                    case "--rounds" -> o.rounds = positive(a, value(argv, ++i, a));
                    case "--warmup" -> o.warmup = nonNegative(a, value(argv, ++i, a));
                    case "--python-rounds" -> o.pythonRounds = positive(a, value(argv, ++i, a));
                    case "--python-warmup" -> o.pythonWarmup = nonNegative(a, value(argv, ++i, a));
                    case "--methods" -> o.methods = value(argv, ++i, a);
                    case "--python" -> o.python = value(argv, ++i, a);
                    case "--python-script" -> o.pythonScript = Path.of(value(argv, ++i, a));
                    case "--no-python" -> o.python = null;
                    case "--no-lambda" -> o.lambda = false;
                    case "--python-timeout" -> o.pythonTimeout = Duration.ofSeconds(positive(a, value(argv, ++i, a)));
                    case "-h", "--help" -> o.help = true;
                    default -> throw new IllegalArgumentException("unknown option '" + a + "'");
                }
            }
            if (o.python != null && o.python.isBlank()) {
                o.python = "python3";
            }
            if (o.pythonScript == null) {
                o.pythonScript = Stream.of("python/compare.py", "benchmarks/python/compare.py").map(Path::of)
                        .filter(Files::isRegularFile).findFirst().orElse(Path.of("benchmarks/python/compare.py"));
            }
            return o;
        }

        private static String value(String[] argv, int i, String option) {
            if (i >= argv.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return argv[i];
        }

        private static int positive(String option, String v) {
            int n = nonNegative(option, v);
            if (n == 0) {
                throw new IllegalArgumentException(option + " must be at least 1");
            }
            return n;
        }

        private static int nonNegative(String option, String v) {
            try {
                int n = Integer.parseInt(v);
                if (n >= 0) {
                    return n;
                }
            } catch (NumberFormatException ignored) {
                // below
            }
            throw new IllegalArgumentException(option + " needs a number >= 0, not '" + v + "'");
        }
    }
}
