package org.multiprocessing4j.internal.shm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where segment files are made: a private (0700) directory of this user under {@code /dev/shm},
 * or under {@code java.io.tmpdir} when there is no {@code /dev/shm} or it is full
 * ({@code -Dmultiprocessing4j.shmdir} overrides), files 0600, each filled before it is mapped.
 */
final class SegmentDirectory {
    static final String PROPERTY = "multiprocessing4j.shmdir";
    private static final Pattern SEGMENT_NAME = Pattern.compile("(\\d+)-[0-9a-f]+\\.seg");
    private static final Set<StandardOpenOption> NEW_FILE = EnumSet.of(
            StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
    private static final FileAttribute<?> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private SegmentDirectory() {
    }

    /** Where to make a segment, in order of preference: memory first, then the temporary directory. */
    static List<Path> candidates() {
        String user = "mp4j-" + System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
        String configured = System.getProperty(PROPERTY);
        if (configured != null && !configured.isEmpty()) {
            return List.of(Path.of(configured).toAbsolutePath().resolve(user));
        }
        List<Path> dirs = new ArrayList<>();
        Path shm = Path.of("/dev/shm");
        if (Files.isDirectory(shm) && Files.isWritable(shm)) {
            dirs.add(shm.resolve(user));
        }
        dirs.add(Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().resolve(user));
        return dirs;
    }

    /** Makes something in one directory; an {@code IOException} sends the caller to the next. */
    interface Maker<T> {
        T makeIn(Path dir) throws IOException;
    }

    /**
     * What {@code maker} makes in the first of the {@link #candidates()} where it succeeds: a
     * full {@code /dev/shm} (64 MiB in a default Docker container) is common.
     *
     * @param what how an error message names what the {@code size} bytes are for
     * @throws UncheckedIOException if it fails everywhere, naming the directories and the
     *         property that chooses another
     */
    static <T> T inFirstWithRoom(long size, String what, Maker<T> maker) {
        List<Path> dirs = candidates();
        IOException failure = null;
        for (Path dir : dirs) {
            try {
                return maker.makeIn(dir);
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        throw new UncheckedIOException(new IOException("cannot make " + size + " bytes of shared memory for "
                + what + " in " + dirs + ": " + whyNot(failure), failure));
    }

    /**
     * Why a segment could not be made, and what to do, for an error message. An
     * {@code AccessDeniedException}'s message is only the path, and asking "full?" about a
     * directory this user may not write sends the user after the wrong cause.
     */
    static String whyNot(IOException failure) {
        if (failure instanceof AccessDeniedException) {
            return "permission denied on " + ((AccessDeniedException) failure).getFile() + " (set -D" + PROPERTY
                    + " to a directory this user may write)";
        }
        return failure.getMessage() + " (full? set -D" + PROPERTY + " to a directory with room)";
    }

    /** The file name of a new unnamed segment made by this process. */
    static String fileName(SegmentId id) {
        return ProcessHandle.current().pid() + "-" + id + ".seg";
    }

    /** Makes {@code file} (which must not exist), readable and writable by its owner only. */
    static FileChannel createPrivateFile(Path file) throws IOException {
        try {
            return FileChannel.open(file, NEW_FILE, OWNER_ONLY);
        } catch (UnsupportedOperationException notPosix) {
            return FileChannel.open(file, NEW_FILE);
        }
    }

    /**
     * Writes {@code size} zero bytes: a full tmpfs fails here with an {@code IOException}
     * instead of a SIGBUS at some later write to the mapping.
     */
    static void fill(FileChannel ch, long size) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocateDirect((int) Math.min(size, 1 << 16));
        long at = 0;
        while (at < size) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), size - at));
            at += ch.write(zeros, at);
        }
    }

    /** How often a JVM looks for stale segment files in a directory: they are rare, a look is not free. */
    private static final long SWEEP_PERIOD_NANOS = 1_000_000_000L;
    /** When this JVM last looked in each directory. */
    private static final Map<Path, Long> LAST_SWEEP = new ConcurrentHashMap<>();

    /**
     * Removes segment files whose creator is gone (killed between creating and unlinking), at
     * most once a second per directory: a file is left only by a process killed in the
     * microseconds between two system calls, and a look (listing the directory, asking after
     * each creator) cost a quarter of a millisecond of each new queue, three of them a new pool.
     */
    static void sweepStale(Path dir) {
        long now = System.nanoTime();
        Long last = LAST_SWEEP.get(dir);
        if (last != null && now - last < SWEEP_PERIOD_NANOS) {
            return;
        }
        LAST_SWEEP.put(dir, now);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*.seg")) {
            for (Path e : entries) {
                Matcher m = SEGMENT_NAME.matcher(e.getFileName().toString());
                if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()) {
                    Files.deleteIfExists(e);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Best effort: a stale file wastes memory, never correctness.
        }
    }

    static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // Nothing more to do.
            }
        }
    }
}
