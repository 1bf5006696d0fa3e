package org.multiprocessing4j.benchmarks;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;

/**
 * Interrupts the thread that made it (the measuring thread) when a round runs longer than a
 * timeout (a lost message or wake-up, a hung child), or when {@code dead} says a child the rounds
 * need has died; the measuring thread then gets an {@link InterruptedException} out of its wait
 * instead of waiting forever. It checks every 100 ms, in a daemon thread, and interrupts at most
 * once.
 */
final class Watchdog {
    private final Thread measuring = Thread.currentThread();
    private final Thread thread;
    private final Duration roundTimeout;
    private final BooleanSupplier dead;
    /** When the current round began (System.nanoTime()), or Long.MAX_VALUE between rounds. */
    private volatile long roundBegan = Long.MAX_VALUE;
    private volatile boolean stopping;

    /**
     * A watchdog for the calling thread, not started yet.
     *
     * @param name its thread's name
     * @param roundTimeout how long a round may take
     * @param dead whether a child the rounds need has died; called until {@link #stop()} returns
     */
    Watchdog(String name, Duration roundTimeout, BooleanSupplier dead) {
        this.roundTimeout = roundTimeout;
        this.dead = dead;
        this.thread = new Thread(this::watch, name);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** A round begins now. */
    void roundBegins() {
        roundBegan = System.nanoTime();
    }

    /** The round has ended; the time between rounds is not limited. */
    void roundEnded() {
        roundBegan = Long.MAX_VALUE;
    }

    /**
     * Stops watching and waits until the watchdog's thread has ended, so that the children can
     * be closed without it looking at them. An interrupt it sent to the measuring thread in the
     * moment it was being stopped is cleared (the measuring thread is the caller, done measuring).
     */
    void stop() throws InterruptedException {
        stopping = true;
        if (thread.isAlive()) {
            thread.interrupt();
            thread.join();
        }
        if (Thread.currentThread() == measuring) {
            Thread.interrupted(); // only the watchdog interrupts the measuring thread
        }
    }

    /** Work that ends with a stop, which must run whether the work succeeded or not. */
    @FunctionalInterface
    interface Stop {
        void stop() throws Exception;
    }

    /**
     * Runs {@code measure}, then {@code stop} (ending the children), and returns what
     * {@code measure} returned. If {@code measure} fails, {@code stop} still runs (its own failure
     * is added as suppressed, since it says what became of the children) and the failure is
     * thrown; an interrupt (from a watchdog) becomes an {@link IllegalStateException} saying
     * {@code interrupted}.
     */
    static <T> T measureThenStop(Callable<T> measure, Stop stop, String interrupted) throws Exception {
        T result;
        try {
            result = measure.call();
        } catch (Exception e) {
            Exception failure = e instanceof InterruptedException ? new IllegalStateException(interrupted, e) : e;
            try {
                stop.stop();
            } catch (Exception s) {
                failure.addSuppressed(s);
            }
            throw failure;
        }
        stop.stop();
        return result;
    }

    private void watch() {
        try {
            while (!stopping) {
                Thread.sleep(100);
                long began = roundBegan;
                boolean late = began != Long.MAX_VALUE && System.nanoTime() - began > roundTimeout.toNanos();
                if (!stopping && (late || dead.getAsBoolean())) {
                    measuring.interrupt();
                    return;
                }
            }
        } catch (InterruptedException e) {
            // stop(): done
        }
    }
}
