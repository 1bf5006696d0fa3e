package org.multiprocessing4j.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report of a small fixed set of rows: its page, its charts, their bars, goal lines and labels. */
class ReportTest {

    /** Two groups: a throughput chart with a goal, a latency chart with one, one without. */
    static List<Report.Chart> charts() {
        return List.of(
                new Report.Chart("Pools", "map_noop", "map no-op, 1000 items", "tasks/s", false, List.of(
                        new Report.Bar("Java SPAWN", 180_000, true),
                        new Report.Bar("Python fork", 60_000, false),
                        new Report.Bar("Python spawn", 55_000, false)), 120_000.0, "2x Python fork"),
                new Report.Chart("Pools", "rt", "round trip <apply>", "µs", true, List.of(
                        new Report.Bar("Java SPAWN", 45, true),
                        new Report.Bar("Python fork", 90, false)), 60.0, "≤ 60 µs"),
                new Report.Chart("Managers", "dict", "dict get", "ops/s", false, List.of(
                        new Report.Bar("Java", 2_000_000, true),
                        new Report.Bar("Python", Double.NaN, false)), null, null));
    }

    static Path render(Path dir) throws IOException {
        return Report.write(dir, List.of("Run 2026-12-06 on JDK 17, a test"), charts());
    }

    @Test
    void writesThePageAndOneSvgPerChart(@TempDir Path dir) throws IOException {
        Path index = render(dir);
        assertEquals(dir.resolve("index.html"), index);
        List<String> svgs;
        try (Stream<Path> files = Files.list(dir)) {
            svgs = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".svg")).sorted().toList();
        }
        assertEquals(List.of("managers-dict.svg", "pools-map-noop.svg", "pools-rt.svg"), svgs);
        String html = Files.readString(index);
        for (String svg : svgs) {
            assertTrue(html.contains("<img src=\"" + svg + "\""), svg);
        }
        assertTrue(html.contains("<h2>Pools</h2>") && html.contains("<h2>Managers</h2>"));
        assertTrue(html.indexOf("<h2>Pools</h2>") < html.indexOf("<h2>Managers</h2>"));
        assertTrue(html.contains("Run 2026-12-06 on JDK 17, a test"));
        assertTrue(html.contains("alt=\"round trip &lt;apply&gt;\""));
        assertFalse(html.contains("http://") || html.contains("https://") || html.contains("<script"),
                "the page needs nothing from the network");
    }

    @Test
    void chartsHaveABarPerImplementationTheGoalAndTheUnits(@TempDir Path dir) throws IOException {
        render(dir);
        String pools = Files.readString(dir.resolve("pools-map-noop.svg"));
        assertTrue(pools.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assertEquals(1, count(pools, "class=\"bar ours\""));
        assertEquals(2, count(pools, "class=\"bar python\""));
        assertTrue(pools.contains("fill=\"" + Report.OURS_COLOUR + "\"") && pools.contains("fill=\"" + Report.PYTHON_COLOUR + "\""));
        assertTrue(pools.contains(">Java SPAWN<") && pools.contains(">Python fork<") && pools.contains(">Python spawn<"));
        assertTrue(pools.contains(">180 k tasks/s<") && pools.contains(">60.0 k tasks/s<"));
        assertTrue(pools.contains("map no-op, 1000 items"));
        assertTrue(pools.contains("goal: ≥ 120 k tasks/s (2x Python fork)"));
        assertTrue(pools.contains("median, tasks/s (higher is better)"));

        // Bar lengths are to scale, and the goal line sits where its value is.
        double ours = width(pools, "ours");
        double python = width(pools, "python");
        assertEquals(3.0, ours / python, 0.01);
        Matcher goal = Pattern.compile("class=\"goal\" x1=\"([0-9.]+)\"").matcher(pools);
        assertTrue(goal.find());
        Matcher x = Pattern.compile("class=\"bar ours\" x=\"([0-9]+)\"").matcher(pools);
        assertTrue(x.find());
        double x0 = Double.parseDouble(x.group(1));
        assertEquals(120_000.0 / 180_000, (Double.parseDouble(goal.group(1)) - x0) / ours, 0.01);

        String rt = Files.readString(dir.resolve("pools-rt.svg"));
        assertTrue(rt.contains("goal: ≤ 60.0 µs"));
        assertTrue(rt.contains("median, µs (lower is better)"));
        assertTrue(rt.contains("round trip &lt;apply&gt;"));

        String dict = Files.readString(dir.resolve("managers-dict.svg"));
        assertFalse(dict.contains("class=\"goal\""));
        assertEquals(1, count(dict, "class=\"bar "));
        assertTrue(dict.contains(">2.00 M ops/s<") && dict.contains(">n/a<"));
    }

    private static int count(String text, String what) {
        return text.split(Pattern.quote(what), -1).length - 1;
    }

    private static double width(String svg, String which) {
        Matcher m = Pattern.compile("class=\"bar " + which + "\" x=\"[0-9]+\" y=\"[0-9]+\" width=\"([0-9.]+)\"")
                .matcher(svg);
        assertTrue(m.find(), which);
        return Double.parseDouble(m.group(1));
    }
}
