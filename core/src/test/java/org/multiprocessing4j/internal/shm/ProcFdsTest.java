package org.multiprocessing4j.internal.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ProcFds#fdOf} reads a channel's descriptor number from the JDK's fields; it must be
 * the number {@code /proc/self/fd} shows for that file, and it is there exactly up to JDK 23.
 */
class ProcFdsTest {
    @Test
    void theDescriptorReadFromTheChannelIsTheOneProcShows(@TempDir Path dir) throws IOException {
        assumeTrue(ProcFds.AVAILABLE, "this system has no /proc/self/fd");
        Path file = dir.toRealPath().resolve("segment"); // /proc shows paths with links resolved
        try (FileChannel a = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
             FileChannel b = FileChannel.open(file, StandardOpenOption.READ)) {
            Set<Integer> shown = ProcFds.pointingAt(file.toString());
            assertEquals(2, shown.size(), "expected /proc/self/fd to show the two descriptors of " + file);
            boolean canTell = Runtime.version().feature() <= 23 && !"false".equals(System.getProperty("multiprocessing4j.unsafe"));
            assertEquals(canTell, ProcFds.canTellFd(), "expected a channel's descriptor to be readable exactly up to"
                    + " JDK 23 (this is " + Runtime.version().feature() + ")");
            if (canTell) {
                int fa = ProcFds.fdOf(a);
                int fb = ProcFds.fdOf(b);
                assertTrue(shown.contains(fa) && shown.contains(fb) && fa != fb, "expected the channels' descriptors "
                        + fa + " and " + fb + " to be the two /proc/self/fd shows: " + shown);
            } else {
                assertEquals(-1, ProcFds.fdOf(a), "expected no descriptor where it cannot be read");
            }
            a.close();
            assertEquals(-1, ProcFds.fdOf(a), "expected no descriptor for a closed channel");
        }
    }
}
