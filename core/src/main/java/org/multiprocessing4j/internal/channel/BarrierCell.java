package org.multiprocessing4j.internal.channel;

import java.io.Serializable;
import org.multiprocessing4j.internal.platform.ProcessToken;

/**
 * A cyclic barrier in shared memory: parties, the count arrived in the current generation, the
 * generation, which generation is broken, and the processes that have waited at it (with the
 * last generation each reached). A waiter breaks the barrier when it times out, is interrupted,
 * or finds that a process that has waited here before died without reaching this generation:
 * the others then get {@link Broken} instead of waiting forever.
 */
public final class BarrierCell extends SyncCell {
    private static final int PARTIES = SyncLayout.MAIN + SyncLayout.BARRIER_PARTIES;
    private static final int COUNT = SyncLayout.MAIN + SyncLayout.BARRIER_COUNT;
    private static final int GENERATION = SyncLayout.MAIN + SyncLayout.BARRIER_GENERATION;
    private static final int BROKEN = SyncLayout.MAIN + SyncLayout.BARRIER_BROKEN;
    private static final int PARTICIPANTS = SyncLayout.MAIN + SyncLayout.BARRIER_PARTICIPANTS;

    /** What {@link #await} found: the barrier is broken. */
    public static final class Broken extends Exception {
        private static final long serialVersionUID = 1L;
        public final String why;

        Broken(String why) {
            super(why, null, false, false);
            this.why = why;
        }
    }

    /** {@link #await} timed out (and broke the barrier). */
    public static final class TimedOut extends Exception {
        private static final long serialVersionUID = 1L;

        TimedOut() {
            super(null, null, false, false);
        }
    }

    private final SleeperTable table;

    private BarrierCell(SharedSegment segment) {
        super(segment);
        this.table = new SleeperTable(buffer, SyncLayout.BARRIER_TABLE);
    }

    public static BarrierCell create(int parties) {
        BarrierCell c = newSegment(SyncLayout.TYPE_BARRIER, "a ProcessBarrier").channel(BarrierCell::new);
        c.setVolatile(PARTIES, parties);
        return c;
    }

    public static BarrierCell attach(Serializable handle) {
        return attached(handle, SyncLayout.TYPE_BARRIER).channel(BarrierCell::new);
    }

    public int parties() {
        return (int) getVolatile(PARTIES);
    }

    public boolean isBroken() {
        return getVolatile(BROKEN) == getVolatile(GENERATION) + 1;
    }

    public int waiting() {
        return isBroken() ? 0 : (int) getVolatile(COUNT);
    }

    /**
     * Waits until every party has arrived, at most {@code timeoutNanos} (negative: no limit).
     *
     * @return the arrival index: parties − 1 for the first to arrive, 0 for the last
     * @throws Broken if the barrier is or becomes broken
     * @throws TimedOut if the time ran out (the barrier is then broken for the others)
     * @throws InterruptedException if interrupted while waiting (the barrier is then broken)
     */
    public int await(long timeoutNanos) throws InterruptedException, Broken, TimedOut {
        long gen = getVolatile(GENERATION);
        if (getVolatile(BROKEN) == gen + 1) {
            throw new Broken("the barrier is broken");
        }
        markArrived(gen);
        long parties = getVolatile(PARTIES);
        long index = getAndAdd(COUNT, 1);
        if (index + 1 >= parties) {
            // The last to arrive trips it: a new generation, and everyone goes on.
            setVolatile(COUNT, 0);
            setVolatile(GENERATION, gen + 1);
            table.wakeAll();
            return 0;
        }
        try (Backoff b = (timeoutNanos < 0 ? Backoff.untimed() : Backoff.timed(timeoutNanos)).on(table)) {
            while (true) {
                if (getVolatile(BROKEN) == gen + 1) {
                    throw new Broken(brokenWhy);
                }
                if (getVolatile(GENERATION) != gen) {
                    return (int) (parties - 1 - index);
                }
                if (b.slowCheckDue()) {
                    long dead = deadParticipant(gen);
                    if (dead != 0) {
                        breakIt(gen, "process " + dead + ", which had waited at this barrier before, ended without"
                                + " reaching it");
                        throw new Broken(brokenWhy);
                    }
                }
                boolean more;
                try {
                    more = b.idle();
                } catch (InterruptedException e) {
                    if (getVolatile(GENERATION) != gen) {
                        Thread.currentThread().interrupt();
                        return (int) (parties - 1 - index);
                    }
                    breakIt(gen, "a waiting thread was interrupted");
                    throw e;
                }
                if (!more && getVolatile(GENERATION) == gen) {
                    breakIt(gen, "a waiting thread timed out");
                    throw new TimedOut();
                }
            }
        }
    }

    private volatile String brokenWhy = "the barrier was broken";

    private void breakIt(long gen, String why) {
        brokenWhy = why;
        if (cas(BROKEN, getVolatile(BROKEN), gen + 1)) {
            table.wakeAll();
        }
    }

    /** Breaks the current generation (its waiters get Broken) and starts a new one. */
    public void reset() {
        long gen = getVolatile(GENERATION);
        brokenWhy = "the barrier was reset";
        setVolatile(BROKEN, gen + 1);
        setVolatile(COUNT, 0);
        setVolatile(GENERATION, gen + 1);
        table.wakeAll();
    }

    /** Records that this process reached generation {@code gen}. */
    private void markArrived(long gen) {
        long me = ProcessToken.current();
        for (int i = 0; i < SyncLayout.BARRIER_SLOTS; i++) {
            int at = PARTICIPANTS + i * 16;
            long t = getVolatile(at);
            if (t == me || (t == 0 && cas(at, 0, me))) {
                setVolatile(at + 8, gen + 1);
                return;
            }
        }
    }

    /** A process that waited here before, died, and has not reached {@code gen}; or 0. */
    private long deadParticipant(long gen) {
        for (int i = 0; i < SyncLayout.BARRIER_SLOTS; i++) {
            int at = PARTICIPANTS + i * 16;
            long t = getVolatile(at);
            if (t != 0 && getVolatile(at + 8) != gen + 1 && !ProcessToken.isAlive(t)) {
                return ProcessToken.pid(t);
            }
        }
        return 0;
    }
}
