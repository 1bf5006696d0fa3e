package org.multiprocessing4j.internal.shm;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.lang.invoke.VarHandle;
import java.lang.ref.Cleaner;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.multiprocessing4j.internal.platform.RuntimeDirectory;

/**
 * A file of shared memory mapped by every process that uses one queue or pipe.
 *
 * <p>The creator makes the file (0600, in a 0700 directory under {@code /dev/shm}), fills it so
 * that a full tmpfs fails here with an {@code IOException} instead of a SIGBUS at some later
 * write, maps it, and unlinks it at once. From then on the memory lives exactly as long as some
 * process keeps it open or mapped: nothing is left behind, even if every process is killed
 * with SIGKILL. A process that attaches later opens it through {@code /proc/<pid>/fd/<fd>} of
 * a process that holds it (the creator, or whoever passed the handle on); the kernel allows
 * that only to the same user. Where there is no {@code /proc} the file keeps its name and is
 * deleted when the creating JVM exits.
 *
 * <p>Each process maps a segment once; {@link #attach} returns the mapping this JVM already
 * has. The mapping and the descriptor are released when nothing in the JVM refers to the
 * segment any more.
 *
 * <p>Words shared between processes are read and written through {@link Words}.
 */
public final class SharedSegment {
    /** Where segments are made; for tests. */
    public static final String DIRECTORY_PROPERTY = "multiprocessing4j.shmdir";

    private static final long MAGIC = 0x6d70346a5f736567L; // "mp4j_seg"
    private static final int MAGIC_AT = 0;
    private static final int ID_AT = 8;
    private static final int KIND_AT = 24;
    /** Bytes at the start of every segment that belong to this class. */
    public static final int HEADER_BYTES = 64;

    private static final Map<Id, WeakReference<SharedSegment>> MAPPED = new ConcurrentHashMap<>();
    private static final Cleaner CLEANER = Cleaner.create();
    private static final int MAX_HOLDERS = 4;

    // Id and Locator are plain classes, not records: a fresh JVM deserializes a record through
    // method handles and bootstraps its equals/hashCode, about 40 ms of a pool worker's start.

    /** The identity of a segment, unique among all segments ever made. */
    public static final class Id implements Serializable {
        private static final long serialVersionUID = 1L;
        final long high;
        final long low;

        Id(long high, long low) {
            this.high = high;
            this.low = low;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Id && ((Id) o).high == high && ((Id) o).low == low;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(high) * 31 + Long.hashCode(low);
        }

        @Override
        public String toString() {
            return Long.toHexString(high) + Long.toHexString(low);
        }
    }

    /**
     * How another process of this user finds a segment: its identity, and where to open it.
     * Small, so that handles to queues and pipes stay small.
     */
    public static final class Locator implements Serializable {
        private static final long serialVersionUID = 1L;
        private final Id id;
        private final int kind;
        private final long size;
        /** "pid:fd pid:fd": a string, not a long[], as a strict jdk.serialFilter may refuse arrays. */
        private final String holders;
        private final String path;

        Locator(Id id, int kind, long size, String holders, String path) {
            this.id = id;
            this.kind = kind;
            this.size = size;
            this.holders = holders;
            this.path = path;
        }

        Id id() {
            return id;
        }

        int kind() {
            return kind;
        }

        long size() {
            return size;
        }

        String path() {
            return path;
        }

        /** The holders as {@code pid, fd} pairs. */
        long[] holderPidsAndFds() {
            if (holders == null || holders.isEmpty()) {
                return new long[0];
            }
            String[] pairs = holders.split(" ");
            long[] out = new long[pairs.length * 2];
            for (int i = 0; i < pairs.length; i++) {
                int colon = pairs[i].indexOf(':');
                out[2 * i] = Long.parseLong(pairs[i].substring(0, colon));
                out[2 * i + 1] = Long.parseLong(pairs[i].substring(colon + 1));
            }
            return out;
        }
    }

    public final Id id;
    public final int kind;
    public final ByteBuffer buffer;
    private final FileChannel file;
    private final int fd; // -1 where the file keeps its name
    private final String path; // null once unlinked
    private final long[] origin; // how this JVM found the segment: holders to pass on

