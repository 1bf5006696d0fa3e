package org.multiprocessing4j.internal.shm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.Cleaner;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.multiprocessing4j.internal.platform.RuntimeDirectory;

/**
 * A file of shared memory mapped by every process that uses one queue, pipe, lock or shared
 * value. This class maps and identifies segments; where their files live is
 * {@link SegmentDirectory}, how descriptors are found is {@link ProcFds}, how a segment stays
 * open while its handle travels is {@link SegmentPins}, and named ones are {@link NamedSegments}.
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
    private static final Map<SegmentId, WeakReference<SharedSegment>> MAPPED = new ConcurrentHashMap<>();
    private static final Cleaner CLEANER = Cleaner.create();
    private static final int MAX_HOLDERS = 4;

    public final SegmentId id;
    public final SegmentKind kind;
    public final ByteBuffer buffer;
    private final FileChannel file;
    private final int fd; // -1 where the file keeps its name
    private final String path; // null once unlinked
    private final long[] origin; // how this JVM found the segment: holders to pass on

    SharedSegment(SegmentId id, SegmentKind kind, MappedByteBuffer buffer, FileChannel file, int fd, String path,
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

    /** Remembers {@code s} as this JVM's mapping of its segment; returns it. */
    static SharedSegment register(SharedSegment s) {
        synchronized (MAPPED) {
            SharedSegment known = mapped(s.id);
            if (known != null) {
                return known; // attached twice at once: keep one mapping; the Cleaner closes the other
            }
            MAPPED.put(s.id, new WeakReference<>(s));
            return s;
        }
    }

    /** This JVM's mapping of the segment {@code id}, or null. */
    static SharedSegment mapped(SegmentId id) {
        WeakReference<SharedSegment> ref = MAPPED.get(id);
        return ref == null ? null : ref.get();
    }

    /** Closes the descriptor of a segment nothing refers to; the GC unmaps its buffer. */
    private static final class CloseFile implements Runnable {
        private final FileChannel file;
        private final SegmentId id;

        CloseFile(FileChannel file, SegmentId id) {
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
    public static SharedSegment create(SegmentKind kind, long size, String what) {
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + " would need " + size
                    + " bytes of shared memory; the most is " + Integer.MAX_VALUE);
        }
        return SegmentDirectory.inFirstWithRoom(size, what, dir -> Uninterruptibly.run(() -> createIn(dir, kind, size)));
    }

    private static SharedSegment createIn(Path dir, SegmentKind kind, long size) throws IOException {
        SegmentId id = SegmentId.random();
        RuntimeDirectory.ensurePrivateDirectory(dir);
        // The real path: /proc/self/fd shows where a descriptor points with symbolic links resolved.
        Path real = dir.toRealPath();
        SegmentDirectory.sweepStale(real);
        Path file = real.resolve(SegmentDirectory.fileName(id));
        FileChannel ch = null;
        try {
            ch = SegmentDirectory.createPrivateFile(file);
            // Unlinked the moment it is open, so that a kill leaves a name only in the few
            // microseconds between two system calls (and a segment made here later sweeps it).
            int fd = -1;
            String keptPath = null;
            if (ProcFds.AVAILABLE) {
                Files.delete(file);
                fd = ProcFds.fdOf(ch);
                if (fd < 0) {
                    fd = ProcFds.onlyOnePointingAt(file.toString() + " (deleted)");
                }
                if (fd < 0) {
                    throw new IOException("cannot find the descriptor of " + file + " in /proc/self/fd");
                }
            } else {
                keptPath = file.toString();
                file.toFile().deleteOnExit();
            }
            SegmentDirectory.fill(ch, size);
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_WRITE, 0, size);
            map.order(ByteOrder.nativeOrder());
            SegmentHeader.write(map, id, kind);
            return register(new SharedSegment(id, kind, map, ch, fd, keptPath, new long[0]));
        } catch (IOException | RuntimeException e) {
            SegmentDirectory.closeQuietly(ch);
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

    /**
     * The segment {@code locator} names, mapped into this JVM (or the mapping it already has).
     *
     * @throws IllegalStateException if every process that held it has ended, so it is gone
     */
    public static SharedSegment attach(SegmentLocator locator) {
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
            List<String> denied = new ArrayList<>();
            for (String candidate : candidates) {
                SharedSegment s;
                try {
                    s = Uninterruptibly.run(() -> tryOpen(Path.of(candidate), locator));
                } catch (AccessDeniedException e) {
                    denied.add(candidate);
                    continue;
                } catch (IOException e) {
                    throw new AssertionError("tryOpen throws no other IOException", e);
                }
                if (s != null) {
                    return register(s);
                }
            }
            if (!denied.isEmpty()) {
                // The kernel lets only the same user open another process's descriptors: the
                // holders may well be alive, so "ended" would send the user looking for a crash.
                throw new IllegalStateException("cannot attach to " + locator.kind().description + " made by another"
                        + " process: permission denied on " + denied + " (shared objects are reachable only by"
                        + " processes of the user who made them; this process runs as "
                        + System.getProperty("user.name") + "; tried " + candidates + ")");
            }
            throw new IllegalStateException("cannot attach to " + locator.kind().description + " made by another"
                    + " process: every process that held it has ended (tried " + candidates + ")");
        }
    }

    /**
     * The segment through {@code candidate}, or null if it is not there (or not that segment).
     *
     * @throws AccessDeniedException if the candidate belongs to another user's process
     * @throws ClosedByInterruptException if an interrupt closed the channel (see {@link Uninterruptibly})
     */
    private static SharedSegment tryOpen(Path candidate, SegmentLocator locator) throws IOException {
        FileChannel ch = null;
        try {
            boolean viaProc = locator.path() == null;
            // Without the channel's own descriptor number, it is the one that pointed at the
            // file after the open and not before.
            boolean search = viaProc && !ProcFds.canTellFd();
            String target = search ? Files.readSymbolicLink(candidate).toString() : null;
            java.util.Set<Integer> before = search ? ProcFds.pointingAt(target) : java.util.Set.of();
            ch = FileChannel.open(candidate, StandardOpenOption.READ, StandardOpenOption.WRITE);
            if (ch.size() != locator.size()) {
                SegmentDirectory.closeQuietly(ch);
                return null;
            }
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_WRITE, 0, locator.size());
            map.order(ByteOrder.nativeOrder());
            if (!SegmentHeader.isWhole(map) || !SegmentHeader.id(map).equals(locator.id())) {
                // A descriptor number reused for something else since the handle was made.
                SegmentDirectory.closeQuietly(ch);
                return null;
            }
            int fd = -1;
            if (search) {
                java.util.Set<Integer> mine = ProcFds.pointingAt(target);
                mine.removeAll(before);
                fd = mine.size() == 1 ? mine.iterator().next() : -1;
            } else if (viaProc) {
                fd = ProcFds.fdOf(ch); // FileChannel.open's channel: it can tell (canTellFd)
            }
            return new SharedSegment(locator.id(), locator.kind(), map, ch, fd, locator.path(), locator.holderPidsAndFds());
        } catch (AccessDeniedException | ClosedByInterruptException e) {
            SegmentDirectory.closeQuietly(ch);
            throw e;
        } catch (IOException | RuntimeException e) {
            SegmentDirectory.closeQuietly(ch);
            return null;
        }
    }

    /** Lets this segment go when nothing refers to it (see {@link #locator()}). */
    public void unpin() {
        SegmentPins.release(this);
    }

    /**
     * How another process can find this segment now: through this JVM first. Keeps the segment
     * open in this JVM while the handle may be on its way: until the child being started ends
     * (see {@link Transit}), or else until {@link #unpin()}.
     */
    public SegmentLocator locator() {
        SegmentPins.holdWhileInTransit(this);
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
        return new SegmentLocator(id, kind, buffer.capacity(), text.toString(), path);
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

    /** Throws if the segment is not a {@code kind} one: a handle decoded into the wrong class. */
    public void checkKind(SegmentKind expected) {
        if (kind != expected || SegmentHeader.kind(buffer) != expected) {
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
