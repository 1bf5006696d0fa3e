package org.multiprocessing4j.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What the soak's parent checks after every round and at the end: nothing is left of the
 * processes it started, and its own descriptors, threads and heap do not grow.
 * <ul>
 * <li>every child JVM of the round has ended, and this JVM has no other descendant than the
 *     idle JVMs the FORKSERVER start method keeps ready (at the end, after those are retired:
 *     none at all);
 * <li>no file is left in this JVM's session directory of the library's private runtime
 *     directory, and no segment file made by this JVM or one of its children is left in the
 *     segment directory ({@code /dev/shm/mp4j-<user>} unless configured);
 * <li>once the first cycle of rounds (each scenario under each start method once) has warmed
 *     everything up, a baseline of this JVM's open file descriptors ({@code /proc/self/fd}), live
 *     threads and heap used after a full GC; after each later round, each must be back within a
 *     margin of it: {@value #FD_MARGIN} descriptors, {@value #THREAD_MARGIN} threads, {@value #HEAP_MARGIN_MIB} MiB.
 * </ul>
 * Each check waits up to {@link #GRACE} for things to settle (a JVM to be reaped, a cleaner to
 * run) before it counts a leak. A process found left is killed (by pid), so that one leak is
 * counted once.
 */
final class LeakCheck {
    static final Duration GRACE = Duration.ofSeconds(20);
    /** The idle FORKSERVER JVMs (one or two, each with a pipe to its standard input) come and go. */
    static final int FD_MARGIN = 8;
    /** Library threads that come and go with the idle FORKSERVER JVMs and pools' last moments. */
    static final int THREAD_MARGIN = 4;
    static final int HEAP_MARGIN_MIB = 16;
    private static final Pattern SEGMENT = Pattern.compile("(\\d+)-[0-9a-f]+\\.seg");
    private static final Pattern SESSION = Pattern.compile("s(\\d+)-\\d+");

    /** A measure of this JVM's resources. */
    record Usage(int fds, int threads, long heapBytes) {
        @Override
        public String toString() {
            return fds + " file descriptors, " + threads + " threads, " + (heapBytes >> 20) + " MiB of heap after GC";
        }
    }

    private final long self = ProcessHandle.current().pid();
    /** Every child JVM of the run, for the names of segment files. */
    private final Set<Long> children = new HashSet<>();
    private Usage baseline;

    /** From now on, resources are compared with what they are now. */
    Usage takeBaseline() {
        baseline = settled(() -> true);
        return baseline;
    }

    Usage baseline() {
        return baseline;
    }

    /** The leaks found after a round whose child JVMs were {@code pids}; each string is one leak. */
    List<String> afterRound(Map<Long, String> pids) {
        children.addAll(pids.keySet());
        List<String> leaks = new ArrayList<>();
        for (Map.Entry<Long, String> p : pids.entrySet()) {
            if (!poll(() -> ProcessHandle.of(p.getKey()).map(h -> !h.isAlive()).orElse(true))) {
                leaks.add(p.getValue() + " (pid " + p.getKey() + ") still runs " + GRACE.toSeconds() + " s after its round");
                ProcessHandle.of(p.getKey()).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        strayProcesses(false, leaks);
        files(leaks);
        resources(leaks);
        return leaks;
    }

    /** The leaks found at the end, with the idle FORKSERVER JVMs retired as at this JVM's exit. */
    List<String> atEnd() {
        LibraryInternals.retireIdleForkServerJvms();
        List<String> leaks = new ArrayList<>();
        strayProcesses(true, leaks);
        files(leaks);
        resources(leaks);
        return leaks;
    }

    private void strayProcesses(boolean noneAtAll, List<String> leaks) {
        Supplier<List<ProcessHandle>> strays = () -> {
            Set<Long> idle = noneAtAll ? Set.of() : LibraryInternals.idleForkServerJvms();
            return ProcessHandle.current().descendants().filter(h -> h.isAlive() && !idle.contains(h.pid()))
                    .collect(Collectors.toList());
        };
        if (poll(() -> strays.get().isEmpty())) {
            return;
        }
        for (ProcessHandle h : strays.get()) {
            leaks.add("a JVM of the library is left: pid " + h.pid() + " " + h.info().commandLine().orElse("?"));
            h.destroyForcibly();
        }
    }

    private void files(List<String> leaks) {
        Path runtime = LibraryInternals.runtimeDirectory();
        if (!poll(() -> sessionFiles(runtime).isEmpty())) {
            for (Path f : sessionFiles(runtime)) {
                leaks.add("a file is left in the runtime directory: " + f);
            }
        }
        for (Path dir : LibraryInternals.segmentDirectories()) {
            if (!poll(() -> segmentFiles(dir).isEmpty())) {
                for (Path f : segmentFiles(dir)) {
                    leaks.add("a shared-memory segment file is left: " + f);
                }
            }
        }
    }

    /** Regular files under the session directories of this JVM and of its children (if they made any). */
    private List<Path> sessionFiles(Path runtime) {
        List<Path> files = new ArrayList<>();
        for (Path session : list(runtime)) {
            Matcher m = SESSION.matcher(session.getFileName().toString());
            if (m.matches() && ours(Long.parseLong(m.group(1)))) {
                try (Stream<Path> all = Files.walk(session)) {
                    all.filter(Files::isRegularFile).forEach(files::add);
                } catch (IOException | UncheckedIOException e) {
                    // Removed while walking: a session ending.
                }
            }
        }
        return files;
    }

    /** Segment files made by this JVM or its children; other programs' are not ours to judge. */
    private List<Path> segmentFiles(Path dir) {
        List<Path> files = new ArrayList<>();
        for (Path f : list(dir)) {
            Matcher m = SEGMENT.matcher(f.getFileName().toString());
            if (m.matches() && ours(Long.parseLong(m.group(1)))) {
                files.add(f);
            }
        }
        return files;
    }

    private boolean ours(long pid) {
        return pid == self || children.contains(pid);
    }

    private static List<Path> list(Path dir) {
        List<Path> entries = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return entries;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            s.forEach(entries::add);
        } catch (IOException | RuntimeException e) {
            // Unreadable or vanishing: nothing of ours can be in it.
        }
        return entries;
    }

    private void resources(List<String> leaks) {
        if (baseline == null) {
            return;
        }
        Usage base = baseline;
        Usage now = settled(() -> {
            Usage u = measure();
            return u.fds() <= base.fds() + FD_MARGIN && u.threads() <= base.threads() + THREAD_MARGIN
                    && u.heapBytes() <= base.heapBytes() + ((long) HEAP_MARGIN_MIB << 20);
        });
        if (now.fds() > base.fds() + FD_MARGIN) {
            leaks.add("file descriptors: " + now.fds() + " open, baseline " + base.fds() + " (margin " + FD_MARGIN + ")");
        }
        if (now.threads() > base.threads() + THREAD_MARGIN) {
            leaks.add("threads: " + now.threads() + " live, baseline " + base.threads() + " (margin " + THREAD_MARGIN + "): "
                    + threadNames());
        }
        if (now.heapBytes() > base.heapBytes() + ((long) HEAP_MARGIN_MIB << 20)) {
            leaks.add("heap after GC: " + (now.heapBytes() >> 20) + " MiB, baseline " + (base.heapBytes() >> 20)
                    + " MiB (margin " + HEAP_MARGIN_MIB + " MiB)");
        }
    }

    /** Measures until {@code fine} says the figures are fine or the grace runs out; the last measure. */
    private Usage settled(java.util.function.BooleanSupplier fine) {
        poll(fine);
        return measure();
    }

    static Usage measure() {
        System.gc();
        System.runFinalization();
        System.gc();
        int fds = list(Path.of("/proc/self/fd")).size();
        int threads = (int) Thread.getAllStackTraces().keySet().stream().filter(t -> !isReaper(t)).count();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        return new Usage(fds, threads, heap);
    }

    /**
     * The JDK's "process reaper" threads wait for child processes, one per live child, and linger
     * for a minute in their pool after it ended: they are not counted.
     */
    private static boolean isReaper(Thread t) {
        return t.getName().equals("process reaper");
    }

    private static String threadNames() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> !isReaper(t)).map(Thread::getName).sorted()
                .collect(Collectors.joining(", "));
    }

    private static boolean poll(java.util.function.BooleanSupplier condition) {
        try {
            return Round.poll(GRACE, 100, condition);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
