package org.multiprocessing4j.benchmarks;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * What the benchmark reads from Linux's {@code /proc} about another process: its memory, and
 * whether it is blocked reading its standard input (how an idle warm JVM waits for its
 * handshake). Everything returns "unknown" rather than throwing where {@code /proc} is missing.
 */
final class ProcFs {
    /** Resident memory in KiB; -1 where unknown. {@code stable}: unchanged over the last readings. */
    record Memory(long rssKb, long pssKb, long privateKb, boolean stable) {
        static final Memory UNKNOWN = new Memory(-1, -1, -1, false);
    }

    /** The read(2) syscall number on this architecture, or -1 if not known here. */
    private static final int READ_SYSCALL = switch (System.getProperty("os.arch", "").toLowerCase(Locale.ROOT)) {
        case "amd64", "x86_64" -> 0;
        case "aarch64", "arm64", "riscv64" -> 63;
        default -> -1;
    };

    private ProcFs() {
    }

    /**
     * True if a thread of {@code pid} is blocked in {@code read(0, ...)}, false if none is,
     * null if that cannot be told (no {@code /proc/PID/task/TID/syscall}, unknown architecture).
     */
    static Boolean blockedReadingStdin(long pid) {
        if (READ_SYSCALL < 0) {
            return null;
        }
        String prefix = READ_SYSCALL + " 0x0 ";
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                if (Files.readString(task.resolve("syscall")).startsWith(prefix)) {
                    return true;
                }
            }
            return false;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** User + system CPU time of {@code pid} in clock ticks, or -1. */
    static long cpuTicks(long pid) {
        return cpuTicks(Path.of("/proc", Long.toString(pid), "stat"));
    }

    /** User + system CPU time of thread {@code tid} of {@code pid} in clock ticks, or -1. */
    static long cpuTicks(long pid, long tid) {
        return cpuTicks(Path.of("/proc", Long.toString(pid), "task", Long.toString(tid), "stat"));
    }

    /** utime + stime of a {@code stat} file, or -1. */
    private static long cpuTicks(Path statFile) {
        try {
            String stat = Files.readString(statFile);
            // Fields after the command name (which may hold spaces), from field 3 on.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" +");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime (14), stime (15)
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** VmRSS, Pss and private (clean + dirty) memory of {@code pid} now. */
    static Memory memory(long pid) {
        long rss = kb(Path.of("/proc", Long.toString(pid), "status"), List.of("VmRSS:"));
        Path rollup = Path.of("/proc", Long.toString(pid), "smaps_rollup");
        long pss = kb(rollup, List.of("Pss:"));
        long priv = kb(rollup, List.of("Private_Clean:", "Private_Dirty:"));
        return new Memory(rss, pss, priv, false);
    }

    /**
     * {@link #memory(long)} once VmRSS has stayed the same for three readings 50 ms apart, or
     * after {@code timeout} (then {@code stable} is false).
     */
    static Memory stableMemory(long pid, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Memory last = memory(pid);
        int same = 1;
        while (last.rssKb() >= 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
            Memory now = memory(pid);
            same = now.rssKb() == last.rssKb() ? same + 1 : 1;
            last = now;
            if (same >= 3) {
                return new Memory(now.rssKb(), now.pssKb(), now.privateKb(), true);
            }
        }
        return last;
    }

    /** The sum of the "Key: N kB" lines named in {@code keys}, or -1. */
    private static long kb(Path file, List<String> keys) {
        try {
            long total = 0;
            int found = 0;
            for (String line : Files.readAllLines(file)) {
                for (String key : keys) {
                    if (line.startsWith(key)) {
                        total += Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
                        found++;
                    }
                }
            }
            return found == keys.size() ? total : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
