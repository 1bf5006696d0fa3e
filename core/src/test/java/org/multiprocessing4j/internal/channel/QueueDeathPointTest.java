package org.multiprocessing4j.internal.channel;

import static org.multiprocessing4j.internal.channel.SimulatedDeaths.dieAt;
import static org.multiprocessing4j.internal.channel.SimulatedDeaths.poison;
import static org.multiprocessing4j.internal.channel.SimulatedDeaths.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.multiprocessing4j.internal.shm.Guard;
import org.multiprocessing4j.internal.shm.SharedMutex;
import org.multiprocessing4j.internal.shm.Words;

/**
 * A producer or consumer that dies between any two of its stores to shared memory (as a SIGKILL
 * would stop it) must leave the queue's counters exact (issue 10): {@code size()} is what can
 * be taken, a bounded queue drained empty takes exactly its bound, and every item put counts
 * as unfinished until {@code taskDone()}. One JVM, one queue: the "dead" process is simulated
 * by stopping the thread at a named point of {@link Ring} and marking the lock as held by a
 * process that does not exist, so the next user takes it over as it would from a dead one.
 */
class QueueDeathPointTest {
    private static final int MAXSIZE = 6;
    private static final int RING_BYTES = 4096;
    /** Longer than a quarter of the ring: travels as three chunks. */
    private static final int BIG = 2500;

    @AfterEach
    void noMoreDeaths() {
        Ring.deathPoint = null;
    }

