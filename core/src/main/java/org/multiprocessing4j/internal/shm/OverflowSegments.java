package org.multiprocessing4j.internal.shm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.multiprocessing4j.internal.platform.RuntimeDirectory;

/**
 * The further segments of an unbounded queue whose items do not fit its own ring: one file per
 * leg of the queue's chain, {@code q<queue id>-<leg>.ovf} in the user's segment directory.
 *
 * <p>Unlike every other segment these keep their names while they hold items, because they
 * must outlive the producer that made them: a producer may put 64 MiB, end and be joined
 * before anyone reads. The consumer deletes each one once it has read it to the end. What a
 * crash leaves (every process of a queue killed while items were unread) is deleted by
 * {@link #sweepAbandoned}: a queue is alive exactly while some process has its own segment open,
 * which {@code /proc/<pid>/fd} of this user's processes tells.
 */
public final class OverflowSegments {
    private static final Pattern OVERFLOW_NAME = Pattern.compile("q([0-9a-f]+)-(\\d+)\\.ovf");
    /** A queue's own segment, as {@code /proc/<pid>/fd} shows it once unlinked. */
    private static final Pattern LIVE_SEGMENT = Pattern.compile(".*/\\d+-([0-9a-f]+)\\.seg \\(deleted\\)");
    /** The most bytes of shared memory one unbounded queue may use, its ring included. */
    public static final String MAX_BYTES_PROPERTY = "multiprocessing4j.queueMaxBytes";
    private static final long FALLBACK_MAX_BYTES = 1L << 30;
    private static final long SWEEP_INTERVAL_NANOS = 10_000_000_000L;
    private static volatile long defaultMaxBytes;
    private static volatile long lastSweep = System.nanoTime() - SWEEP_INTERVAL_NANOS;

    private OverflowSegments() {
    }

    /**
     * The most bytes a new unbounded queue may use: {@code -Dmultiprocessing4j.queueMaxBytes}, or
     * else a quarter of {@code /dev/shm} (which is half the memory by default, so a queue may
     * hold an eighth of it), or of the file system of the segment directory where there is no
     * {@code /dev/shm}, or 1 GiB where neither can be told.
     */
    public static long maxBytes() {
        Long asked = Long.getLong(MAX_BYTES_PROPERTY);
        if (asked != null && asked > 0) {
            return asked;
        }
        long known = defaultMaxBytes;
        if (known == 0) {
            known = FALLBACK_MAX_BYTES;
            List<Path> places = new ArrayList<>(List.of(Path.of("/dev/shm")));
            places.addAll(SegmentDirectory.candidates());
            for (Path place : places) {
                Path existing = place.toAbsolutePath();
                while (existing != null && !Files.isDirectory(existing)) {
                    existing = existing.getParent();
                }
                try {
                    if (existing != null && existing.getParent() != null) {
                        known = Math.max(FALLBACK_MAX_BYTES >> 4, Files.getFileStore(existing).getTotalSpace() / 4);
                        break;
                    }
                } catch (IOException e) {
                    // Try the next place.
                }
            }
            defaultMaxBytes = known;
        }
        return known;
    }

    private static String fileName(SegmentId queue, long leg) {
        return "q" + queue + "-" + leg + ".ovf";
    }

    /**
     * Makes the segment of {@code leg} of {@code queue}, replacing any a dead producer left
     * under that name, in the first segment directory with room.
     *
     * @throws UncheckedIOException if no directory has room, naming them
     */
    public static SharedSegment create(SegmentId queue, long leg, long size) {
        sweepAbandonedNowAndThen();
        return SegmentDirectory.inFirstWithRoom(size, "the items of an unbounded queue beyond its ring",
                dir -> Uninterruptibly.run(() -> createIn(dir, fileName(queue, leg), size)));
    }

