package org.multiprocessing4j.internal.shm;

import java.util.concurrent.locks.LockSupport;
import org.multiprocessing4j.internal.jfr.Jfr;
import org.multiprocessing4j.internal.jfr.JfrEvents;

/**
 * How a thread waits for another process to change shared memory: spin briefly (a reply in
 * another JVM usually comes within microseconds), then yield, then sleep. Sleeping is on a
 * {@link Doorbell} registered in the {@link SleeperTable} the caller names with {@link #on}, so
 * the process that changes the state wakes the sleeper within tens of microseconds and an idle
 * waiter uses no measurable CPU; a sleeper still wakes by itself to run its slow checks (a dead
 * peer, a dead lock holder): after {@link #FIRST_SLEEP_NANOS}, then after periods that double while
 * nothing happens, up to {@link #MAX_SLEEP_NANOS}. Without a table, or when the table is full or
 * this JVM has no doorbells, it parks for growing periods up to a millisecond instead.
 *
 * <p>One instance per wait, closed at its end ({@link #close} gives the table slot and the
 * doorbell back) and not used after: instances are reused by the thread that had them; not
 * thread-safe.
 */
public final class Backoff implements AutoCloseable {
    static final long NO_DEADLINE = Long.MAX_VALUE;
    /** The most a waiter spins; about 50 µs on the project's machine. */
    private static final int MAX_SPINS = Integer.getInteger("multiprocessing4j.spins", 2000);
    private static final int MIN_SPINS = Math.min(MAX_SPINS, 200);
    /**
     * How long waiters spin now, adapted as HotSpot adapts its own spinning: it shrinks by a
     * quarter (to 200 at least) each time a spin phase runs out without the condition coming true (the other process could not run:
     * the machine is busy, or the two share a CPU), and grows an eighth each time a wait ends
     * inside it. With both processes pinned to one CPU, a fixed 2 000 spins made a pipe round trip
     * take 120 µs (Python: 21 µs), adaptive spinning 16 µs; on a quiet machine, spinning is what
     * makes a round trip take about a microsecond.
     */
    private static volatile int spins = MAX_SPINS;
    private static final int YIELDS = 20;
    private static final long MIN_PARK_NANOS = 20_000;
    static final long MAX_PARK_NANOS = 1_000_000;
    /** How often {@link #slowCheckDue()} says yes once the waiter has started to park. */
    private static final long SLOW_CHECK_NANOS = 2_000_000;
    /**
     * How long a sleeper on a doorbell first sleeps before it looks around by itself (for a dead
     * lock holder or pipe peer, a local close); the period doubles while nothing happens, up to
     * {@link #MAX_SLEEP_NANOS}, so that a long-idle waiter wakes five times a second.
     */
    public static final long FIRST_SLEEP_NANOS = 20_000_000;
    static final long MAX_SLEEP_NANOS = 200_000_000;

    /**
     * Each thread's spare instance: a queue's put and take each need one, and a fresh child's
     * first hundred thousand puts allocated 80 bytes each for it (a young collection of several
     * milliseconds in the middle of them). A wait while the spare is out (one nested in another)
     * gets a new one.
     */
    private static final ThreadLocal<Backoff> SPARE = new ThreadLocal<>() {
        @Override
        protected Backoff initialValue() {
            return new Backoff(NO_DEADLINE);
        }
    };

    // Set for each wait by begin(); the rest is cleared by close().
    private long deadline;
    private int spinLimit;
    /** Whether this is a thread's spare and some wait has it now. */
    private boolean lent;
    private int rounds;
    private long park;
    private long lastSlowCheck;
    private long sleep;
    private long maxSleep;
    private SleeperTable table;
    private Doorbell bell;
    private int slot = -1;
    /** This wait's Flight Recorder event, once it sleeps while a recording runs; else null. */
    private Object recorded;

    private Backoff(long deadline) {
        begin(deadline);
    }

    /** Sets this instance going for a new wait. */
    private void begin(long deadline) {
        this.deadline = deadline;
        spinLimit = spins;
        rounds = 0;
        park = MIN_PARK_NANOS;
        lastSlowCheck = 0;
        sleep = FIRST_SLEEP_NANOS;
        maxSleep = MAX_SLEEP_NANOS;
    }

    /** A wait that ends only when its condition holds (or on interrupt). */
    public static Backoff untimed() {
        return obtain(NO_DEADLINE);
    }

