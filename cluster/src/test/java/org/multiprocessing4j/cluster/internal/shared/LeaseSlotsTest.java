package org.multiprocessing4j.cluster.internal.shared;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The slots in which a relay's processes use what the relay leased, as the relay and a process
 * see them through two mappings of one file: a lock taken and released only while the lease's
 * tag is the one the process knows and no waiter sends it through the relay, a dead process's
 * hold freed with the take-over mark; a value stepped only under its lease, its writes counted.
 */
class LeaseSlotsTest {
    @TempDir
    Path dir;

    private static final long PID = 4242;

    @Test
    void aLockIsTakenAndReleasedInItsSlotWhileItsLeaseLasts() throws Exception {
        LockSlots relay = LockSlots.create(dir);
        LockSlots process = LockSlots.open(dir);
        long a = LockSlots.code("node-a/" + PID + "/77#12");
        long b = LockSlots.code(PID, 13);
        assertEquals(LockSlots.code(PID, 12), a, "a thread id and its pid and thread number give one code");
        assertEquals(PID, LockSlots.pidOf("host/with/slashes/" + PID + "/9#"), "the pid is the second-last part");

        assertEquals(0, process.tryTake(3, 99, a), "no lease in the slot yet: ask the relay");
        relay.start(3, 99, false);
        assertEquals(1, process.tryTake(3, 99, a));
        assertEquals(SyncOp.SELF, process.tryTake(3, 99, a), "held by the same thread");
        assertEquals(0, process.tryTake(3, 99, b), "held by another: ask the relay, which waits");
        assertEquals(0, process.tryTake(3, 98, a), "another lease's tag");
        assertFalse(process.tryRelease(3, 99, b), "not the holder");
        assertEquals(a, relay.holder(3));

        relay.viaRelay(3, true);
        assertFalse(process.tryRelease(3, 99, a), "somebody waits at the relay: the release goes there");
        assertTrue(relay.release(3, a));
        assertEquals(1, relay.take(3, b), "the relay gives it to the waiter");
        relay.viaRelay(3, false);
        assertTrue(process.tryRelease(3, 99, b));
        assertEquals(4, relay.uses(3), "two takes and two releases");

        assertArrayEquals(new boolean[] {true, false}, relay.endIfFree(3), "free: the lease goes back, nobody died");
        assertEquals(0, process.tryTake(3, 99, a), "the lease went back: ask the relay");
    }

    @Test
    void aHoldOfADeadProcessIsFreedAndTheNextHolderToldSo() throws Exception {
        LockSlots relay = LockSlots.create(dir);
        LockSlots process = LockSlots.open(dir);
        relay.start(0, 5, false);
        assertEquals(1, process.tryTake(0, 5, LockSlots.code(PID, 1)));
        assertArrayEquals(new boolean[] {false, false}, relay.endIfFree(0), "held: the lease stays");
        assertFalse(relay.freeDead(0, PID + 1), "another process ended");
        assertTrue(relay.freeDead(0, PID), "the holder's process ended");
        assertEquals(2, process.tryTake(0, 5, LockSlots.code(PID + 2, 1)), "the next holder took over");
        assertTrue(process.tryRelease(0, 5, LockSlots.code(PID + 2, 1)));
        assertArrayEquals(new boolean[] {true, false}, relay.endIfFree(0), "the take-over was told: not told again");

        relay.start(1, 6, true);
        assertTrue(relay.end(1), "a lease taken over from a dead holder and given back untaken says so");
    }

    @Test
    void aValueIsSteppedInItsSlotWhileItsLeaseLasts() throws Exception {
        ValueSlots relay = ValueSlots.create(dir);
        ValueSlots process = ValueSlots.open(dir);
        assertNull(process.apply(7, 1, SyncOp.VAL_ADD, 1, 0), "no lease in the slot yet");
        relay.start(7, 1, 40);
        assertArrayEquals(new long[] {0, 40}, process.apply(7, 1, SyncOp.VAL_ADD, 1, 0), "get and add");
        assertArrayEquals(new long[] {0, 41}, process.apply(7, 1, SyncOp.VAL_GET, 0, 0));
        assertNull(process.apply(7, 2, SyncOp.VAL_GET, 0, 0), "another lease's tag");
        assertArrayEquals(new long[] {41, 1}, relay.valueAndWrites(7), "one write: a read does not count");
        assertEquals(2, relay.uses(7));
        assertEquals(41, relay.end(7));
        assertNull(process.apply(7, 1, SyncOp.VAL_GET, 0, 0), "the lease went back");
    }
}
