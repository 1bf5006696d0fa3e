package org.multiprocessing4j.cluster.internal.shared;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.AbstractMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A cluster barrier's steps with a barrier action, run on an entry in memory as the member that
 * owns it runs them: the last arrival claims the round, the others see it claimed, a thread that
 * comes meanwhile is told to wait, only the runner's failure or death breaks the round, and
 * {@link SyncOp#BAR_TRIP} ends it.
 */
class SyncOpBarrierTest {
    private final Map.Entry<String, SyncEntry> entry = new AbstractMap.SimpleEntry<>("b.s", null);

    private long[] run(SyncOp op) {
        return op.process(entry);
    }

    private SyncEntry barrierOf(int parties) {
        run(SyncOp.create(SyncOp.BARRIER, parties, 0, false));
        return entry.getValue();
    }

    @Test
    void theLastArrivalWithAnActionClaimsTheRoundAndTripsItAfterwards() {
        SyncEntry e = barrierOf(2);
        assertArrayEquals(new long[] {0, 1, 0}, run(SyncOp.arrive("h/p1#1", "h", true)), "the first party: index 1, round 0");
        assertArrayEquals(new long[] {SyncOp.RETRY, 0}, run(SyncOp.of(SyncOp.BAR_CHECK, SyncOp.BARRIER, 0)),
                "a waiter of an unclaimed round");
        assertArrayEquals(new long[] {0, 0, 0}, run(SyncOp.arrive("h/p2#1", "h", true)), "the last: index 0, round 0");
        assertEquals("h/p2#1", e.holder, "the last arrival holds the round while it runs the action");
        assertEquals(0, e.b, "the round has not tripped");
        assertArrayEquals(new long[] {SyncOp.RETRY, 1}, run(SyncOp.of(SyncOp.BAR_CHECK, SyncOp.BARRIER, 0)),
                "a waiter sees the round claimed");
        assertArrayEquals(new long[] {0, 2, 2, 0, 0}, run(SyncOp.of(SyncOp.BAR_INFO, SyncOp.BARRIER)),
                "every party counts as waiting while the action runs");
        assertArrayEquals(new long[] {SyncOp.RETRY}, run(SyncOp.arrive("h/p3#1", "h", true)),
                "a thread that arrives while the action runs waits for the next round");

        run(SyncOp.breakRound(0, false));
        assertFalse(e.flag, "a waiter that times out does not break a round whose action runs");
        assertArrayEquals(new long[] {0}, run(SyncOp.of(SyncOp.BAR_TRIP, SyncOp.BARRIER, 0)), "the runner trips it");
        assertNull(e.holder);
        assertEquals(1, e.b, "the next round");
        assertArrayEquals(new long[] {0}, run(SyncOp.of(SyncOp.BAR_CHECK, SyncOp.BARRIER, 0)), "the waiter passes");
        assertArrayEquals(new long[] {0}, run(SyncOp.of(SyncOp.BAR_TRIP, SyncOp.BARRIER, 0)),
                "a repeated trip (a member lost) says done");
        assertArrayEquals(new long[] {0, 1, 1}, run(SyncOp.arrive("h/p3#1", "h", true)), "the late thread, in round 1");
    }

    @Test
    void anActionThatFailsBreaksTheRound() {
        SyncEntry e = barrierOf(2);
        run(SyncOp.arrive("h/p1#1", "h", true));
        run(SyncOp.arrive("h/p2#1", "h", true));
        run(SyncOp.breakRound(0, true));
        assertTrue(e.flag, "the runner's failure breaks the round");
        assertNull(e.holder);
        assertArrayEquals(new long[] {SyncOp.BROKEN}, run(SyncOp.of(SyncOp.BAR_CHECK, SyncOp.BARRIER, 0)));
        assertArrayEquals(new long[] {SyncOp.BROKEN}, run(SyncOp.of(SyncOp.BAR_TRIP, SyncOp.BARRIER, 0)));
    }

    @Test
    void aResetWhileTheActionRunsIsToldToTheRunner() {
        barrierOf(2);
        run(SyncOp.arrive("h/p1#1", "h", true));
        run(SyncOp.arrive("h/p2#1", "h", true));
        run(SyncOp.of(SyncOp.BAR_RESET, SyncOp.BARRIER));
        assertNull(entry.getValue().holder, "the reset ends the claim with its round");
        assertArrayEquals(new long[] {SyncOp.BROKEN}, run(SyncOp.of(SyncOp.BAR_TRIP, SyncOp.BARRIER, 0)),
                "the runner learns that its round was reset");
        assertArrayEquals(new long[] {SyncOp.BROKEN}, run(SyncOp.of(SyncOp.BAR_CHECK, SyncOp.BARRIER, 0)));
    }

    @Test
    void theSweepOfAClaimedRoundBreaksItOnlyForTheRunnersProcessOrAHostThatTookPart() {
        SyncEntry e = barrierOf(2);
        run(SyncOp.arrive("h/p1#1", "h", true));
        run(SyncOp.arrive("h/p2#1", "h", true));
        assertArrayEquals(new long[] {0}, SyncOp.sweep("h/p1#", null).process(entry),
                "a waiter that arrived and died does not matter once every party is here");
        assertFalse(e.flag);
        assertArrayEquals(new long[] {1}, SyncOp.sweep("h/p2#", null).process(entry), "the runner's death breaks it");
        assertTrue(e.flag);

        run(SyncOp.of(SyncOp.BAR_RESET, SyncOp.BARRIER));
        run(SyncOp.arrive("h/p1#1", "h", true));
        run(SyncOp.arrive("g/p9#1", "g", true));
        assertArrayEquals(new long[] {1}, SyncOp.sweep("h/", "h").process(entry),
                "a host through which a party took part died: broken, as without an action");
    }

    @Test
    void withoutAnActionTheLastArrivalTripsAtOnce() {
        SyncEntry e = barrierOf(2);
        run(SyncOp.arrive("h/p1#1", "h", false));
        assertArrayEquals(new long[] {0, 0, 0}, run(SyncOp.arrive("h/p2#1", "h", false)));
        assertNull(e.holder);
        assertEquals(1, e.b);
        assertArrayEquals(new long[] {0}, run(SyncOp.of(SyncOp.BAR_CHECK, SyncOp.BARRIER, 0)));
    }
}
