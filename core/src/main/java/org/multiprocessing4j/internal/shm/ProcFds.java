package org.multiprocessing4j.internal.shm;

import java.io.FileDescriptor;
import java.io.IOException;
import java.nio.channels.FileChannel;
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

    /** The JDK's {@code FileChannel} class, whose {@code fd} field holds its descriptor; or null. */
    private static final Class<?> CHANNEL_CLASS = channelClass();
    private static final long CHANNEL_FD = CHANNEL_CLASS == null ? -1 : QuietUnsafe.fieldOffset(CHANNEL_CLASS, "fd");
    private static final long DESCRIPTOR_FD = QuietUnsafe.fieldOffset(FileDescriptor.class, "fd");

    private ProcFds() {
    }

    private static Class<?> channelClass() {
        try {
            return Class.forName("sun.nio.ch.FileChannelImpl", false, FileChannel.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    /** Whether {@link #fdOf} can tell a channel's descriptor (else it always answers -1). */
    static boolean canTellFd() {
        return QuietUnsafe.U != null && CHANNEL_FD >= 0 && DESCRIPTOR_FD >= 0;
    }

    /**
     * The descriptor number behind {@code ch}, read from the JDK's own fields where
     * {@link QuietUnsafe} may be used; -1 where it may not (the caller then searches
     * {@code /proc/self/fd}). A search reads the link of every descriptor of this JVM, twice for
     * an attach: about a millisecond in a pool worker that attaches its two queues as it starts.
     */
    static int fdOf(FileChannel ch) {
        sun.misc.Unsafe u = QuietUnsafe.U;
        if (u == null || CHANNEL_FD < 0 || DESCRIPTOR_FD < 0 || ch.getClass() != CHANNEL_CLASS || !ch.isOpen()) {
            return -1;
        }
        Object descriptor = u.getObject(ch, CHANNEL_FD);
        if (!(descriptor instanceof FileDescriptor)) {
            return -1;
        }
        int fd = u.getInt(descriptor, DESCRIPTOR_FD);
        return fd >= 0 ? fd : -1;
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
