package org.multiprocessing4j.chaos;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.multiprocessing4j.internal.launch.ForkServerLauncher;
import org.multiprocessing4j.internal.platform.RuntimeDirectory;

/**
 * The only places where the soak reaches into the library's internals, for its leak check; the
 * scenarios use the public API alone. There is no public way to tell a leaked JVM from an idle
 * FORKSERVER JVM that the library keeps ready while the program lives, nor to say where the
 * library keeps its files; core's own tests ({@code NoLeftovers}) use the same two hooks.
 */
final class LibraryInternals {
    private LibraryInternals() {
    }

    /** The pids of the idle JVMs the FORKSERVER start method keeps ready: not leaks. */
    static Set<Long> idleForkServerJvms() {
        return new HashSet<>(ForkServerLauncher.INSTANCE.idlePids());
    }

    /** Ends the idle FORKSERVER JVMs, as this JVM's exit would; new ones boot at the next start. */
    static void retireIdleForkServerJvms() {
        ForkServerLauncher.INSTANCE.retireIdle(false);
    }

    /** The private per-user runtime directory ({@code <root>/mp4j-<user>}), holding one session directory per JVM. */
    static Path runtimeDirectory() {
        return RuntimeDirectory.userDirectory();
    }

    /**
     * Where segment files are made: as {@code internal.shm.SegmentDirectory} (package-private)
     * chooses, {@code -Dmultiprocessing4j.shmdir}, else {@code /dev/shm} and {@code java.io.tmpdir},
     * each with {@code mp4j-<user>} under it. Files there are named {@code <creator pid>-<id>.seg}
     * and unlinked the moment they are open.
     */
    static List<Path> segmentDirectories() {
        String user = "mp4j-" + System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
        String configured = System.getProperty("multiprocessing4j.shmdir");
        if (configured != null && !configured.isEmpty()) {
            return List.of(Path.of(configured).toAbsolutePath().resolve(user));
        }
        List<Path> dirs = new ArrayList<>();
        dirs.add(Path.of("/dev/shm").resolve(user));
        dirs.add(Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().resolve(user));
        return dirs;
    }
}
