package org.multiprocessing4j.internal.channel;

import java.util.concurrent.locks.LockSupport;

/**
 * How a thread waits for another process to change shared memory: spin briefly (a reply in
 * another JVM usually comes within microseconds), then yield, then park for growing periods up
 * to a millisecond, so that an idle waiter costs a few percent of a core at most
 * (docs/design/transport.md measured 1.5–3 %). One instance per wait; not thread-safe.
 *
 * <p>There is no cross-process wake-up: shared memory cannot unpark a thread in another JVM
 * without native code, so a waiter that has gone to sleep notices new data within its current
 * park period (at most {@link #MAX_PARK_NANOS}).
 */
final class Backoff {
    static final long NO_DEADLINE = Long.MAX_VALUE;
    private static final int SPINS = Integer.getInteger("multiprocessing4j.spins", 2000);
    private static final int YIELDS = 20;
    private static final long MIN_PARK_NANOS = 20_000;
    static final long MAX_PARK_NANOS = 1_000_000;
    /** How often {@link #slowCheckDue()} says yes once the waiter has started to park. */
    private static final long SLOW_CHECK_NANOS = 2_000_000;

    private final long deadline;
    private int rounds;
    private long park = MIN_PARK_NANOS;
    private long lastSlowCheck;

    private Backoff(long deadline) {
        this.deadline = deadline;
    }

    /** A wait that ends only when its condition holds (or on interrupt). */
    static Backoff untimed() {
        return new Backoff(NO_DEADLINE);
    }

    /** A wait of at most {@code nanos}; zero or less means try once. */
    static Backoff timed(long nanos) {
        long now = System.nanoTime();
        long d = nanos <= 0 ? now : now + nanos;
        return new Backoff(d < now ? NO_DEADLINE : d);
    }

    /** Nanoseconds left, or {@link #NO_DEADLINE}. */
    long remainingNanos() {
        return deadline == NO_DEADLINE ? NO_DEADLINE : deadline - System.nanoTime();
    }

    /**
     * Waits a little.
     *
     * @return false if the deadline has passed (the caller gives up after checking once more)
     * @throws InterruptedException if the thread is interrupted (the flag is cleared)
     */
    boolean idle() throws InterruptedException {
        int r = rounds++;
        if (r < SPINS) {
            Thread.onSpinWait();
            if ((r & 63) != 0) {
                return true;
            }
        } else if (r < SPINS + YIELDS) {
            Thread.yield();
        } else {
            long left = remainingNanos();
            if (left <= 0) {
                return false;
            }
            LockSupport.parkNanos(this, Math.min(park, left));
            park = Math.min(park * 2, MAX_PARK_NANOS);
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        return deadline == NO_DEADLINE || System.nanoTime() - deadline < 0;
    }

    /**
     * True about every 2 ms once the waiter has started to sleep: the time for checks too dear
     * for every round, such as whether another process is still alive.
     */
    boolean slowCheckDue() {
        if (rounds < SPINS + YIELDS) {
            return false;
        }
        long now = System.nanoTime();
        if (lastSlowCheck == 0 || now - lastSlowCheck >= SLOW_CHECK_NANOS) {
            lastSlowCheck = now;
            return true;
        }
        return false;
    }
}
