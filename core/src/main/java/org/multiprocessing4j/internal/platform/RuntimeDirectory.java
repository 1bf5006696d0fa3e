package org.multiprocessing4j.internal.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The private directory where a JVM keeps the files of its children (how each one ended), and
 * later its sockets and shared-memory segments.
 *
 * <p>Layout: {@code <root>/mp4j-<user>/} (mode 0700, owned by this user), and inside it one
 * session directory {@code s<pid>-<start millis>} per JVM that started processes. {@code root}
 * is the system property {@value #ROOT_PROPERTY} if set, else {@code $XDG_RUNTIME_DIR}, else
 * {@code java.io.tmpdir}. A session directory whose JVM is gone (killed with SIGKILL, say) is
 * removed the next time any JVM of this user opens its own.
 */
public final class RuntimeDirectory {
    /** System property naming the directory under which the private directory is made. */
    public static final String ROOT_PROPERTY = "multiprocessing4j.tmpdir";

    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(
            PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.OWNER_EXECUTE);
    private static final Pattern SESSION = Pattern.compile("s(\\d+)-(\\d+)");

    private RuntimeDirectory() {
    }

    /** The private per-user directory (not created). */
    public static Path userDirectory() {
        String root = System.getProperty(ROOT_PROPERTY);
        if (root == null || root.isEmpty()) {
            String xdg = System.getenv("XDG_RUNTIME_DIR");
            root = xdg != null && !xdg.isEmpty() && Files.isDirectory(Path.of(xdg))
                    ? xdg : System.getProperty("java.io.tmpdir");
        }
        String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
        return Path.of(root).toAbsolutePath().resolve("mp4j-" + user);
    }

    /** The name of this JVM's session directory: unique while this JVM lives. */
    public static String sessionName(ProcessHandle jvm) {
        return "s" + jvm.pid() + "-" + startMillis(jvm).orElse(0L);
    }

    /**
     * Creates this JVM's session directory (and the private directory above it), first
     * removing the session directories of JVMs that are gone.
     *
     * @throws UncheckedIOException if the directory cannot be made private to this user
     */
    public static Path createSession() {
        Path user = userDirectory();
        try {
            ensurePrivateDirectory(user);
            removeStaleSessions(user);
            Path session = user.resolve(sessionName(ProcessHandle.current()));
            ensurePrivateDirectory(session);
            return session;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the private runtime directory under " + user
                    + " (set -D" + ROOT_PROPERTY + " to a writable directory)", e);
        }
    }

    /**
     * Makes {@code dir} (and its parents) if needed, and checks that it is a directory owned by
     * this user and readable by nobody else.
     *
     * @throws IOException if it cannot be made private to this user
     */
    public static void ensurePrivateDirectory(Path dir) throws IOException {
        Files.createDirectories(dir.getParent());
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (FileAlreadyExistsException raced) {
            // Made by another JVM of ours, or left by an earlier one: check it below.
        } catch (UnsupportedOperationException notPosix) {
            Files.createDirectories(dir);
            return;
        }
        if (Files.isSymbolicLink(dir) || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(dir + " exists and is not a directory");
        }
        Object myUid = currentUid();
        Object ownerUid = Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        if (myUid != null && !myUid.equals(ownerUid)) {
            throw new IOException(dir + " belongs to uid " + ownerUid + ", not to this user (uid "
                    + myUid + ")");
        }
        if (!Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS).equals(OWNER_ONLY)) {
            Files.setPosixFilePermissions(dir, OWNER_ONLY);
        }
    }

    private static Object currentUid() {
        try {
            // The kernel makes /proc/self owned by the process's effective user.
            return Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | RuntimeException notLinux) {
            return null;
        }
    }

    private static void removeStaleSessions(Path user) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(user)) {
            for (Path entry : entries) {
                Matcher m = SESSION.matcher(entry.getFileName().toString());
                if (m.matches() && !isLive(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)))) {
                    deleteRecursively(entry);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Best effort: a stale directory costs disk space, never correctness.
        }
    }

    private static boolean isLive(long pid, long startMillis) {
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .map(h -> startMillis(h).map(s -> s == startMillis).orElse(true))
                .orElse(false);
    }

    private static Optional<Long> startMillis(ProcessHandle h) {
        return h.info().startInstant().map(i -> i.toEpochMilli());
    }

    /** Deletes {@code path} and everything under it; missing files are fine. */
    public static void deleteRecursively(Path path) {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> all = Files.walk(path)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // Removed by someone else meanwhile, or not ours to remove.
                }
            });
        } catch (IOException | UncheckedIOException ignored) {
            // Best effort, as above.
        }
    }
}
