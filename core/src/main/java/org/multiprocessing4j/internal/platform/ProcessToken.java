package org.multiprocessing4j.internal.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A process's identity as one {@code long}, for words in shared memory that say who holds
 * something: the pid in the low 32 bits and a hash of the process's start time in the high 31
 * (bit 63 stays clear for callers' flags). Comparing start times means a pid that the kernel
 * has reused for a new process does not look like the holder that died.
 *
 * <p>On Linux the start time is field 22 of {@code /proc/<pid>/stat}, in clock ticks since
 * boot: it never changes, even when the wall clock is stepped (which would move
 * {@code ProcessHandle.Info.startInstant()}), and one small file read is cheap enough to do
 * while waiting. Elsewhere it is {@code startInstant()}. Whenever a process's state cannot be
 * read, it counts as alive: calling a live holder dead would let two processes into a lock.
 */
public final class ProcessToken {
    private static final long PID_MASK = 0xffff_ffffL;
    private static final boolean PROC = Files.isReadable(Path.of("/proc/self/stat"));
    private static volatile long current;

    private ProcessToken() {
    }

    /** This process's token; never 0. */
    public static long current() {
        long t = current;
        if (t == 0) {
            long pid = ProcessHandle.current().pid();
            Long start = PROC ? procStartTicks(pid) : null;
            t = of(pid, start != null ? start : startMillis(ProcessHandle.current()));
            current = t;
        }
        return t;
    }

    /** The pid in {@code token}. */
    public static long pid(long token) {
        return token & PID_MASK;
    }

    /** True while the process {@code token} names may be running (a zombie counts as ended). */
    public static boolean isAlive(long token) {
        long pid = pid(token);
        if (pid == 0) {
            return false;
        }
        if (token == current()) {
            return true;
        }
        if (PROC) {
            String stat;
            try {
                stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            } catch (NoSuchFileException gone) {
                return false;
            } catch (IOException | RuntimeException cannotTell) {
                return true;
            }
            String[] f = fieldsAfterName(stat);
            if (f == null) {
                return true;
            }
            if (f[0].equals("Z") || f[0].equals("X")) {
                return false;
            }
            try {
                return of(pid, Long.parseLong(f[19])) == token;
            } catch (NumberFormatException e) {
                return true;
            }
        }
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty() || !h.get().isAlive()) {
            return false;
        }
        long start = startMillis(h.get());
        return start == 0 || of(pid, start) == token;
    }

    /** Fields 3 onwards of a stat line (the name in parentheses may contain spaces). */
    private static String[] fieldsAfterName(String stat) {
        int close = stat.lastIndexOf(')');
        if (close < 0 || close + 2 > stat.length()) {
            return null;
        }
        String[] f = stat.substring(close + 2).trim().split(" ");
        return f.length > 19 ? f : null;
    }

    private static Long procStartTicks(long pid) {
        try {
            String[] f = fieldsAfterName(Files.readString(Path.of("/proc/" + pid + "/stat")));
            return f == null ? null : Long.parseLong(f[19]);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static long of(long pid, long start) {
        long hash = (Long.hashCode(start * 0x9E3779B97F4A7C15L) & 0x7fff_ffffL) | 1L;
        return (hash << 32) | (pid & PID_MASK);
    }

    private static long startMillis(ProcessHandle h) {
        return h.info().startInstant().map(i -> i.toEpochMilli()).orElse(0L);
    }
}
