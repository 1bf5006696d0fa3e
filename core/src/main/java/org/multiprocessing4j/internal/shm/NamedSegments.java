package org.multiprocessing4j.internal.shm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.multiprocessing4j.internal.platform.RuntimeDirectory;

/**
 * Segments that keep a name (a user-named {@code SharedMemory}), in the {@code named}
 * subdirectory of the user's private segment directory: they live until their name is
 * unlinked, as in Python, and anyone of this user can attach by name.
 */
public final class NamedSegments {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,200}");

    private NamedSegments() {
    }

    /**
     * Makes a named segment.
     *
     * @throws IllegalArgumentException if the name is not 1–200 of {@code [A-Za-z0-9._-]}, or is "." or ".."
     * @throws IllegalStateException if a segment of that name exists
     * @throws UncheckedIOException if there is no room for it
     */
    public static SharedSegment create(String name, SegmentKind kind, long size, String what) {
        checkName(name);
        List<Path> dirs = SegmentDirectory.candidates();
        for (Path dir : dirs) {
            if (Files.exists(dir.resolve("named").resolve(name), LinkOption.NOFOLLOW_LINKS)) {
                throw new IllegalStateException(what + " named '" + name + "' exists already");
            }
        }
        IOException failure = null;
        for (Path dir : dirs) {
            try {
                return Uninterruptibly.run(() -> createIn(dir, name, kind, size, what));
            } catch (IOException e) {
                failure = e;
            }
        }
        throw new UncheckedIOException(new IOException("cannot make " + what + " named '" + name + "' of " + size
                + " bytes in " + dirs + ": " + (failure == null ? "no directory" : SegmentDirectory.whyNot(failure)),
                failure));
    }

    private static SharedSegment createIn(Path dir, String name, SegmentKind kind, long size, String what)
            throws IOException {
        Path named = dir.resolve("named");
        Path file = named.resolve(name);
        // Made and filled under a private name, then published with a hard link, which fails if
        // the name exists: two processes creating one name cannot both succeed, and nobody can
        // attach to a half-made block.
        Path temporary = named.resolve("." + name + "." + ProcessHandle.current().pid() + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        FileChannel ch = null;
        try {
            RuntimeDirectory.ensurePrivateDirectory(dir);
            RuntimeDirectory.ensurePrivateDirectory(named);
            ch = SegmentDirectory.createPrivateFile(temporary);
            SegmentDirectory.fill(ch, size);
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_WRITE, 0, size);
            map.order(ByteOrder.nativeOrder());
            SegmentId id = SegmentId.random();
            SegmentHeader.write(map, id, kind);
            try {
                Files.createLink(file, temporary);
            } catch (FileAlreadyExistsException taken) {
                throw new IllegalStateException(what + " named '" + name + "' exists already", taken);
            } finally {
                Files.deleteIfExists(temporary);
            }
            return SharedSegment.register(new SharedSegment(id, kind, map, ch, -1, file.toString(), new long[0]));
        } catch (IOException | RuntimeException e) {
            SegmentDirectory.closeQuietly(ch);
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException ignored) {
                // The caller reports the failure that matters.
            }
            throw e;
        }
    }

    /**
     * The named segment {@code name}, mapped into this JVM.
     *
     * @throws IllegalArgumentException if the name is not valid
     * @throws IllegalStateException if there is no such segment
     */
    public static SharedSegment attach(String name, SegmentKind kind, String what) {
        checkName(name);
        for (Path dir : SegmentDirectory.candidates()) {
            Path file = dir.resolve("named").resolve(name);
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            try {
                return Uninterruptibly.run(() -> open(file, kind, what));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open " + what + " named '" + name + "'", e);
            }
        }
        throw new IllegalStateException("there is no " + what + " named '" + name + "' (looked in "
                + SegmentDirectory.candidates() + "; was it unlinked, or made by another user?)");
    }

    private static SharedSegment open(Path file, SegmentKind kind, String what) throws IOException {
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            long size = ch.size();
            if (size < SegmentHeader.LENGTH) {
                throw new IllegalStateException(file + " is not " + what);
            }
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_WRITE, 0, size);
            map.order(ByteOrder.nativeOrder());
            if (!SegmentHeader.isWhole(map) || SegmentHeader.kind(map) != kind) {
                throw new IllegalStateException(file + " is not " + what);
            }
            SegmentId id = SegmentHeader.id(map);
            SharedSegment known = SharedSegment.mapped(id);
            if (known != null) {
                SegmentDirectory.closeQuietly(ch);
                return known;
            }
            return SharedSegment.register(new SharedSegment(id, kind, map, ch, -1, file.toString(), new long[0]));
        } catch (IOException | RuntimeException e) {
            SegmentDirectory.closeQuietly(ch);
            throw e;
        }
    }

    private static void checkName(String name) {
        Objects.requireNonNull(name, "name");
        // "." and ".." are made of allowed characters but name the directory and its parent.
        if (!NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("a shared memory name is 1 to 200 of the characters A-Z a-z 0-9 . _ -,"
                    + " other than '.' and '..', not '" + name + "'");
        }
    }
}