    private static SharedSegment createIn(Path dir, String name, long size) throws IOException {
        Path file = null;
        FileChannel ch = null;
        try {
            RuntimeDirectory.ensurePrivateDirectory(dir);
            file = dir.toRealPath().resolve(name);
            Files.deleteIfExists(file);
            ch = SegmentDirectory.createPrivateFile(file);
            SegmentDirectory.fill(ch, size);
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_WRITE, 0, size);
            map.order(ByteOrder.nativeOrder());
            SegmentHeader.write(map, SegmentId.random(), SegmentKind.OVERFLOW);
            return new SharedSegment(SegmentHeader.id(map), SegmentKind.OVERFLOW, map, ch, -1, file.toString(),
                    new long[0]);
        } catch (IOException e) {
            SegmentDirectory.closeQuietly(ch);
            deleteQuietly(file);
            throw e;
        }
    }

    /**
     * The segment of {@code leg} of {@code queue}, mapped into this JVM.
     *
     * @throws IllegalStateException if it is not there (deleted by a sweep that found no
     *         process holding the queue, or the directory is not the one its maker used)
     */
    public static SharedSegment attach(SegmentId queue, long leg) {
        List<Path> dirs = SegmentDirectory.candidates();
        for (Path dir : dirs) {
            Path file = dir.resolve(fileName(queue, leg));
            SharedSegment s;
            try {
                s = Uninterruptibly.run(() -> tryOpen(file));
            } catch (IOException e) {
                continue;
            }
            if (s != null) {
                return s;
            }
        }
        throw new IllegalStateException("the items of an unbounded queue beyond its ring (part " + leg + ") are gone:"
                + " no q" + queue + "-" + leg + ".ovf in " + dirs + " (is -D" + SegmentDirectory.PROPERTY
                + " the same in every process of the queue?)");
    }

    /**
     * The overflow segment {@code file}, or null if it is too short or not one.
     *
     * @throws IOException if it cannot be opened (or an interrupt closed the channel)
     */
    private static SharedSegment tryOpen(Path file) throws IOException {
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            long size = ch.size();
            if (size < SegmentHeader.LENGTH) {
                SegmentDirectory.closeQuietly(ch);
                return null;
            }
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_WRITE, 0, size);
            map.order(ByteOrder.nativeOrder());
            if (!SegmentHeader.isWhole(map) || SegmentHeader.kind(map) != SegmentKind.OVERFLOW) {
                SegmentDirectory.closeQuietly(ch);
                return null;
            }
            return new SharedSegment(SegmentHeader.id(map), SegmentKind.OVERFLOW, map, ch, -1, file.toString(),
                    new long[0]);
        } catch (IOException | RuntimeException e) {
            SegmentDirectory.closeQuietly(ch);
            throw e;
        }
    }

    /** The overflow segment files of {@code queue} there are now: for tests and leak checks. */
    public static List<Path> filesOf(SegmentId queue) {
        List<Path> found = new ArrayList<>();
        for (Path dir : SegmentDirectory.candidates()) {
            for (Path file : overflowFiles(dir)) {
                Matcher m = OVERFLOW_NAME.matcher(file.getFileName().toString());
                if (m.matches() && m.group(1).equals(queue.toString())) {
                    found.add(file);
                }
            }
        }
        return found;
    }

    /** Deletes the segment of {@code leg} of {@code queue} wherever it is; processes that map it keep it. */
    public static void delete(SegmentId queue, long leg) {
        for (Path dir : SegmentDirectory.candidates()) {
            deleteQuietly(dir.resolve(fileName(queue, leg)));
        }
    }

    /**
     * Deletes every overflow segment of {@code queue} unless some process other than this one
     * still has the queue open: for this JVM once it has dropped the queue.
     */
    public static void deleteIfAbandoned(SegmentId queue) {
        if (!ProcFds.AVAILABLE || liveQueues(false).contains(queue.toString())) {
            return;
        }
        filesOf(queue).forEach(OverflowSegments::deleteQuietly);
    }

    /** {@link #sweepAbandoned}, at most every ten seconds. */
    private static void sweepAbandonedNowAndThen() {
        long now = System.nanoTime();
        if (now - lastSweep >= SWEEP_INTERVAL_NANOS) {
            lastSweep = now;
            sweepAbandoned();
        }
    }

    /** Deletes the overflow segments of queues that no process has open any more (all were killed). */
    public static void sweepAbandoned() {
        if (!ProcFds.AVAILABLE) {
            return;
        }
        Set<String> live = null;
        for (Path dir : SegmentDirectory.candidates()) {
            for (Path file : overflowFiles(dir)) {
                if (live == null) {
                    live = liveQueues(true);
                }
                Matcher m = OVERFLOW_NAME.matcher(file.getFileName().toString());
                if (m.matches() && !live.contains(m.group(1))) {
                    deleteQuietly(file);
                }
            }
        }
    }

    private static List<Path> overflowFiles(Path dir) {
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return files;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*.ovf")) {
            entries.forEach(files::add);
        } catch (IOException | RuntimeException e) {
            // Best effort: a file left costs memory until the next sweep, never correctness.
        }
        return files;
    }

    /**
     * The ids of the segments that processes of this user have open, read from every
     * {@code /proc/<pid>/fd} this user may read.
     */
    private static Set<String> liveQueues(boolean includingThisJvm) {
        Set<String> live = new HashSet<>();
        String self = Long.toString(ProcessHandle.current().pid());
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path proc : procs) {
                if (!includingThisJvm && proc.getFileName().toString().equals(self)) {
                    continue;
                }
                try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
                    for (Path fd : fds) {
                        try {
                            Matcher m = LIVE_SEGMENT.matcher(Files.readSymbolicLink(fd).toString());
                            if (m.matches()) {
                                live.add(m.group(1));
                            }
                        } catch (IOException | RuntimeException gone) {
                            // Closed while we looked.
                        }
                    }
                } catch (IOException | RuntimeException notOurs) {
                    // Another user's process, or one that ended while we looked.
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc", e);
        }
        return live;
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // The directory is private; the next sweep tries again.
        }
    }
}
