package org.multiprocessing4j.internal.launch;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.internal.log.LibraryLog;

/**
 * A class-data archive (JDK "dynamic AppCDS") of the child bootstrap, the library and the JDK
 * classes a child loads on its way to the user's code: a child JVM maps them in ready-made
 * instead of parsing and verifying them.
 *
 * <p>The archive is made once per user, JDK, library jar and set of inherited JVM options, by a
 * training JVM started in the background the first time this JVM starts a child; children
 * started before it is ready simply boot without it. One JVM trains at a time (a file lock next
 * to the archive); once a new archive is made, older ones for the same JDK, jar path and options
 * are deleted. It lives in
 * {@code $XDG_CACHE_HOME/multiprocessing4j} (else {@code ~/.cache/multiprocessing4j}), named by a
 * hash of what it depends on. JVMs racing to make it each write their own temporary file and
 * move it into place atomically, so a reader sees a whole archive or none. A stale or corrupt
 * archive never breaks a start: the JVM then boots without it, silently ({@code -Xlog:cds=off}).
 *
 * <p>Only possible when the library comes from a jar: an archive may not depend on class-path
 * directories. Turned off with {@code -Dmultiprocessing4j.classDataArchive=false}.
 */
public final class ClassDataArchive {
    static final String TRAIN = "--train";
    private static final String PROPERTY = "multiprocessing4j.classDataArchive";
    private static final long TRAINING_GRACE_SECONDS = 5;
    private static final List<String> QUIET = List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off");

    private static final Object LOCK = new Object();
    private static boolean resolved; // guarded by LOCK
    private static Path libraryJar;   // guarded by LOCK; null if no archive can be used
    private static Path archive;      // guarded by LOCK
    private static String family;     // guarded by LOCK: the name prefix of this archive's older versions
    private static Process training;  // guarded by LOCK
    private static FileChannel trainingLock; // guarded by LOCK; held while training
    private static boolean closed;    // guarded by LOCK

    private ClassDataArchive() {
    }

    /**
     * The options and class-path prefix that make a child use the archive, if it exists; if
     * it does not, starts making it in the background and returns null.
     */
    static Use forChild() {
        synchronized (LOCK) {
            if (!resolved) {
                resolved = true;
                resolve();
            }
            if (archive == null) {
                return null;
            }
            if (Files.isRegularFile(archive)) {
                List<String> options = new ArrayList<>(QUIET);
                options.add("-XX:SharedArchiveFile=" + archive);
                return new Use(options, libraryJar.toString());
            }
            if (training == null && !closed) {
                startTraining();
            }
            return null;
        }
    }

    static final class Use {
        final List<String> options;
        final String classPathPrefix;

        Use(List<String> options, String classPathPrefix) {
            this.options = options;
            this.classPathPrefix = classPathPrefix;
        }
    }

