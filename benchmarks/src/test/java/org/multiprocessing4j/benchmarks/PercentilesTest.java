package org.multiprocessing4j.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The latency percentiles: nearest rank, to three significant digits, whatever the samples' order. */
class PercentilesTest {

    /** 1 to 1000 µs, shuffled, in nanoseconds. */
    private static List<Long> samples() {
        List<Long> nanos = new ArrayList<>(LongStream.rangeClosed(1, 1000).map(us -> us * 1000).boxed().toList());
        Collections.shuffle(nanos, new Random(18));
        return nanos;
    }

    @Test
    void nearestRankToThreeSignificantDigits() {
        List<Long> nanos = samples();
        assertEquals(990_000, Percentiles.of(nanos, 99), 990);
        assertEquals(900_000, Percentiles.of(nanos, 90), 900);
        assertEquals(500_000, Percentiles.of(nanos, 50), 500);
        assertEquals(1_000_000, Percentiles.of(nanos, 100), 1000);
        assertEquals(Percentiles.of(nanos, 99), Percentiles.of(nanos.stream().mapToLong(Long::longValue).toArray(), 99));
        assertEquals(42, Percentiles.of(List.of(42L), 99));
        assertThrows(IllegalArgumentException.class, () -> Percentiles.of(List.of(), 99));
    }

    @Test
    void rowsReadTheirWorstFromTheHistogram() {
        ChannelRows.Row p99 = ChannelRows.Row.latencyP99("rt", "Java", true, samples());
        assertEquals("p99", p99.worstIs());
        assertEquals(990, p99.worst(), 1);
        assertEquals(500.5, p99.median(), 1e-9); // the median is unchanged: the mean of the middle two
        ChannelRows.Row p90 = ChannelRows.Row.latency("rt", "Java", true, samples());
        assertEquals("p90", p90.worstIs());
        assertEquals(900, p90.worst(), 1);
    }
}
