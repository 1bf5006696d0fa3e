package org.multiprocessing4j.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report as a browser draws it: headless Chromium takes a screenshot of the page of
 * {@link ReportTest}'s rows, in which the bars' and the goal line's colours must appear. Skipped
 * where there is no Chromium.
 */
class ReportScreenshotTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final long TIMEOUT_SECONDS = 120;

    @Test
    void chromiumDrawsTheCharts(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "no Chromium at " + CHROMIUM + " (Debian's package chromium)");
        Path page = ReportTest.render(dir.resolve("report"));
        Path home = Files.createDirectories(dir.resolve("home"));
        Path profile = dir.resolve("profile");
        Path png = dir.resolve("page.png");
        Path output = dir.resolve("chromium.log");
        ProcessBuilder pb = new ProcessBuilder(CHROMIUM.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
                "--user-data-dir=" + profile, "--screenshot=" + png, "--window-size=1200,2000",
                page.toUri().toString())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        Map<String, String> env = pb.environment();
        env.put("HOME", home.toString());
        env.put("XDG_CONFIG_HOME", home.resolve(".config").toString());
        env.put("XDG_CACHE_HOME", home.resolve(".cache").toString());
        Process chromium = pb.start();
        boolean ended;
        try {
            ended = chromium.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } finally {
            if (chromium.isAlive()) {
                chromium.descendants().forEach(ProcessHandle::destroyForcibly);
                chromium.destroyForcibly();
                chromium.waitFor(10, TimeUnit.SECONDS);
            }
            killLeftovers(profile);
        }
        assertTrue(ended, () -> "Chromium did not end within " + TIMEOUT_SECONDS + " s; killed. Its output: "
                + read(output));
        assertEquals(List.of(), leftovers(profile), "Chromium processes left behind");
        assertEquals(0, chromium.exitValue(), () -> "Chromium failed: " + read(output));
        assertTrue(Files.isRegularFile(png), () -> "no screenshot; Chromium's output: " + read(output));

        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, "the screenshot is not a PNG");
        assertEquals(1200, image.getWidth());
        int ours = pixels(image, Report.OURS_COLOUR);
        int python = pixels(image, Report.PYTHON_COLOUR);
        int goal = tallestColumn(image, Report.GOAL_COLOUR);
        // Three Java bars (the longest of their charts: ~400 x 22 px each) and three Python bars.
        assertTrue(ours > 3 * 100 * 20, "pixels of our bars' colour: " + ours);
        assertTrue(python > 2 * 100 * 20, "pixels of Python's bars' colour: " + python);
        // A goal line is vertical (dashed, ~70 px): no text or key draws that many in one column.
        assertTrue(goal >= 30, "most pixels of the goal lines' colour in one column: " + goal);
    }

    /** Pixels of {@code colour} ("#rrggbb"). */
    private static int pixels(BufferedImage image, String colour) {
        int n = 0;
        for (int x = 0; x < image.getWidth(); x++) {
            n += column(image, x, colour);
        }
        return n;
    }

    /** The most pixels of {@code colour} in one column. */
    private static int tallestColumn(BufferedImage image, String colour) {
        int most = 0;
        for (int x = 0; x < image.getWidth(); x++) {
            most = Math.max(most, column(image, x, colour));
        }
        return most;
    }

    /** Pixels of column {@code x} within a small distance of {@code colour}: colour management may shift it a little. */
    private static int column(BufferedImage image, int x, String colour) {
        int rgb = Integer.parseInt(colour.substring(1), 16);
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            int p = image.getRGB(x, y);
            if (Math.abs(((p >> 16) & 0xff) - ((rgb >> 16) & 0xff)) <= 8
                    && Math.abs(((p >> 8) & 0xff) - ((rgb >> 8) & 0xff)) <= 8
                    && Math.abs((p & 0xff) - (rgb & 0xff)) <= 8) {
                n++;
            }
        }
        return n;
    }

    /** Chromium's processes of this test (their command line names its profile), by pid. */
    private static List<ProcessHandle> leftovers(Path profile) {
        String mark = "--user-data-dir=" + profile;
        return ProcessHandle.allProcesses()
                .filter(h -> h.info().arguments().map(a -> List.of(a).contains(mark)).orElse(false)
                        || h.info().commandLine().map(c -> c.contains(mark)).orElse(false))
                .filter(ProcessHandle::isAlive)
                .toList();
    }

    /** Kills them by pid and waits (up to 5 s each) until each has ended. */
    private static void killLeftovers(Path profile) throws InterruptedException {
        List<ProcessHandle> left = leftovers(profile);
        left.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle h : left) {
            try {
                h.onExit().get(5, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                // Still there: the assertion on leftovers() names it.
            }
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "(none)";
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
