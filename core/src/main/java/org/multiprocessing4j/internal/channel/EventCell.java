package org.multiprocessing4j.internal.channel;

import java.io.Serializable;

/** An event flag in shared memory, and the sleepers waiting for it to be set. */
public final class EventCell extends SyncCell {
    private static final int FLAG = SyncLayout.MAIN + SyncLayout.EVENT_FLAG;
    /** Counts set() calls, so that a waiter sees a set() even if clear() follows at once. */
    private static final int SETS = SyncLayout.MAIN + SyncLayout.EVENT_SETS;

    private final SleeperTable table;

    private EventCell(SharedSegment segment) {
        super(segment);
        this.table = new SleeperTable(buffer, SyncLayout.MAIN + SyncLayout.EVENT_TABLE);
    }

    public static EventCell create() {
        return newSegment(SyncLayout.TYPE_EVENT, "a ProcessEvent").channel(EventCell::new);
    }

    public static EventCell attach(Serializable handle) {
        return attached(handle, SyncLayout.TYPE_EVENT).channel(EventCell::new);
    }

    public void set() {
        setVolatile(FLAG, 1);
        getAndAdd(SETS, 1);
        table.wakeAll();
    }

    public void clear() {
        setVolatile(FLAG, 0);
    }

    public boolean isSet() {
        return getVolatile(FLAG) != 0;
    }

    /**
     * Waits at most {@code timeoutNanos} (negative: no limit) until the flag is set, or set() is
     * called (a set() at once followed by clear() ends the wait too, as in Python); returns the flag.
     */
    public boolean await(long timeoutNanos) throws InterruptedException {
        if (isSet()) {
            return true;
        }
        long sets = getVolatile(SETS);
        try (Backoff b = (timeoutNanos < 0 ? Backoff.untimed() : Backoff.timed(timeoutNanos)).on(table)) {
            while (!isSet() && getVolatile(SETS) == sets) {
                if (!b.idle()) {
                    return isSet();
                }
            }
            return isSet();
        }
    }
}