    @ParameterizedTest
    @ValueSource(strings = {"put: record written", "put: chunk published", "put: commit tail noted",
            "put: commit count noted", "put: tail published", "put: count stored"})
    void producerDyingAtAnyPointLeavesExactCounters(String point) throws Exception {
        for (boolean big : new boolean[] {false, true}) {
            // Each death at each occurrence of the point within one put (a big item reaches
            // the per-record points once per chunk), over several laps of the ring.
            for (int nth = 1; nth <= 3; nth++) {
                for (int lap = 0; lap < 3; lap++) {
                    QueueChannel q = QueueChannel.create(MAXSIZE, RING_BYTES);
                    List<Object> expected = new ArrayList<>();
                    int next = moveRound(q, lap, big);
                    // Items already waiting (a big one fills most of the ring: none then).
                    for (int i = 0; i < (big ? 0 : 3); i++) {
                        assertTrue(q.put(item(next, big), "item", 0, Guard.NONE));
                        expected.add(item(next++, big));
                    }
                    Object dying = item(next, big);
                    boolean died = dieAt(point, nth, () -> q.put(dying, "item", 0, Guard.NONE));
                    if (!died) {
                        expected.add(dying); // the point is not reached that often: put whole
                    }
                    checkAfterDeath(q, ring(q).producerLock, expected, died ? dying : null,
                            point + " #" + nth + (big ? " (chunked)" : "") + ", lap " + lap);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"take: record copied", "take: chunk taken", "take: commit head noted",
            "take: commit count noted", "take: head published", "take: count stored"})
    void consumerDyingAtAnyPointLeavesExactCounters(String point) throws Exception {
        for (boolean big : new boolean[] {false, true}) {
            for (int nth = 1; nth <= 3; nth++) {
                for (int lap = 0; lap < 3; lap++) {
                    QueueChannel q = QueueChannel.create(MAXSIZE, RING_BYTES);
                    List<Object> expected = new ArrayList<>();
                    int next = moveRound(q, lap, big);
                    for (int i = 0; i < (big ? 1 : 3); i++) {
                        assertTrue(q.put(item(next, big), "item", 0, Guard.NONE));
                        expected.add(item(next++, big));
                    }
                    Object[] took = new Object[1];
                    boolean died = dieAt(point, nth, () -> took[0] = q.take(0, Guard.NONE));
                    Object inFlight = expected.remove(0);
                    if (!died) {
                        assertItem(inFlight, took[0]);
                        assertTrue(q.taskDone());
                        inFlight = null;
                    }
                    poison(ring(q).consumerLock);
                    checkAfterDeath(q, null, expected, inFlight,
                            point + " #" + nth + (big ? " (chunked)" : "") + ", lap " + lap);
                }
            }
        }
    }

    /**
     * A producer that gives up an item larger than the ring (its time ran out) and dies while it
     * takes the published pieces back: before the tail moves (the pieces stay, for a consumer to
     * drop) or after (they are gone). Either way the items before it, the counts and the bound
     * are as if the item had never been put.
     */
    @ParameterizedTest
    @ValueSource(strings = {"rewind: consumer lock taken", "rewind: tail taken back"})
    void producerDyingWhileItTakesBackAGivenUpItemLeavesExactCounters(String point) throws Exception {
        for (int waiting = 0; waiting <= 2; waiting++) {
            for (int lap = 0; lap < 3; lap++) {
                QueueChannel q = QueueChannel.create(MAXSIZE, RING_BYTES);
                List<Object> expected = new ArrayList<>();
                int next = moveRound(q, lap, true);
                for (int i = 0; i < waiting; i++) {
                    assertTrue(q.put(item(next, false), "item", 0, Guard.NONE));
                    expected.add(item(next++, false));
                }
                byte[] tooBig = new byte[2 * RING_BYTES];
                String where = point + ", " + waiting + " items waiting, lap " + lap;
                assertTrue(dieAt(point, 1, () -> q.put(tooBig, "item", 0, Guard.NONE)), where + ": expected the death");
                // It held the consumer lock too when it died.
                poison(ring(q).consumerLock);
                checkAfterDeath(q, ring(q).producerLock, expected, null, where);
            }
        }
    }

    /** Puts and takes {@code lap} items, so that later records sit elsewhere in the ring. */
    private static int moveRound(QueueChannel q, int lap, boolean big) throws Exception {
        int next = 0;
        for (int l = 0; l < lap * 2; l++) {
            assertTrue(q.put(item(next, big), "item", 0, Guard.NONE));
            assertItem(item(next++, big), q.take(0, Guard.NONE));
            assertTrue(q.taskDone());
        }
        return next;
    }

    /**
     * Everything a user can observe once the dead process is gone: size, what can be taken
     * (all of {@code expected}; {@code inFlight} at most once, as the dead one may have had it),
     * the bound, and the unfinished count.
     */
    private static void checkAfterDeath(QueueChannel q, SharedMutex deadLock, List<Object> expected,
            Object inFlight, String where) throws Exception {
        if (deadLock != null) {
            poison(deadLock);
        }
        int size = q.size();
        List<Object> drained = new ArrayList<>();
        for (Object o = q.take(0, Guard.NONE); o != QueueChannel.NOTHING; o = q.take(0, Guard.NONE)) {
            drained.add(o);
        }
        assertEquals(drained.size(), size, where + ": size() before draining");
        boolean consumerDied = deadLock == null;
        List<Object> withInFlight = new ArrayList<>(expected);
        boolean inFlightDelivered = false;
        if (inFlight != null && drained.size() == expected.size() + 1) {
            // A consumer that died before it moved the head leaves its item for the next one;
            // a producer that died after it published the item has put it.
            withInFlight.add(consumerDied ? 0 : withInFlight.size(), inFlight);
            inFlightDelivered = true;
        }
        assertEquals(withInFlight.size(), drained.size(), where + ": items left " + describe(drained));
        for (int i = 0; i < drained.size(); i++) {
            assertItem(withInFlight.get(i), drained.get(i));
        }
        assertEquals(0, q.size(), where + ": size() once drained");
        // Every item taken, by the dead consumer too, is marked done: nothing stays unfinished.
        int done = drained.size() + (inFlight != null && !inFlightDelivered && consumerDied ? 1 : 0);
        for (int i = 0; i < done; i++) {
            assertTrue(q.taskDone(), where + ": taskDone() #" + (i + 1) + " of " + done);
        }
        assertEquals(0, q.unfinished(), where + ": unfinished once every item is done");
        assertFalse(q.taskDone(), where + ": one taskDone() too many");
        assertTrue(q.join(0, Guard.NONE), where + ": join() once every item is done");
        // A chunked item, whose first chunks are published before it counts: a commit record
        // the dead one left ahead of the published position must not count it early.
        Object big = item(77, true);
        assertTrue(q.put(big, "item", 0, Guard.NONE), where + ": a big item after the death");
        assertEquals(1, q.size(), where + ": size() with one big item");
        assertItem(big, q.take(0, Guard.NONE));
        assertTrue(q.taskDone());
        assertEquals(0, q.size(), where + ": size() after the big item");
        // The bound: exactly MAXSIZE items fit in the drained queue, and not one more.
        for (int i = 0; i < MAXSIZE; i++) {
            assertTrue(q.put(i, "item", 0, Guard.NONE), where + ": put #" + (i + 1) + " into a drained queue bounded at " + MAXSIZE);
        }
        assertFalse(q.put(-1, "item", 0, Guard.NONE), where + ": a put beyond the bound");
        assertEquals(MAXSIZE, q.size(), where + ": size() when full");
        for (int i = 0; i < MAXSIZE; i++) {
            assertEquals(i, q.take(0, Guard.NONE), where + ": refill item " + i);
            assertTrue(q.taskDone());
        }
        assertEquals(0, q.size());
        assertTrue(q.join(0, Guard.NONE));
    }

    private static Object item(int i, boolean big) {
        if (!big) {
            return i;
        }
        byte[] b = new byte[BIG];
        Arrays.fill(b, (byte) i);
        b[0] = (byte) (i >> 8);
        return b;
    }

    private static void assertItem(Object expected, Object actual) {
        assertNotSame(QueueChannel.NOTHING, actual, "expected an item, found none");
        if (expected instanceof byte[]) {
            assertTrue(Arrays.equals((byte[]) expected, (byte[]) actual), "a big item came back different");
        } else {
            assertEquals(expected, actual);
        }
    }

    private static String describe(List<Object> items) {
        List<String> s = new ArrayList<>();
        for (Object o : items) {
            s.add(o instanceof byte[] ? "bytes(" + ((byte[]) o)[1] + ")" : String.valueOf(o));
        }
        return s.toString();
    }
}
