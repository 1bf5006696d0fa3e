package org.multiprocessing4j.internal.sync;

import java.io.Serializable;
import org.multiprocessing4j.internal.shm.Backoff;
import org.multiprocessing4j.internal.shm.SharedSegment;
import org.multiprocessing4j.internal.shm.SleeperTable;
import org.multiprocessing4j.spi.EventStore;
import org.multiprocessing4j.spi.StoreHandle;

/** An event flag in shared memory, and the sleepers waiting for it to be set. */
public final class EventCell extends SyncCell implements EventStore {
    /**
     * One word: the flag (bit 0) and how many times set() was called (the rest), changed only
     * together, so that a waiter reads both at once: it wakes on a set() even if clear() follows
     * at once, and never mistakes an old set() for a new one.
     */
    private static final int STATE = SyncLayout.MAIN_OFFSET + SyncLayout.EVENT_STATE_OFFSET;

    private final SleeperTable table;

    private EventCell(SharedSegment segment) {
        super(segment);
        this.table = new SleeperTable(buffer, SyncLayout.MAIN_OFFSET + SyncLayout.EVENT_WAITERS_OFFSET);
    }

    public static EventCell create() {
        return newSegment(SyncLayout.TYPE_EVENT, "a ProcessEvent").channel(EventCell::new);
    }

    static EventCell attach(Serializable handle) {
        return attached(handle, SyncLayout.TYPE_EVENT).channel(EventCell::new);
    }

    @Override
    public StoreHandle<EventStore> handle() {
        return new CellHandle<>(locator(), SyncLayout.TYPE_EVENT, false);
    }

    @Override
    public void set() {
        while (true) {
            long w = getVolatile(STATE);
            if (cas(STATE, w, (((w >>> 1) + 1) << 1) | 1)) {
                break;
            }
        }
        table.wakeAll();
    }

    @Override
    public void clear() {
        while (true) {
            long w = getVolatile(STATE);
            if ((w & 1) == 0 || cas(STATE, w, w & ~1L)) {
                return;
            }
        }
    }

    @Override
    public boolean isSet() {
        return (getVolatile(STATE) & 1) != 0;
    }

    /**
     * Waits at most {@code timeoutNanos} (negative: no limit) until the flag is set, or set() is
     * called (a set() at once followed by clear() ends the wait too, as in Python); returns the flag.
     */
    @Override
    public boolean await(long timeoutNanos) throws InterruptedException {
        long w = getVolatile(STATE);
        if ((w & 1) != 0) {
            return true;
        }
        long sets = w >>> 1;
        try (Backoff b = (timeoutNanos < 0 ? Backoff.untimed() : Backoff.timed(timeoutNanos)).on(table).quiet()) {
            while (true) {
                w = getVolatile(STATE);
                if ((w & 1) != 0 || (w >>> 1) != sets) {
                    return (w & 1) != 0;
                }
                if (!b.idle()) {
                    return (getVolatile(STATE) & 1) != 0;
                }
            }
        }
    }
}