    private SharedSegment(Id id, int kind, MappedByteBuffer buffer, FileChannel file, int fd, String path,
                          long[] origin) {
        this.id = id;
        this.kind = kind;
        this.buffer = buffer;
        this.file = file;
        this.fd = fd;
        this.path = path;
        this.origin = origin;
        CLEANER.register(this, new CloseFile(file, id));
    }

    /** Closes the descriptor of a segment nothing refers to; the GC unmaps its buffer. */
    private static final class CloseFile implements Runnable {
        private final FileChannel file;
        private final Id id;

        CloseFile(FileChannel file, Id id) {
            this.file = file;
            this.id = id;
        }

        @Override
        public void run() {
            MAPPED.computeIfPresent(id, (k, ref) -> ref.get() == null ? null : ref);
            try {
                file.close();
            } catch (IOException ignored) {
                // Nothing to release that the kernel will not release at exit.
            }
        }
    }

    /**
     * Makes a new zero-filled segment of {@code size} bytes.
     *
     * @param what how the caller names the channel in an error message
     * @throws UncheckedIOException if there is no room for it, naming the directory
     */
    public static SharedSegment create(int kind, long size, String what) {
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + " would need " + size
                    + " bytes of shared memory; the most is " + Integer.MAX_VALUE);
        }
        List<Path> dirs = directories();
        IOException failure = null;
        for (Path dir : dirs) {
            try {
                return createIn(dir, kind, size);
            } catch (IOException e) {
                // A full /dev/shm (64 MiB in a default Docker container) is common: try the next.
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        throw new UncheckedIOException(new IOException("cannot make " + size + " bytes of shared memory for "
                + what + " in " + dirs + ": " + failure.getMessage() + " (full? set -D" + DIRECTORY_PROPERTY
                + " to a directory with room)", failure));
    }

    private static SharedSegment createIn(Path dir, int kind, long size) throws IOException {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Id id = new Id(random.nextLong(), random.nextLong());
        RuntimeDirectory.ensurePrivateDirectory(dir);
        // The real path: /proc/self/fd shows where a descriptor points with symbolic links resolved.
        Path real = dir.toRealPath();
        sweepStale(real);
        Path file = real.resolve(ProcessHandle.current().pid() + "-" + id + ".seg");
        FileChannel ch = null;
        try {
            try {
                ch = FileChannel.open(file, Set0600.OPTIONS, Set0600.ATTRIBUTE);
            } catch (UnsupportedOperationException notPosix) {
                ch = FileChannel.open(file, Set0600.OPTIONS);
            }
            // Unlinked the moment it is open, so that a kill leaves a name only in the few
            // microseconds between two system calls (and the next segment made here sweeps it).
            int fd = -1;
            String keptPath = null;
            if (PROC_FDS) {
                Files.delete(file);
                fd = findDescriptor(file.toString() + " (deleted)");
                if (fd < 0) {
                    throw new IOException("cannot find the descriptor of " + file + " in /proc/self/fd");
                }
            } else {
                keptPath = file.toString();
                file.toFile().deleteOnExit();
            }
            fill(ch, size);
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_WRITE, 0, size);
            map.order(ByteOrder.nativeOrder());
            Words.setPlain(map, ID_AT, id.high);
            Words.setPlain(map, ID_AT + 8, id.low);
            Words.setIntPlain(map, KIND_AT, kind);
            Words.setRelease(map, MAGIC_AT, MAGIC);
            SharedSegment s = new SharedSegment(id, kind, map, ch, fd, keptPath, new long[0]);
            MAPPED.put(id, new WeakReference<>(s));
            return s;
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch);
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // The directory is private; sweepStale removes it later.
            }
            if (e instanceof IOException) {
                throw (IOException) e;
            }
            throw new IOException(e.toString(), e);
        }
    }

    private static final java.util.regex.Pattern SEGMENT_NAME = java.util.regex.Pattern.compile("(\\d+)-[0-9a-f]+\\.seg");

    /** Removes segment files whose creator is gone (killed between creating and unlinking). */
    private static void sweepStale(Path dir) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*.seg")) {
            for (Path e : entries) {
                java.util.regex.Matcher m = SEGMENT_NAME.matcher(e.getFileName().toString());
                if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()) {
                    Files.deleteIfExists(e);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Best effort: a stale file wastes memory, never correctness.
        }
    }

    /** Options and permissions of a new segment file. */
    private static final class Set0600 {
        static final java.util.Set<StandardOpenOption> OPTIONS = java.util.EnumSet.of(
                StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
        static final java.nio.file.attribute.FileAttribute<?> ATTRIBUTE =
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    }

    /**
     * The segment {@code locator} names, mapped into this JVM (or the mapping it already has).
     *
     * @throws IllegalStateException if every process that held it has ended, so it is gone
     */
    public static SharedSegment attach(Locator locator) {
        WeakReference<SharedSegment> ref = MAPPED.get(locator.id());
        SharedSegment known = ref == null ? null : ref.get();
        if (known != null) {
            return known;
        }
        synchronized (MAPPED) {
            ref = MAPPED.get(locator.id());
            known = ref == null ? null : ref.get();
            if (known != null) {
                return known;
            }
            List<String> candidates = new ArrayList<>();
            long[] h = locator.holderPidsAndFds();
            for (int i = 0; i + 1 < h.length; i += 2) {
                candidates.add("/proc/" + h[i] + "/fd/" + h[i + 1]);
            }
            if (locator.path() != null) {
                candidates.add(locator.path());
            }
            for (String candidate : candidates) {
                SharedSegment s = tryOpen(Path.of(candidate), locator);
                if (s != null) {
                    MAPPED.put(s.id, new WeakReference<>(s));
                    return s;
                }
            }
            throw new IllegalStateException("cannot attach to a queue or pipe made by another process: every"
                    + " process that held it has ended (tried " + candidates + ")");
        }
    }

    private static SharedSegment tryOpen(Path candidate, Locator locator) {
        FileChannel ch = null;
        try {
            boolean viaProc = locator.path() == null;
            String target = viaProc ? Files.readSymbolicLink(candidate).toString() : null;
            java.util.Set<Integer> before = viaProc ? descriptorsOf(target) : java.util.Set.of();
            ch = FileChannel.open(candidate, StandardOpenOption.READ, StandardOpenOption.WRITE);
            if (ch.size() != locator.size()) {
                closeQuietly(ch);
                return null;
            }
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_WRITE, 0, locator.size());
            map.order(ByteOrder.nativeOrder());
            Id id = locator.id();
            if (Words.getAcquire(map, MAGIC_AT) != MAGIC || Words.getPlain(map, ID_AT) != id.high
                    || Words.getPlain(map, ID_AT + 8) != id.low) {
                // A descriptor number reused for something else since the handle was made.
                closeQuietly(ch);
                return null;
            }
            int fd = -1;
            if (viaProc) {
                java.util.Set<Integer> mine = descriptorsOf(target);
                mine.removeAll(before);
                fd = mine.size() == 1 ? mine.iterator().next() : -1;
            }
            return new SharedSegment(id, locator.kind(), map, ch, fd, locator.path(), locator.holderPidsAndFds());
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch);
            return null;
        }
    }

    /** This JVM's descriptors whose link reads {@code target}. */
    private static java.util.Set<Integer> descriptorsOf(String target) throws IOException {
        java.util.Set<Integer> found = new java.util.HashSet<>();
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

    /**
     * Segments whose handle went out other than to a child being started (through a queue,
     * say): the receiver opens them through this JVM's descriptor, so they stay open here
     * until the facade that sent them is closed, or for five minutes (a handle waiting longer
     * than that in a queue can only be attached if some other process still holds it).
     */
    private static final Map<SharedSegment, Long> PINNED = new ConcurrentHashMap<>();
    /** How long a handle sent other than to a child being started keeps its segment open here. */
    private static final long PIN_NANOS = 5L * 60 * 1_000_000_000L;

    /** Lets this segment go when nothing refers to it (see {@link #locator()}). */
    public void unpin() {
        PINNED.remove(this);
    }

    private void pin() {
        long now = System.nanoTime();
        PINNED.put(this, now);
        PINNED.values().removeIf(t -> now - t > PIN_NANOS);
    }

    /**
     * How another process can find this segment now: through this JVM first. Keeps the segment
     * open in this JVM while the handle may be on its way: until the child being started ends
     * (see {@link Transit}), or else until {@link #unpin()}.
     */
    public Locator locator() {
        if (!Transit.hold(this)) {
            pin();
        }
        long[] holders = new long[Math.min(MAX_HOLDERS, 1 + origin.length / 2) * 2];
        int n = 0;
        if (fd >= 0) {
            holders[n++] = ProcessHandle.current().pid();
            holders[n++] = fd;
        }
        for (int i = 0; i + 1 < origin.length && n + 1 < holders.length; i += 2) {
            if (origin[i] != ProcessHandle.current().pid()) {
                holders[n++] = origin[i];
                holders[n++] = origin[i + 1];
            }
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i + 1 < n; i += 2) {
            text.append(text.length() == 0 ? "" : " ").append(holders[i]).append(':').append(holders[i + 1]);
        }
        return new Locator(id, kind, buffer.capacity(), text.toString(), path);
    }

    private static void fill(FileChannel ch, long size) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocateDirect((int) Math.min(size, 1 << 16));
        long at = 0;
        while (at < size) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), size - at));
            at += ch.write(zeros, at);
        }
    }

    private static final boolean PROC_FDS = Files.isDirectory(Path.of("/proc/self/fd"));

    /** The descriptor through which this JVM has open the file whose link reads {@code target}, or -1. */
    private static int findDescriptor(String target) {
        try {
            java.util.Set<Integer> fds = descriptorsOf(target);
            return fds.size() == 1 ? fds.iterator().next() : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,200}");

    /**
     * Makes a segment that keeps its name (a user-named {@code SharedMemory}): it lives until
     * {@link #unlinkName()}, as in Python, in the user's private directory.
     *
     * @throws IllegalArgumentException if the name is not 1–200 of {@code [A-Za-z0-9._-]}
     * @throws IllegalStateException if a segment of that name exists
     * @throws UncheckedIOException if there is no room for it
     */
    public static SharedSegment createNamed(String name, int kind, long size, String what) {
        checkName(name);
        for (Path dir : directories()) {
            if (Files.exists(dir.resolve("named").resolve(name), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw new IllegalStateException(what + " named '" + name + "' exists already");
            }
        }
        IOException failure = null;
        for (Path dir : directories()) {
            Path named = dir.resolve("named");
            Path file = named.resolve(name);
            // Made and filled under a private name, then published with a hard link, which
            // fails if the name exists: two processes creating one name cannot both succeed,
            // and nobody can attach to a half-made block.
            Path temporary = named.resolve("." + name + "." + ProcessHandle.current().pid() + "-"
                    + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            FileChannel ch = null;
            try {
                RuntimeDirectory.ensurePrivateDirectory(dir);
                RuntimeDirectory.ensurePrivateDirectory(named);
                ch = FileChannel.open(temporary, Set0600.OPTIONS, Set0600.ATTRIBUTE);
                fill(ch, size);
                MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_WRITE, 0, size);
                map.order(ByteOrder.nativeOrder());
                ThreadLocalRandom random = ThreadLocalRandom.current();
                Id id = new Id(random.nextLong(), random.nextLong());
                Words.setPlain(map, ID_AT, id.high);
                Words.setPlain(map, ID_AT + 8, id.low);
                Words.setIntPlain(map, KIND_AT, kind);
                Words.setRelease(map, MAGIC_AT, MAGIC);
                try {
                    Files.createLink(file, temporary);
                } catch (java.nio.file.FileAlreadyExistsException taken) {
                    throw new IllegalStateException(what + " named '" + name + "' exists already", taken);
                } finally {
                    Files.deleteIfExists(temporary);
                }
                SharedSegment s = new SharedSegment(id, kind, map, ch, -1, file.toString(), new long[0]);
                MAPPED.put(id, new WeakReference<>(s));
                return s;
            } catch (IOException e) {
                closeQuietly(ch);
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException ignored) {
                    // Reported below.
                }
                failure = e;
            } catch (RuntimeException e) {
                closeQuietly(ch);
                throw e;
            }
        }
        throw new UncheckedIOException(new IOException("cannot make " + what + " named '" + name + "' of " + size
                + " bytes: " + (failure == null ? "no directory" : failure.getMessage()), failure));
    }

    /**
     * The named segment {@code name}, mapped into this JVM.
     *
     * @throws IllegalArgumentException if the name is not valid
     * @throws IllegalStateException if there is no such segment
     */
    public static SharedSegment attachNamed(String name, int kind, String what) {
        checkName(name);
        for (Path dir : directories()) {
            Path file = dir.resolve("named").resolve(name);
            if (!Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            FileChannel ch = null;
            try {
                ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
                long size = ch.size();
                if (size < HEADER_BYTES) {
                    closeQuietly(ch);
                    throw new IllegalStateException(file + " is not " + what);
                }
                MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_WRITE, 0, size);
                map.order(ByteOrder.nativeOrder());
                if (Words.getAcquire(map, MAGIC_AT) != MAGIC || Words.getIntPlain(map, KIND_AT) != kind) {
                    closeQuietly(ch);
                    throw new IllegalStateException(file + " is not " + what);
                }
                Id id = new Id(Words.getPlain(map, ID_AT), Words.getPlain(map, ID_AT + 8));
                synchronized (MAPPED) {
                    WeakReference<SharedSegment> ref = MAPPED.get(id);
                    SharedSegment known = ref == null ? null : ref.get();
                    if (known != null) {
                        closeQuietly(ch);
                        return known;
                    }
                    SharedSegment s = new SharedSegment(id, kind, map, ch, -1, file.toString(), new long[0]);
                    MAPPED.put(id, new WeakReference<>(s));
                    return s;
                }
            } catch (IOException e) {
                closeQuietly(ch);
                throw new UncheckedIOException("cannot open " + what + " named '" + name + "'", e);
            }
        }
        throw new IllegalStateException("there is no " + what + " named '" + name + "' (looked in "
                + directories() + "; was it unlinked, or made by another user?)");
    }

    /** Removes a named segment's name; the memory stays for the processes that have it mapped. */
    public boolean unlinkName() {
        if (path == null) {
            return false;
        }
        try {
            return Files.deleteIfExists(Path.of(path));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unlink " + path, e);
        }
    }

    private static void checkName(String name) {
        java.util.Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a shared memory name is 1 to 200 of the characters A-Z a-z 0-9 . _ -,"
                    + " not '" + name + "'");
        }
    }

    /** Where to make a segment, in order of preference: memory first, then the temporary directory. */
    private static List<Path> directories() {
        String user = "mp4j-" + System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
        String configured = System.getProperty(DIRECTORY_PROPERTY);
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

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // Nothing more to do.
            }
        }
    }

    /** Throws if the segment is not a {@code kind} one: a handle decoded into the wrong class. */
    public void checkKind(int expected) {
        if (kind != expected || Words.getIntPlain(buffer, KIND_AT) != expected) {
            throw new IllegalStateException("shared segment " + id + " is of kind " + kind + ", not " + expected);
        }
    }

    @Override
    public String toString() {
        return "segment " + id + (path != null ? " at " + path : "") + " (" + buffer.capacity() + " bytes)";
    }

    /**
     * The channel object this JVM uses for this segment, made by {@code make} the first time:
     * every handle to one queue or pipe in a JVM shares its locks and state.
     */
    @SuppressWarnings("unchecked")
    public synchronized <T> T channel(java.util.function.Function<SharedSegment, T> make) {
        if (channel == null) {
            channel = make.apply(this);
        }
        return (T) channel;
    }

    private Object channel; // guarded by this
}
