package org.multiprocessing4j.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded waits for a condition, failing with a message that says what was awaited. */
public final class Await {
    private Await() {
    }

    /** Polls {@code condition} until it holds or {@code timeout} passes. */
    public static boolean poll(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /** As {@link #poll}, failing the test with "timed out after T waiting for WHAT". */
    public static void until(Duration timeout, String what, BooleanSupplier condition) {
        if (!poll(timeout, condition)) {
            throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
        }
    }

    /**
     * Whether the process with this pid has ended: it is gone, or it is a zombie waiting for
     * whoever adopted it (init, once its parent died) to reap it. Reaping an orphan is init's
     * business, and some container inits are slow at it.
     */
    public static boolean hasEnded(long pid) {
        if (isGone(pid)) {
            return true;
        }
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (java.io.IOException | RuntimeException e) {
            return isGone(pid);
        }
    }

    /** Whether no process with this pid is running any more (a zombie counts as running). */
    public static boolean isGone(long pid) {
        return ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true);
    }
}
