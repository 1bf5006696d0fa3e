package org.multiprocessing4j.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The comparison's report: every table row that {@link Compare} prints is also collected here
 * (one {@link Chart} per scenario: a bar per implementation, its median, and the goal where the
 * scenario has one), and {@link #write} turns them into {@code index.html} and one hand-written
 * SVG bar chart per scenario. No script, no fonts or styles from the network: the page works
 * offline.
 */
final class Report {
    /** Bar colours: ours (the Java rows) and Python's. */
    static final String OURS_COLOUR = "#1f77b4";
    static final String PYTHON_COLOUR = "#ff7f0e";
    static final String GOAL_COLOUR = "#d62728";

    /** One implementation's median in a chart. */
    record Bar(String implementation, double value, boolean ours) {
    }

    /**
     * One scenario of one group: its bars, in the unit {@code unit}; {@code goal} (same unit) is
     * drawn as a line when not null, labelled {@code goalText}.
     */
    record Chart(String group, String scenario, String title, String unit, boolean lowerIsBetter, List<Bar> bars,
            Double goal, String goalText) {

        Chart withGoal(double limit, String text) {
            return new Chart(group, scenario, title, unit, lowerIsBetter, bars, limit, text);
        }
    }

    private static final List<Chart> COLLECTED = new ArrayList<>();
    private static String group = "";

    private Report() {
    }

    /** The group the next charts belong to (a heading of the page). */
    static synchronized void group(String name) {
        group = name;
    }

    /** Collects a scenario's chart in the current group. */
    static synchronized void chart(String scenario, String title, String unit, boolean lowerIsBetter, List<Bar> bars) {
        COLLECTED.add(new Chart(group, scenario, title, unit, lowerIsBetter, List.copyOf(bars), null, null));
    }

    /** Sets the goal of the current group's chart of {@code scenario} (in its unit). */
    static synchronized void goal(String scenario, double limit, String text) {
        for (int i = COLLECTED.size() - 1; i >= 0; i--) {
            Chart c = COLLECTED.get(i);
            if (c.group().equals(group) && c.scenario().equals(scenario)) {
                COLLECTED.set(i, c.withGoal(limit, text));
                return;
            }
        }
    }

    /** The charts collected so far, in the order they were printed. */
    static synchronized List<Chart> collected() {
        return List.copyOf(COLLECTED);
    }

    /**
     * Writes {@code index.html} and the charts' SVG files into {@code dir} (created if needed);
     * {@code context} lines (the command, the JDK, the date) head the page. Returns the page.
     */
    static Path write(Path dir, List<String> context, List<Chart> charts) throws IOException {
        Files.createDirectories(dir);
        Map<String, List<String>> groups = new LinkedHashMap<>();
        Set<String> names = new HashSet<>();
        for (Chart c : charts) {
            String name = slug(c.group() + "-" + c.scenario());
            for (int i = 2; !names.add(name); i++) {
                name = slug(c.group() + "-" + c.scenario()) + "-" + i;
            }
            Files.writeString(dir.resolve(name + ".svg"), svg(c), StandardCharsets.UTF_8);
            groups.computeIfAbsent(c.group(), g -> new ArrayList<>()).add(String.format(Locale.ROOT,
                    "<figure><img src=\"%s.svg\" alt=\"%s\"></figure>", name, escape(c.title())));
        }
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>multiprocessing4j vs Python multiprocessing</title>\n<style>\n")
                .append("body { font-family: sans-serif; margin: 2em; color: #222; }\n")
                .append("figure { margin: 0 0 1.5em 0; }\n")
                .append("img { max-width: 100%; }\n")
                .append(".key span { display: inline-block; width: 1em; height: 1em; vertical-align: middle; }\n")
                .append("</style>\n</head>\n<body>\n")
                .append("<h1>multiprocessing4j vs Python multiprocessing</h1>\n");
        for (String line : context) {
            html.append("<p>").append(escape(line)).append("</p>\n");
        }
        html.append("<p class=\"key\"><span style=\"background:").append(OURS_COLOUR)
                .append("\"></span> multiprocessing4j &nbsp; <span style=\"background:").append(PYTHON_COLOUR)
                .append("\"></span> Python &nbsp; <span style=\"background:").append(GOAL_COLOUR)
                .append("; width: 0.3em\"></span> goal (where the scenario has one).")
                .append(" Bars are medians; the tables printed by the run have the spreads.</p>\n");
        if (charts.isEmpty()) {
            html.append("<p>No rows: no group ran.</p>\n");
        }
        for (Map.Entry<String, List<String>> g : groups.entrySet()) {
            html.append("<h2>").append(escape(g.getKey())).append("</h2>\n");
            g.getValue().forEach(f -> html.append(f).append('\n'));
        }
        html.append("</body>\n</html>\n");
        Path index = dir.resolve("index.html");
        Files.writeString(index, html, StandardCharsets.UTF_8);
        return index;
    }

    /** Room for a character of a label, at 13 px (generous: sans-serif fonts differ). */
    private static final double CHAR_WIDTH = 7.2;
    private static final int PLOT_WIDTH = 400;
    private static final int BAR_HEIGHT = 22;
    private static final int BAR_GAP = 10;
    private static final int TOP = 48;

    /** A horizontal bar chart: one bar per implementation, its value at its end, the goal as a line. */
    static String svg(Chart c) {
        double max = c.bars().stream().mapToDouble(Bar::value).filter(Double::isFinite).max().orElse(0);
        if (c.goal() != null && Double.isFinite(c.goal())) {
            max = Math.max(max, c.goal());
        }
        max = max > 0 ? max * 1.08 : 1;
        int longest = c.bars().stream().mapToInt(b -> b.implementation().length()).max().orElse(0);
        int x0 = Math.max(120, (int) Math.ceil(longest * CHAR_WIDTH) + 16);
        int width = Math.max(x0 + PLOT_WIDTH + 130, (int) Math.ceil(c.title().length() * CHAR_WIDTH) + 16);
        int plotHeight = c.bars().size() * (BAR_HEIGHT + BAR_GAP);
        int height = TOP + plotHeight + (c.goal() != null ? 58 : 40);
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"13\">%n", width, height, width, height));
        s.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>%n", width, height));
        s.append(String.format(Locale.ROOT, "<text x=\"8\" y=\"18\" font-size=\"14\" font-weight=\"bold\">%s</text>%n",
                escape(c.group())));
        s.append(String.format(Locale.ROOT, "<text x=\"8\" y=\"36\">%s</text>%n", escape(c.title())));
        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>%n",
                x0, TOP - 4, x0, TOP + plotHeight));
        int y = TOP;
        for (Bar b : c.bars()) {
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
                    x0 - 6, y + BAR_HEIGHT / 2 + 5, escape(b.implementation())));
            if (Double.isFinite(b.value()) && b.value() >= 0) {
                double w = Math.max(1, b.value() / max * PLOT_WIDTH);
                s.append(String.format(Locale.ROOT, "<rect class=\"bar %s\" x=\"%d\" y=\"%d\" width=\"%.1f\""
                        + " height=\"%d\" fill=\"%s\"/>%n", b.ours() ? "ours" : "python", x0, y, w, BAR_HEIGHT,
                        b.ours() ? OURS_COLOUR : PYTHON_COLOUR));
                s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%s %s</text>%n", x0 + w + 5,
                        y + BAR_HEIGHT / 2 + 5, escape(number(b.value())), escape(c.unit())));
            } else {
                s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">n/a</text>%n", x0 + 5,
                        y + BAR_HEIGHT / 2 + 5));
            }
            y += BAR_HEIGHT + BAR_GAP;
        }
        if (c.goal() != null && Double.isFinite(c.goal())) {
            double gx = x0 + c.goal() / max * PLOT_WIDTH;
            s.append(String.format(Locale.ROOT, "<line class=\"goal\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\""
                    + " stroke=\"%s\" stroke-width=\"2\" stroke-dasharray=\"6 3\"/>%n", gx, TOP - 6, gx,
                    TOP + plotHeight, GOAL_COLOUR));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"%s\">goal: %s %s %s (%s)</text>%n",
                    x0, TOP + plotHeight + 18, GOAL_COLOUR, c.lowerIsBetter() ? "≤" : "≥",
                    escape(number(c.goal())), escape(c.unit()), escape(c.goalText())));
        }
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#555\">median, %s (%s is better)</text>%n",
                x0, height - 10, escape(c.unit()), c.lowerIsBetter() ? "lower" : "higher"));
        s.append("</svg>\n");
        return s.toString();
    }

    /** A value to about three significant digits, with k/M for large ones. */
    static String number(double v) {
        if (v >= 1e6) {
            return String.format(Locale.ROOT, v < 1e7 ? "%.2f M" : "%.1f M", v / 1e6);
        }
        if (v >= 1e4) {
            return String.format(Locale.ROOT, v < 1e5 ? "%.1f k" : "%.0f k", v / 1e3);
        }
        return String.format(Locale.ROOT, v < 10 ? "%.2f" : v < 100 ? "%.1f" : "%.0f", v);
    }

    static String escape(String text) {
        return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&quot;");
    }

    private static String slug(String text) {
        String s = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
        return s.isEmpty() ? "chart" : s.length() > 80 ? s.substring(0, 80) : s;
    }
}
