package org.multiprocessing4j.internal.shm;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * How a thread sleeping on shared memory is woken by another process: an anonymous pipe of
 * this JVM that the other process opens through {@code /proc/<pid>/fd/<write end>} (which the
 * kernel allows only to the same user) and writes a byte to. The sleeper blocks in a
 * {@link Selector} on the read end, so it uses no CPU while it waits, and a timed wait is just
 * a timed {@code select}. Nothing has a name in the file system, so nothing is left behind.
 *
 * <p>Doorbells are pooled per JVM: a waiting thread borrows one for the length of its wait, so
 * the number of pipes is the number of threads waiting at once, not the number of threads
 * that ever waited. Where there is no {@code /proc} (or anything else fails), {@link #borrow}
 * returns null and waiters fall back to timed parking.
 *
 * <p>{@link #ring} is the other side: it writes to a doorbell of another JVM, keeping the
 * opened write ends, and checks first that the descriptor still is that pipe (a dead process's
 * pid and descriptor numbers may be reused).
 */
public final class Doorbell {
    private static final ConcurrentLinkedQueue<Doorbell> IDLE = new ConcurrentLinkedQueue<>();
    private static final Map<Long, Target> TARGETS = new ConcurrentHashMap<>();
    private static volatile boolean unsupported;
    private static final int O_NONBLOCK = 04000;

    final long pid;
    final int writeFd;
    final long inode;
    private final Pipe pipe;
    private final Selector selector;
    private final ByteBuffer drainBuffer = ByteBuffer.allocate(64);

    private Doorbell(Pipe pipe, Selector selector, int writeFd, long inode) {
        this.pid = ProcessHandle.current().pid();
        this.pipe = pipe;
        this.selector = selector;
        this.writeFd = writeFd;
        this.inode = inode;
    }

    /** A doorbell for the calling thread's wait, or null if this JVM cannot have one. */
    public static Doorbell borrow() {
        Doorbell b = IDLE.poll();
        if (b != null || unsupported) {
            return b;
        }
        try {
            return create();
        } catch (IOException | RuntimeException e) {
            unsupported = true;
            return null;
        }
    }

    /** Gives a doorbell back after a wait. */
    public static void giveBack(Doorbell b) {
        if (b != null) {
            IDLE.add(b);
        }
    }

    private static synchronized Doorbell create() throws IOException {
        Path fds = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fds)) {
            throw new IOException("no /proc/self/fd");
        }
        Pipe pipe = Pipe.open();
        boolean done = false;
        try {
            pipe.source().configureBlocking(false);
            Selector selector = Selector.open();
            pipe.source().register(selector, SelectionKey.OP_READ);
            int fd = ownWriteEnd(fds, pipe.sink());
            long inode = pipeWriteEnds(fds).getOrDefault(fd, -1L);
            if (fd < 0 || inode < 0) {
                selector.close();
                throw new IOException("cannot find the descriptor of a new pipe");
            }
            done = true;
            return new Doorbell(pipe, selector, fd, inode);
        } finally {
            if (!done) {
                pipe.source().close();
                pipe.sink().close();
            }
        }
    }

    /**
     * The descriptor number of {@code sink}, which the JDK does not tell. Other threads may open
     * and close pipes at the same moment (a {@code ProcessBuilder} child's standard input, the JDK's
     * spawn helper, our own handshake), so a new write end is not necessarily ours, and nothing
     * may be written to one to find out: the byte would land in someone else's pipe. Instead,
     * switch {@code O_NONBLOCK} on our own sink on and off a few times and keep the candidate
     * whose flags follow each switch; another pipe following the same pattern by chance is
     * vanishingly unlikely, and if candidates remain ambiguous we give up (waiters then park).
     *
     * @return the descriptor, or -1 if it could not be told apart
     */
    private static int ownWriteEnd(Path fds, Pipe.SinkChannel sink) throws IOException {
        // Every pipe write end is a candidate: descriptor numbers are reused at once, so one
        // that existed before the pipe was made may be ours now.
        Set<Integer> candidates = new java.util.HashSet<>(pipeWriteEnds(fds).keySet());
        boolean nonBlocking = false;
        for (int round = 0; round < 8 && !candidates.isEmpty(); round++) {
            nonBlocking = !nonBlocking;
            sink.configureBlocking(!nonBlocking);
            for (java.util.Iterator<Integer> it = candidates.iterator(); it.hasNext(); ) {
                if (isNonBlocking(fds, it.next()) != nonBlocking) {
                    it.remove();
                }
            }
            if (candidates.size() == 1 && round >= 3) {
                break;
            }
        }
        sink.configureBlocking(true);
        return candidates.size() == 1 ? candidates.iterator().next() : -1;
    }

    /** Each descriptor of this JVM that is the write end of a pipe, and that pipe's inode. */
    private static Map<Integer, Long> pipeWriteEnds(Path fds) throws IOException {
        Map<Integer, Long> ends = new java.util.HashMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(fds)) {
            for (Path e : entries) {
                try {
                    String link = Files.readSymbolicLink(e).toString();
                    if (link.startsWith("pipe:[")) {
                        int fd = Integer.parseInt(e.getFileName().toString());
                        if ((fdFlags(fd) & 3) == 1) { // O_WRONLY
                            ends.put(fd, Long.parseLong(link.substring(6, link.length() - 1)));
                        }
                    }
                } catch (IOException | RuntimeException gone) {
                    // Closed while we looked.
                }
            }
        }
        return ends;
    }

    private static boolean isNonBlocking(Path fds, int fd) {
        try {
            return (fdFlags(fd) & O_NONBLOCK) != 0;
        } catch (IOException | RuntimeException gone) {
            return false;
        }
    }

    /** The {@code flags:} line of {@code /proc/self/fdinfo/<fd>}: the open file's status flags. */
    private static long fdFlags(int fd) throws IOException {
        for (String line : Files.readString(Path.of("/proc/self/fdinfo/" + fd)).split("\n")) {
            if (line.startsWith("flags:")) {
                return Long.parseLong(line.substring(6).trim(), 8);
            }
        }
        throw new IOException("no flags for descriptor " + fd);
    }

    /** Closes this doorbell's pipe; for tests that make many and must not keep them. */
    public void close() {
        try {
            selector.close();
            pipe.source().close();
            pipe.sink().close();
        } catch (IOException ignored) {
            // Nothing more to release.
        }
    }

    /** Empties the pipe: rings already seen. */
    void drain() {
        try {
            while (true) {
                drainBuffer.clear();
                if (pipe.source().read(drainBuffer) <= 0) {
                    return;
                }
            }
        } catch (IOException e) {
            // The pipe is ours and open; a failure here is not worth a waiter's life.
        }
    }

    /**
     * Blocks until rung or {@code nanos} pass (or the thread is interrupted; the caller checks).
     */
    void await(long nanos) {
        try {
            long millis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos));
            selector.select(millis);
            selector.selectedKeys().clear();
        } catch (IOException e) {
            // Treated as a spurious wake-up: every waiter checks its condition again.
        }
    }

    /** One doorbell of another JVM, opened, and the process it belongs to. */
    private static final class Target {
        /**
         * A stream, not a {@code FileChannel}: a channel is closed by an interrupt of the
         * writing thread, even one set long before, and the sleeper would then be taken for gone
         * and never woken. A one-byte write to a pipe does not block (see {@link #ring}).
         */
        final FileOutputStream out;
        final long inode;
        final ProcessHandle owner;

        Target(FileOutputStream out, long inode, ProcessHandle owner) {
            this.out = out;
            this.inode = inode;
            this.owner = owner;
        }
    }

    /**
     * Rings the doorbell {@code (pid, fd, inode)}.
     *
     * @return false if it is gone (its process ended): the caller forgets it
     */
    static boolean ring(long pid, int fd, long inode) {
        long key = pid << 24 | fd;
        Target t = TARGETS.get(key);
        if (t == null || t.inode != inode) {
            t = open(pid, fd, inode);
            if (t == null) {
                return false;
            }
            Target old = TARGETS.put(key, t);
            if (old != null) {
                close(old);
            }
            forgetEnded();
        }
        try {
            // At most one byte is ever pending per armed sleeper, so this never blocks on a full pipe.
            t.out.write(1);
            return true;
        } catch (IOException e) {
            TARGETS.remove(key, t);
            close(t);
            return false;
        }
    }

    /**
     * Closes the doorbells of processes that have ended. A process that wakes many short-lived
     * children (a pool that replaces its workers, a worker per job) would otherwise keep one
     * descriptor per child for ever: nothing writes to a dead child's doorbell again, which is
     * how a broken one is noticed. Done when a doorbell is opened, so the map never holds more
     * than the live processes woken plus those that ended since the last one.
     */
    private static void forgetEnded() {
        for (Map.Entry<Long, Target> e : TARGETS.entrySet()) {
            Target t = e.getValue();
            if (!t.owner.isAlive() && TARGETS.remove(e.getKey(), t)) {
                close(t);
            }
        }
    }

    private static Target open(long pid, int fd, long inode) {
        Path link = Path.of("/proc/" + pid + "/fd/" + fd);
        try {
            // The process first: a pid reused after the check is told apart by its start time.
            ProcessHandle owner = ProcessHandle.of(pid).orElse(null);
            if (owner == null || !Files.readSymbolicLink(link).toString().equals("pipe:[" + inode + "]")) {
                return null;
            }
            return new Target(new FileOutputStream(link.toFile(), true), inode, owner);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static void close(Target t) {
        try {
            t.out.close();
        } catch (IOException ignored) {
            // Nothing to release.
        }
    }
}
