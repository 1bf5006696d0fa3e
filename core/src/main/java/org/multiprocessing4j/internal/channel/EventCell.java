package org.multiprocessing4j.internal.channel;

import java.io.Serializable;

/** An event flag in shared memory, and the sleepers waiting for it to be set. */
public final class EventCell extends SyncCell {
    private static final int FLAG = SyncLayout.MAIN + SyncLayout.EVENT_FLAG;

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
        table.wakeAll();
    }

    public void clear() {
        setVolatile(FLAG, 0);
    }

    public boolean isSet() {
        return getVolatile(FLAG) != 0;
    }

    /** Waits at most {@code timeoutNanos} (negative: no limit) for the flag; returns it. */
    public boolean await(long timeoutNanos) throws InterruptedException {
        if (isSet()) {
            return true;
        }
        try (Backoff b = (timeoutNanos < 0 ? Backoff.untimed() : Backoff.timed(timeoutNanos)).on(table)) {
            while (!isSet()) {
                if (!b.idle()) {
                    return isSet();
                }
            }
            return true;
        }
    }
}
