package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.multiprocessing4j.drivers.ShmProbe;
import org.multiprocessing4j.testing.JavaProgram;
import org.multiprocessing4j.testing.NoLeftovers;

/**
 * {@code /dev/shm} missing or full (issue 16 part 4), in a program of its own: its
 * {@code -Dmultiprocessing4j.shmdir} points where no directory can be made, or where its files
 * may not grow (a file-size limit, {@code ulimit -f}: HotSpot ignores SIGXFSZ, so a write past
 * it fails with EFBIG, as on a full tmpfs). Making any shared object fails at once with an
 * {@code UncheckedIOException} that names the directory and the property; an unbounded queue
 * whose items outgrow its ring fails at the {@code put} that needs more, losing nothing put
 * before, and goes on working.
 */
@ExtendWith(NoLeftovers.class)
@Timeout(180)
class ShmFullIT {
    private static final Duration LONG = Duration.ofSeconds(60);
    private static final String USER_DIR = "mp4j-" + System.getProperty("user.name").replaceAll("[^A-Za-z0-9._-]", "_");
    /** What the probe makes with no name; the named shared memory is {@link #NAMED}. */
    private static final List<String> KINDS = List.of("queue", "bounded queue", "joinable queue", "pipe", "lock",
            "reentrant lock", "condition", "semaphore", "event", "barrier", "shared long", "shared array",
            "shared memory");
    private static final String NAMED = "named shared memory";

    @TempDir
    Path dir;

    /** Runs the probe; returns its lines {@code name: outcome} by name, in order. */
    private static Map<String, String> probe(List<String> wrapper, Path shmdir, String mode) throws InterruptedException {
        try (JavaProgram p = JavaProgram.startUnder(wrapper, ShmProbe.class,
                List.of("-XX:-UsePerfData", "-Dmultiprocessing4j.shmdir=" + shmdir), mode)) {
            assertEquals(0, p.awaitExit(LONG), "the probe exits normally; stdout " + p.stdout() + ", stderr " + p.stderr());
            assertEquals(List.of(), p.stderr(), "nothing on the probe's standard error");
            List<String> out = p.stdout();
            assertEquals("done", out.get(out.size() - 1), out.toString());
            Map<String, String> lines = new LinkedHashMap<>();
            for (String line : out.subList(0, out.size() - 1)) {
                int colon = line.indexOf(": ");
                lines.merge(line.substring(0, colon), line.substring(colon + 2), (a, b) -> a + " | " + b);
            }
            return lines;
        }
    }

    /** {@code bash -c 'ulimit -f KIB && exec "$@"'}: no file the program writes may grow past {@code kib} KiB. */
    private static List<String> fileSizeLimit(int kib) {
        return List.of("bash", "-c", "ulimit -f " + kib + " && exec \"$@\"", "bash");
    }

    private static void assertEveryKindFailsNaming(Map<String, String> lines, Path shmdir, String reason) {
        String where = "shared memory for ";
        for (String kind : KINDS) {
            String line = lines.get(kind);
            assertTrue(line != null && line.startsWith("java.io.UncheckedIOException: java.io.IOException: cannot make ")
                    && line.contains(where) && line.contains(" in [" + shmdir.resolve(USER_DIR) + "]: ")
                    && line.contains(reason) && line.contains("set -Dmultiprocessing4j.shmdir"),
                    kind + ": " + line);
        }
    }

    @Test
    void everyKindFailsClearlyWhereNoDirectoryCanBeMade() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "");
        Path underAFile = file.resolve("shm");
        assertEveryKindFailsNaming(probe(List.of(), underAFile, "kinds"), underAFile, "Not a directory");
        // The user's directory planted as a link to somewhere else: refused, not followed.
        Path planted = Files.createDirectory(dir.resolve("planted"));
        Files.createSymbolicLink(planted.resolve(USER_DIR), Files.createDirectory(dir.resolve("elsewhere")));
        assertEveryKindFailsNaming(probe(List.of(), planted, "kinds"), planted, "exists and is not a directory");
        assertEquals(List.of(), NoLeftovers.regularFiles(dir.resolve("elsewhere")), "nothing made through the link");
    }

    /**
     * A directory this user may not write: every kind fails naming it and why. (Run as
     * {@code nobody} when this JVM is root, whom file permissions do not stop.)
     */
    @Test
    void everyKindFailsClearlyInADirectoryItMayNotWrite() throws Exception {
        Path readOnly = Files.createDirectory(dir.resolve("read-only"));
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        List<String> wrapper = List.of();
        String user = USER_DIR;
        if (Files.isWritable(readOnly)) {
            assumeTrue(JavaProgram.canRunAsNobody(), "root, and no setpriv to become nobody");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            wrapper = JavaProgram.AS_NOBODY;
            user = "mp4j-nobody";
        }
        Map<String, String> lines = probe(wrapper, readOnly, "kinds");
        for (String kind : KINDS) {
            String line = lines.get(kind);
            assertTrue(line.contains(" in [" + readOnly.resolve(user) + "]: ")
                    && (line.contains("denied") || line.contains("Denied")), kind + ": " + line);
        }
    }

    @Test
    void everyKindFailsClearlyWhenTheDiskIsFull() throws Exception {
        Path small = dir.resolve("small");
        Map<String, String> lines = probe(fileSizeLimit(2), small, "kinds");
        assertEveryKindFailsNaming(lines, small, "File too large");
        assertTrue(lines.get(NAMED).startsWith("java.io.UncheckedIOException: java.io.IOException: cannot make a"
                + " SharedMemory named 'probe"), lines.get(NAMED));
    }

    @Test
    void aNamedSharedMemoryThatCannotBeMadeNamesTheDirectory() throws Exception {
        Path small = dir.resolve("small");
        String line = probe(fileSizeLimit(2), small, "kinds").get(NAMED);
        assertTrue(line.contains(small.resolve(USER_DIR).toString()) && line.contains("-Dmultiprocessing4j.shmdir"),
                line);
    }

    /**
     * The ring (4 MiB) can be made, an overflow segment (16 MiB) cannot: the put that needs one
     * fails naming the directory, with nothing of it put; what was put before is delivered,
     * and the queue takes and gives items afterwards.
     */
    @Test
    void anUnboundedQueueWhoseOverflowCannotBeMadeFailsAtThePutAndLosesNothing() throws Exception {
        Path mid = dir.resolve("mid");
        Map<String, String> lines = probe(fileSizeLimit(8 << 10), mid, "overflow");
        String cannot = "java.io.UncheckedIOException: java.io.IOException: cannot make 16781184 bytes of shared memory"
                + " for the items of an unbounded queue beyond its ring in [" + mid.resolve(USER_DIR) + "]: File too"
                + " large (full? set -Dmultiprocessing4j.shmdir to a directory with room)";
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("put a", "ok");
        expected.put("put 2097152 bytes", "ok");
        expected.put("put 3145728 bytes", cannot);
        expected.put("put b", "ok");
        expected.put("offer 3145728 bytes", cannot);
        expected.put("size", "3");
        expected.put("taken", "a | 2097152 bytes | b | after");
        assertEquals(expected, lines);
    }
}