    /** A wait of at most {@code nanos}; zero or less means try once. */
    public static Backoff timed(long nanos) {
        long now = System.nanoTime();
        long d = nanos <= 0 ? now : now + nanos;
        return obtain(d < now ? NO_DEADLINE : d);
    }

    /** The thread's spare, set for a new wait, or a new instance if the spare is out. */
    private static Backoff obtain(long deadline) {
        Backoff b = SPARE.get();
        if (b.lent) {
            return new Backoff(deadline);
        }
        b.lent = true;
        b.begin(deadline);
        return b;
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
    public boolean idle() throws InterruptedException {
        int r = rounds++;
        if (r < spinLimit) {
            Thread.onSpinWait();
            if ((r & 63) != 0) {
                return true;
            }
        } else if (r < spinLimit + YIELDS) {
            if (r == spinLimit) {
                spins = Math.max(MIN_SPINS, spins - (spins >> 2));
            }
            Thread.yield();
        } else {
            if (r == spinLimit + YIELDS && recorded == null && Jfr.on()) {
                recorded = JfrEvents.waitBegins(); // spinning is not waiting, for a recording
            }
            long left = remainingNanos();
            if (left <= 0) {
                return false;
            }
            if (!sleepOnTable(left)) {
                LockSupport.parkNanos(this, Math.min(park, left));
                park = Math.min(park * 2, MAX_PARK_NANOS);
            }
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        return deadline == NO_DEADLINE || System.nanoTime() - deadline < 0;
    }

    /**
     * For a wait with nothing to check by itself (an event, a semaphore, a condition): only a
     * ring ends its sleep, so an idle waiter wakes at most every 5 s (a safety net). Returns this.
     */
    public Backoff quiet() {
        maxSleep = 5_000_000_000L;
        return this;
    }

    /**
     * Says the wait made progress (a record moved): the next wait starts with spinning again,
     * as a stream of records usually continues at once.
     */
    public void progress() {
        if (rounds > 0 && rounds <= spinLimit) {
            int now = spins;
            if (now < MAX_SPINS) {
                spins = Math.min(MAX_SPINS, now + (now >> 3) + 1);
            }
        }
        rounds = 0;
        park = MIN_PARK_NANOS;
    }

    /**
     * Makes the sleeping phase wait on {@code waiters}, where the process that changes what
     * this thread waits for will ring it. Returns this.
     */
    public Backoff on(SleeperTable waiters) {
        if (waiters != table) {
            releaseSlot();
            table = waiters;
        }
        return this;
    }

    /**
     * Sleeps on the doorbell; false if it cannot (the caller parks). Right after arming (or
     * re-arming after a ring) it returns without sleeping, so that the caller checks its
     * condition once more with the slot armed: that is what makes the handshake safe.
     */
    private boolean sleepOnTable(long left) {
        if (table == null) {
            return false;
        }
        if (bell == null) {
            bell = Doorbell.borrow();
            if (bell == null) {
                return false;
            }
        }
        if (slot < 0) {
            bell.drain();
            slot = table.arm(bell);
            return slot >= 0;
        }
        if (!table.isArmed(slot)) {
            bell.drain();
            table.rearm(slot, bell);
            return true;
        }
        long before = System.nanoTime();
        bell.await(Math.min(left, sleep));
        if (System.nanoTime() - before >= sleep) {
            sleep = Math.min(sleep * 2, maxSleep); // nobody rang: sleep longer next time
        } else {
            sleep = FIRST_SLEEP_NANOS;
        }
        return true;
    }

    private void releaseSlot() {
        if (slot >= 0) {
            table.release(slot, bell);
            slot = -1;
        }
    }

    /**
     * Ends the wait: frees the table slot and gives the doorbell back; a thread's spare becomes
     * its spare again, so the caller must not use this instance afterwards. Idempotent.
     */
    @Override
    public void close() {
        releaseSlot();
        table = null;
        if (bell != null) {
            Doorbell.giveBack(bell);
            bell = null;
        }
        if (recorded != null) {
            Object event = recorded;
            recorded = null;
            JfrEvents.waitEnded(event);
        }
        lent = false;
    }

    /**
     * True about every 2 ms once the waiter has started to sleep: the time for checks too dear
     * for every round, such as whether another process is still alive.
     */
    public boolean slowCheckDue() {
        if (rounds < spinLimit + YIELDS) {
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
