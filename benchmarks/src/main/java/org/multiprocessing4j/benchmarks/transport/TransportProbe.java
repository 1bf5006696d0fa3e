package org.multiprocessing4j.benchmarks.transport;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures candidate transports for cross-process queues and pipes between two JVMs: Unix
 * domain sockets and a shared-memory SPSC ring of our own (with several waiting strategies
 * and a Unix-socket doorbell). Prints one table. Each probe starts its second JVM itself and
 * ends it; no file is left behind.
 *
 * <pre>
 * cd /work/main &amp;&amp; mvn -q -B -ntp -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/classes:core/target/classes org.multiprocessing4j.benchmarks.transport.TransportProbe [uds] [ring] [shared]
 * </pre>
 *
 * No argument runs all three groups (about 50 s). Knobs (system properties, passed on to the
 * second JVM): {@code probe.spins}, {@code probe.yields}, {@code probe.parkMaxNanos} (the
 * backoff), {@code probe.pingModes} / {@code probe.bulkModes} (comma-separated
 * {@link Waiter.Mode} names; empty skips), {@code probe.bulkRing} (bytes), {@code probe.eagerHead}.
 * See docs/measurements/transport.md.
 */
public final class TransportProbe {
    private TransportProbe() {
    }

    public static void main(String[] args) throws Exception {
        boolean all = args.length == 0;
        List<String> which = List.of(args);
        long t0 = System.nanoTime();
        List<Row> rows = new ArrayList<>();
        try (Scratch scratch = new Scratch()) {
            Runtime.getRuntime().addShutdownHook(new Thread(scratch::close, "scratch-cleaner"));
            if (all || which.contains("uds")) {
                rows.addAll(UdsProbe.run(scratch));
            }
            if (all || which.contains("ring")) {
                rows.addAll(RingProbe.run(scratch));
            }
            if (all || which.contains("shared")) {
                rows.addAll(MpscProbe.run(scratch));
            }
        }
        System.out.printf("transport probe, %s, JDK %s, %d CPUs; backoff: %d spins, %d yields, park 1 µs..%d µs;"
                        + " ring head published %s%n",
                LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME).substring(0, 16),
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
                Waiter.SPINS, Waiter.YIELDS, Waiter.PARK_MAX_NANOS / 1000,
                RingProbe.LAZY_HEAD ? "every ring/4" : "every record");
        Row.print(rows);
        System.out.printf("(%.0f s)%n", (System.nanoTime() - t0) / 1e9);
    }
}