    private static void resolve() {
        if ("false".equalsIgnoreCase(System.getProperty(PROPERTY))) {
            return;
        }
        try {
            CodeSource source = ClassDataArchive.class.getProtectionDomain().getCodeSource();
            Path jar = source == null ? null : Path.of(source.getLocation().toURI());
            if (jar == null || !Files.isRegularFile(jar) || !jar.toString().endsWith(".jar")) {
                return; // classes from a directory (a build tree, an IDE): no archive possible
            }
            Path dir = cacheDirectory();
            Files.createDirectories(dir.getParent());
            if (!Files.isDirectory(dir)) {
                try {
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(
                            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                                    PosixFilePermission.OWNER_EXECUTE)));
                } catch (java.nio.file.FileAlreadyExistsException raced) {
                    // another JVM made it
                }
            }
            if (!Files.isWritable(dir)) {
                return;
            }
            libraryJar = jar.toAbsolutePath();
            family = "mp4j-" + hash(familyKey(libraryJar));
            archive = dir.resolve(family + "-" + hash(versionKey(libraryJar)) + ".jsa");
            removeAbandonedTraining(dir);
        } catch (IOException | URISyntaxException | RuntimeException e) {
            LibraryLog.debug("no class-data archive for child JVMs: " + e);
            libraryJar = null;
            archive = null;
        }
    }

    /** Archives of the same family made for an older JDK build or library jar. */
    private static void removeOlderVersions(Path current) {
        String prefix;
        synchronized (LOCK) {
            prefix = family + "-";
        }
        try (java.nio.file.DirectoryStream<Path> files = Files.newDirectoryStream(current.getParent(), prefix + "*.jsa")) {
            for (Path f : files) {
                if (!f.equals(current)) {
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException | RuntimeException e) {
            // best effort
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing more to release
            }
        }
    }

    /** Temporary files of training runs whose JVM died before finishing them. */
    private static void removeAbandonedTraining(Path dir) {
        try (java.nio.file.DirectoryStream<Path> files = Files.newDirectoryStream(dir, "mp4j-*.jsa.*.tmp")) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                String pid = name.substring(name.indexOf(".jsa.") + 5, name.length() - 4);
                boolean live = ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
                if (!live) {
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException | RuntimeException e) {
            // best effort
        }
    }

    private static Path cacheDirectory() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isEmpty() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("multiprocessing4j");
    }

    /** What names a family of archives: where the JDK and the library are, the VM options. */
    private static String familyKey(Path jar) {
        StringBuilder what = new StringBuilder()
                .append(System.getProperty("java.home")).append('\n')
                .append(jar).append('\n');
        for (String option : vmOptions()) {
            what.append(option).append('\n');
        }
        return what.toString();
    }

    /** What tells one archive of a family from the next: the JDK's build, the jar's contents. */
    private static String versionKey(Path jar) throws IOException {
        return System.getProperty("java.vm.version") + '\n' + Files.size(jar) + '\n'
                + Files.getLastModifiedTime(jar).toMillis();
    }

    private static String hash(String what) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(what.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /**
     * The inherited options that matter to an archive. System properties do not (they differ
     * from program to program, and an archive made without them serves them all).
     */
    private static List<String> vmOptions() {
        List<String> options = new ArrayList<>();
        for (String option : ChildCommand.inheritedOptions()) {
            if (!option.startsWith("-D")) {
                options.add(option);
            }
        }
        return options;
    }

    private static void startTraining() {
        Path target = archive;
        FileChannel lockFile;
        FileLock lock;
        try {
            // One JVM trains at a time per archive (a parent and the children it starts at once
            // would otherwise all train); the others go on without the archive.
            lockFile = FileChannel.open(target.resolveSibling(family + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            lock = lockFile.tryLock();
        } catch (IOException | RuntimeException e) {
            archive = null;
            return;
        }
        if (lock == null) {
            closeQuietly(lockFile);
            return; // another JVM is making it; a later start will find it
        }
        trainingLock = lockFile;
        Path temporary = target.resolveSibling(target.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(vmOptions());
        cmd.addAll(QUIET);
        cmd.add("-XX:ArchiveClassesAtExit=" + temporary);
        cmd.add("-cp");
        cmd.add(libraryJar.toString());
        cmd.add(ChildCommand.BOOTSTRAP);
        cmd.add(TRAIN);
        try {
            training = new ProcessBuilder(cmd)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            LibraryLog.debug("could not start the class-data archive's training JVM: " + e);
            archive = null;
            closeQuietly(lockFile);
            trainingLock = null;
            return;
        }
        Process run = training;
        Thread waiter = new Thread(() -> finishTraining(run, temporary, target), "multiprocessing4j-cds-training");
        waiter.setDaemon(true);
        waiter.start();
    }

    private static void finishTraining(Process run, Path temporary, Path target) {
        boolean made = false;
        try {
            made = run.waitFor(120, TimeUnit.SECONDS) && run.exitValue() == 0
                    && Files.isRegularFile(temporary) && Files.size(temporary) > 0;
            if (made) {
                try {
                    Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    made = false;
                }
            }
        } catch (IOException e) {
            made = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (run.isAlive()) {
                run.destroyForcibly();
            }
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException ignored) {
                // best effort
            }
            if (made) {
                removeOlderVersions(target);
            }
            synchronized (LOCK) {
                training = null;
                if (!made) {
                    archive = null; // do not try again in this JVM
                }
                closeQuietly(trainingLock);
                trainingLock = null;
                LOCK.notifyAll();
            }
            LibraryLog.debug(made ? "made the class-data archive " + target
                    : "could not make the class-data archive " + target + "; children boot without it");
        }
    }

    /**
     * At this JVM's exit: gives a training run that is still going a few seconds to finish (it
     * happens once per machine and configuration, and a short program would otherwise never
     * get its archive), then stops it.
     */
    public static void close() {
        Process run;
        synchronized (LOCK) {
            closed = true;
            run = training;
        }
        if (run == null) {
            return;
        }
        try {
            if (!run.waitFor(TRAINING_GRACE_SECONDS, TimeUnit.SECONDS)) {
                run.destroyForcibly();
                run.waitFor(5, TimeUnit.SECONDS);
            }
            // Then for the waiter thread to move the archive into place.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            synchronized (LOCK) {
                while (training != null) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    LOCK.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                }
            }
        } catch (InterruptedException e) {
            run.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
