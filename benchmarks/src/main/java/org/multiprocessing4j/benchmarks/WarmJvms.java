package org.multiprocessing4j.benchmarks;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.StartMethod;
import org.multiprocessing4j.internal.launch.ForkServerLauncher;

/**
 * Waits for the FORKSERVER's idle JVMs (through the library's internal
 * {@link ForkServerLauncher}), so that no sample starts while one is still booting.
 *
 * <p>{@code idlePids()} lists a JVM as soon as it is launched, a few hundred milliseconds
 * before it has booted and warmed up. "Ready" here is stricter: the JVM is blocked reading its
 * handshake from standard input ({@code /proc/PID/task/TID/syscall}); where that cannot be
 * read, its CPU time has stopped moving.
 */
final class WarmJvms {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** How long the quiet state must hold, so a booter between two boots is not taken for done. */
    private static final long SETTLE_NANOS = Duration.ofMillis(60).toNanos();

    private boolean active;

    /** Whether the FORKSERVER has been asked for (so there are idle JVMs to wait for). */
    boolean active() {
        return active;
    }

    /**
     * Drops the idle JVMs, asks for one afresh (as {@code getContext(FORKSERVER)} does for a
     * new program) and waits until it is ready: every FORKSERVER sample and burst then starts
     * from the same state.
     */
    void reset() throws InterruptedException {
        ForkServerLauncher.INSTANCE.retireIdle(false);
        Multiprocessing.getContext(StartMethod.FORKSERVER);
        active = true;
        awaitQuiet();
    }

    /**
     * Waits until at least one idle JVM is listed, every child process of this JVM is an idle
     * JVM (nothing else still running or exiting), and each is ready; the state must hold for
     * {@link #SETTLE_NANOS}. Returns the ready pids. Does nothing before {@link #reset()}.
     *
     * @throws IllegalStateException if that does not happen within {@link #TIMEOUT}
     */
    List<Long> awaitQuiet() throws InterruptedException {
        if (!active) {
            return List.of();
        }
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        Set<Long> settled = null;
        long since = 0;
        Map<Long, Long> ticks = new HashMap<>();
        while (true) {
            List<Long> idle = ForkServerLauncher.INSTANCE.idlePids();
            Set<Long> children = ProcessHandle.current().children().filter(ProcessHandle::isAlive)
                    .map(ProcessHandle::pid).collect(Collectors.toSet());
            boolean quiet = !idle.isEmpty() && children.equals(new HashSet<>(idle));
            for (long pid : idle) {
                quiet &= ready(pid, ticks);
            }
            long now = System.nanoTime();
            if (!quiet) {
                settled = null;
            } else if (settled == null || !settled.equals(children)) {
                settled = children;
                since = now;
            } else if (now - since >= SETTLE_NANOS) {
                return idle;
            }
            if (now > deadline) {
                throw new IllegalStateException("no warm FORKSERVER JVM became ready within " + TIMEOUT.toSeconds()
                        + " s (idle: " + idle + ", children: " + children + ")");
            }
            Thread.sleep(5);
        }
    }

    /** Drops the idle JVMs and waits for them to end. */
    void retire() {
        ForkServerLauncher.INSTANCE.retireIdle(false);
    }

    private static boolean ready(long pid, Map<Long, Long> ticks) {
        Boolean blocked = ProcFs.blockedReadingStdin(pid);
        if (blocked != null) {
            return blocked;
        }
        long t = ProcFs.cpuTicks(pid);
        Long before = ticks.put(pid, t);
        return t >= 0 && before != null && before == t;
    }
}
