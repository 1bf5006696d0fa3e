package org.multiprocessing4j.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.StartMethod;

/**
 * The 60-second version of the chaos soak, in the build: both start methods, every scenario, a
 * random seed (or {@code -Dmp4j.chaos.seed}), which the failure message gives for a replay. The
 * soak prints nothing here; its summary goes to {@code target/chaos-soak-summary.txt} and, on a
 * failure, into the assertion message.
 */
@Timeout(240)
class ChaosSoakIT {
    @Test
    void aSixtySecondSoakBreaksNoInvariantAndLeaksNothing() throws Exception {
        long seed = Long.getLong("mp4j.chaos.seed", ThreadLocalRandom.current().nextLong());
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        ChaosSoak.Result result;
        try (PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
            result = ChaosSoak.run(Options.parse("--seconds", "60", "--seed", Long.toString(seed)), out);
        }
        String summary = printed.toString(StandardCharsets.UTF_8);
        save(summary);
        String replay = "seed " + seed + " (replay: -Dchaos.args=\"--seed " + seed + " --seconds 60\")\n" + summary;
        assertEquals(List.of(), result.failures(), "invariants broken, " + replay);
        assertEquals(List.of(), result.leaks(), "leaks, " + replay);
        for (StartMethod m : StartMethod.values()) {
            assertTrue(result.byMethod().get(m).rounds > 0, "no round ran under " + m + ", " + replay);
        }
        assertTrue(result.total().kills >= result.total().rounds, "every round kills at least once, " + replay);
        assertTrue(result.total().moved > 0, replay);
        assertTrue(summary.contains("RESULT: PASSED"), replay);
    }

    private static void save(String summary) throws IOException {
        String file = System.getProperty("mp4j.chaos.summary");
        if (file != null) {
            Files.writeString(Path.of(file), summary);
        }
    }
}
