package org.multiprocessing4j.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.StartMethod;

class OptionsTest {
    @Test
    void durationsTakeSecondsMinutesHoursAndIso() {
        assertEquals(Duration.ofSeconds(90), Options.parseDuration("90"));
        assertEquals(Duration.ofSeconds(90), Options.parseDuration("90s"));
        assertEquals(Duration.ofMinutes(30), Options.parseDuration("30m"));
        assertEquals(Duration.ofHours(1), Options.parseDuration("1h"));
        assertEquals(Duration.ofMillis(1500), Options.parseDuration("1500ms"));
        assertEquals(Duration.ofMinutes(30), Options.parseDuration("PT30M"));
        assertThrows(IllegalArgumentException.class, () -> Options.parseDuration("soon"));
        assertThrows(IllegalArgumentException.class, () -> Options.parseDuration("5d"));
    }

    @Test
    void optionsAreParsedAndNamedInTheReplayLine() {
        Options o = Options.parse("--seconds", "45", "--seed", "-7", "--start-methods", "forkserver",
                "--scenarios", "queue,pool", "--round", "3", "--verbose");
        assertEquals(Duration.ofSeconds(45), o.duration());
        assertEquals(-7, o.seed());
        assertEquals(List.of(StartMethod.FORKSERVER), o.startMethods());
        assertEquals(List.of(Scenario.QUEUE, Scenario.POOL), o.scenarios());
        assertEquals(3, o.onlyRound());
        assertTrue(o.verbose());
        assertEquals(2, o.cycleLength());
        assertEquals("--seed -7 --start-methods forkserver --scenarios queue,pool", o.replayArguments());
        Options defaults = Options.parse();
        assertEquals(Duration.ofSeconds(60), defaults.duration());
        assertEquals(List.of(StartMethod.SPAWN, StartMethod.FORKSERVER), defaults.startMethods());
        assertEquals(Scenario.values().length, defaults.scenarios().size());
        assertEquals("--seed " + defaults.seed(), defaults.replayArguments());
    }

    @Test
    void badOptionsAreNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Options.parse("--start-methods", "fork"))
                .getMessage().contains("fork"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Options.parse("--scenarios", "queue,kettle"))
                .getMessage().contains("kettle"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Options.parse("--seed"))
                .getMessage().contains("--seed"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Options.parse("--frobnicate"))
                .getMessage().contains("--frobnicate"));
        assertThrows(IllegalArgumentException.class, () -> Options.parse("--seconds", "0"));
        assertThrows(Options.HelpRequested.class, () -> Options.parse("-h"));
    }
}
