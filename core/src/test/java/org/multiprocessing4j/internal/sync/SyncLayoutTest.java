package org.multiprocessing4j.internal.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.multiprocessing4j.internal.shm.CacheLine;

/** The sync layout's own checks run (its class initializes) and its offsets are where the map says. */
class SyncLayoutTest {
    @Test
    void layoutInitializesAndMatchesItsMap() {
        assertEquals(128, SyncLayout.MAIN_OFFSET);
        assertEquals(1024, SyncLayout.VALUE_LOCK_OFFSET);
        assertEquals(2048, SyncLayout.BARRIER_WAITERS_OFFSET);
        assertEquals(4096, SyncLayout.SEGMENT_LENGTH);
        assertEquals(0, SyncLayout.MAIN_OFFSET % CacheLine.LENGTH);
    }
}
