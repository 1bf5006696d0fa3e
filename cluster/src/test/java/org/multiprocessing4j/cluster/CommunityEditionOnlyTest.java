package org.multiprocessing4j.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The cluster module uses only Hazelcast's Apache-2.0 core: no type of the CP subsystem
 * ({@code com.hazelcast.cp}: {@code FencedLock}, {@code ISemaphore}, {@code IAtomicLong}…), which
 * is Enterprise since 5.5 and fails on Community at run time. A class that names one fails the
 * build here, whether it is used directly or only referred to.
 */
class CommunityEditionOnlyTest {
    private static final Path CLASSES = Path.of("target", "classes");

    @Test
    void noClassOfTheModuleRefersToTheCpSubsystem() throws IOException {
        List<Path> classFiles;
        try (Stream<Path> all = Files.walk(CLASSES)) {
            classFiles = all.filter(p -> p.toString().endsWith(".class")).collect(Collectors.toList());
        }
        assertFalse(classFiles.isEmpty(), "the module's classes are in " + CLASSES.toAbsolutePath());
        List<String> offenders = classFiles.stream().filter(CommunityEditionOnlyTest::namesCpType)
                .map(p -> CLASSES.relativize(p).toString()).collect(Collectors.toList());
        assertEquals(List.of(), offenders, "classes that refer to com.hazelcast.cp (Enterprise-only since 5.5)");
    }

    private static boolean namesCpType(Path classFile) {
        try {
            // Every type a class refers to is named in its constant pool, in internal form.
            String pool = new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1);
            return pool.contains("com/hazelcast/cp/") || pool.contains("com.hazelcast.cp.");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
