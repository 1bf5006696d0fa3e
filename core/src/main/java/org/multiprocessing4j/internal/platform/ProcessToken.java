package org.multiprocessing4j.internal.platform;

import java.util.Optional;

/**
 * A process's identity as one {@code long}, for words in shared memory that say who holds
 * something: the pid in the low 32 bits and a hash of the process's start time in the high 31
 * (bit 63 stays clear for callers' flags). Comparing start times means a pid that the kernel
 * has reused for a new process does not look like the holder that died.
 */
public final class ProcessToken {
    private static final long PID_MASK = 0xffff_ffffL;
    private static volatile long current;

    private ProcessToken() {
    }

    /** This process's token; never 0. */
    public static long current() {
        long t = current;
        if (t == 0) {
            ProcessHandle self = ProcessHandle.current();
            t = of(self.pid(), startMillis(self));
            current = t;
        }
        return t;
    }

    /** The pid in {@code token}. */
    public static long pid(long token) {
        return token & PID_MASK;
    }

    /** True while the process {@code token} names is running (a zombie counts as ended). */
    public static boolean isAlive(long token) {
        long pid = pid(token);
        if (pid == 0) {
            return false;
        }
        if (token == current) {
            return true;
        }
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty() || !h.get().isAlive()) {
            return false;
        }
        long start = startMillis(h.get());
        // An unknown start time (a process of another user, or no /proc) cannot prove reuse.
        return start == 0 || of(pid, start) == token;
    }

    private static long of(long pid, long startMillis) {
        long hash = (Long.hashCode(startMillis) & 0x7fff_ffffL) | 1L;
        return (hash << 32) | (pid & PID_MASK);
    }

    private static long startMillis(ProcessHandle h) {
        return h.info().startInstant().map(i -> i.toEpochMilli()).orElse(0L);
    }
}
