package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiprocessing4j.drivers.Drivers;
import org.multiprocessing4j.testing.Await;
import org.multiprocessing4j.testing.JavaProgram;
import org.multiprocessing4j.testing.NoLeftovers;

/** No worker JVM outlives the program that owns the pool, however it ends. */
@ExtendWith(NoLeftovers.class)
@Timeout(120)
class PoolLifetimeIT {
    private static final Duration LONG = Duration.ofSeconds(60);

    @Test
    void workersEndWhenThePoolsOwnerIsKilled() throws Exception {
        for (StartMethod method : StartMethod.values()) {
            try (JavaProgram program = JavaProgram.start(Drivers.PoolOwner.class,
                    List.of("-Dmultiprocessing4j.startMethod=" + method))) {
                program.awaitStdoutLine(LONG, "the line 'ready'", "ready"::equals);
                List<Long> pids = program.stdout().stream()
                        .filter(l -> l.startsWith("worker ") || l.startsWith("idle "))
                        .map(l -> Long.parseLong(l.substring(l.indexOf(' ') + 1)))
                        .collect(Collectors.toList());
                assertEquals(2, pids.stream().filter(p -> program.stdout().contains("worker " + p)).count(),
                        program.stdout().toString());
                program.process().destroyForcibly();
                program.awaitExit(LONG);
                Await.until(LONG, method + ": the workers " + pids + " to end after their owner was killed",
                        () -> pids.stream().allMatch(Await::hasEnded));
            }
        }
    }
}
