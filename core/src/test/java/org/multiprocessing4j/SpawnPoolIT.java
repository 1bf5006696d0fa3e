package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.drivers.Drivers;
import org.multiprocessing4j.testing.JavaProgram;

class SpawnPoolIT extends PoolContract {
    @Override
    StartMethod startMethod() {
        return StartMethod.SPAWN;
    }

    /**
     * A cold pool boots its workers one per two cores at a time, the next as one says READY (two
     * JVMs booting side by side on two cores each took nearly as long as both in a row); with an
     * initializer, which may take long, all at once.
     */
    @Test
    void aColdPoolBootsItsWorkersAFewAtATimeUnlessItHasAnInitializer() throws Exception {
        try (JavaProgram program = JavaProgram.start(Drivers.StaggeredPoolStart.class,
                List.of("-Dmultiprocessing4j.pool.bootsAtOnce=1"))) {
            assertEquals(0, program.awaitExit(Duration.ofSeconds(120)), "the driver's exit code; stderr: "
                    + program.stderr());
            assertEquals(List.of("plain, at first 1", "plain, then 3 [2, 3, 4, 5, 6, 7]", "with an initializer, at first 3"),
                    program.stdout());
        }
    }
}
