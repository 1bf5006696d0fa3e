package org.multiprocessing4j.internal.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The dispatch window: how many tasks a worker may hold, and which messages wait for an idle worker. */
class DispatchWindowTest {
    private static final int INBOX = 256 * 1024;

    @Test
    void aNewPoolStartsWithTheSmallestWindow() {
        assertEquals(DispatchWindow.MIN, new DispatchWindow(0, INBOX).size());
    }

    @Test
    void shortTasksWidenTheWindowToItsLimit() {
        DispatchWindow w = new DispatchWindow(0, INBOX);
        for (int i = 0; i < 100; i++) {
            w.answered(1_000, 1); // 1 µs each
        }
        assertEquals(DispatchWindow.MAX, w.size());
    }

    @Test
    void longTasksKeepTheWindowSmallest() {
        DispatchWindow w = new DispatchWindow(0, INBOX);
        for (int i = 0; i < 100; i++) {
            w.answered(50_000_000, 1);
        }
        assertEquals(DispatchWindow.MIN, w.size());
    }

    @Test
    void theWindowHoldsAboutTheQueuedWorkOfItsTasks() {
        DispatchWindow w = new DispatchWindow(0, INBOX);
        for (int i = 0; i < 200; i++) {
            w.answered(30_000, 1); // 30 µs each: 300 µs of work is 10 tasks, plus the one running
        }
        assertEquals(11, w.size());
    }

    @Test
    void aChunkCountsItsRunTimePerItem() {
        DispatchWindow perItem = new DispatchWindow(0, INBOX);
        DispatchWindow chunked = new DispatchWindow(0, INBOX);
        for (int i = 0; i < 200; i++) {
            perItem.answered(30_000, 1);
            chunked.answered(3_000_000, 100);
        }
        assertEquals(perItem.size(), chunked.size());
    }

    @Test
    void theWindowFollowsAnAverageNotOneTask() {
        DispatchWindow w = new DispatchWindow(0, INBOX);
        w.answered(1, 1);
        assertEquals(DispatchWindow.MIN, w.size(), "one fast task does not widen it");
        for (int i = 0; i < 10; i++) {
            w.answered(1, 1);
        }
        int widened = w.size();
        assertTrue(widened > DispatchWindow.MIN && widened < DispatchWindow.MAX, "size " + widened);
    }

    @Test
    void aWorkerHasRoomUntilItsWindowIsFull() {
        DispatchWindow w = new DispatchWindow(0, INBOX);
        assertTrue(w.hasRoom(0, 1_000_000));
        assertTrue(w.hasRoom(DispatchWindow.MIN - 1, 0));
        assertFalse(w.hasRoom(DispatchWindow.MIN, 0));
    }

    @Test
    void aWorkerIsNotSentMoreItemsThanItMayRun() {
        DispatchWindow w = new DispatchWindow(5, INBOX);
        assertTrue(w.hasRoom(0, 4));
        assertFalse(w.hasRoom(0, 5), "it exits after 5: a 6th would wait for its replacement");
    }

    @Test
    void aBigMessageGoesOnlyToAnIdleWorker() {
        DispatchWindow w = new DispatchWindow(0, INBOX);
        assertTrue(w.mayGo(INBOX / 4, false));
        assertFalse(w.mayGo(INBOX / 4 + 1, false));
        assertTrue(w.mayGo(INBOX / 4 + 1, true));
    }
}
