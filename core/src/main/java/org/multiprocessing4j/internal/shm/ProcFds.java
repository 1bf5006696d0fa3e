package org.multiprocessing4j.internal.shm;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Which descriptors of this JVM point where, read from {@code /proc/self/fd}: the JDK does not
 * tell the descriptor number behind a {@code FileChannel}, and other processes of this user
 * reach a segment through {@code /proc/<pid>/fd/<fd>}.
 */
final class ProcFds {
    /** Whether this system has {@code /proc/self/fd} (Linux); elsewhere segments keep their names. */
    static final boolean AVAILABLE = Files.isDirectory(Path.of("/proc/self/fd"));

    private ProcFds() {
    }

    /** This JVM's descriptors whose link reads {@code target}. */
    static Set<Integer> pointingAt(String target) throws IOException {
        Set<Integer> found = new HashSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path e : entries) {
                try {
                    if (Files.readSymbolicLink(e).toString().equals(target)) {
                        found.add(Integer.parseInt(e.getFileName().toString()));
                    }
                } catch (IOException | NumberFormatException gone) {
                    // Closed while we looked.
                }
            }
        }
        return found;
    }

    /** The one descriptor through which this JVM has open the file whose link reads {@code target}, or -1. */
    static int onlyOnePointingAt(String target) {
        try {
            Set<Integer> fds = pointingAt(target);
            return fds.size() == 1 ? fds.iterator().next() : -1;
        } catch (IOException e) {
            return -1;
        }
    }
}
