package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiprocessing4j.drivers.Drivers;
import org.multiprocessing4j.testing.JavaProgram;
import org.multiprocessing4j.testing.NoLeftovers;

/**
 * The class-data archive of child JVMs: made once, then used; a corrupt one is ignored in
 * silence. Only where the library comes from a jar (as under Failsafe), since an archive may
 * not depend on class-path directories.
 */
@ExtendWith(NoLeftovers.class)
@Timeout(180)
class ClassDataArchiveIT {
    private static final Duration LONG = Duration.ofSeconds(60);

    private static List<Path> archives(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jsa")).collect(Collectors.toList());
        }
    }

    private static void runsCleanly() throws Exception {
        try (JavaProgram program = JavaProgram.start(Drivers.Logging.class, "default")) {
            assertEquals(0, program.awaitExit(LONG));
            assertEquals(List.of("Doing some work"), program.stdout());
            assertEquals(List.of(), program.stderr(), "nothing from the JVM about its class-data archive");
        }
    }

    @Test
    void anArchiveIsMadeThenUsedAndACorruptOneIsIgnored() throws Exception {
        String location = JvmProcess.class.getProtectionDomain().getCodeSource().getLocation().getPath();
        assumeTrue(location.endsWith(".jar"), "the library is not in a jar here: " + location);
        String cache = System.getenv("XDG_CACHE_HOME");
        assumeTrue(cache != null, "the build sets XDG_CACHE_HOME for integration tests");
        Path dir = Path.of(cache, "multiprocessing4j");

        runsCleanly(); // makes the archive if it was missing, before it exits
        List<Path> made = archives(dir);
        assertEquals(false, made.isEmpty(), "an archive in " + dir);

        runsCleanly(); // uses it

        for (Path archive : made) {
            Files.delete(archive);
            Files.writeString(archive, "not an archive", StandardCharsets.UTF_8);
        }
        runsCleanly(); // ignores it
        for (Path archive : made) {
            Files.delete(archive);
        }
    }
}
