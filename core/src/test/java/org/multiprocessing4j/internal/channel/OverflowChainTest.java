package org.multiprocessing4j.internal.channel;

import static org.multiprocessing4j.internal.channel.SimulatedDeaths.dieAt;
import static org.multiprocessing4j.internal.channel.SimulatedDeaths.poison;
import static org.multiprocessing4j.internal.channel.SimulatedDeaths.ring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.multiprocessing4j.internal.shm.Guard;
import org.multiprocessing4j.internal.shm.OverflowSegments;
import org.multiprocessing4j.internal.shm.Words;
import org.multiprocessing4j.testing.Await;

/**
 * An unbounded queue never makes {@code put} wait (issue 16): what its ring cannot take goes to
 * overflow segments, in order, counted exactly, with a cap on the memory it may use, and
 * nothing left behind once it is read. One JVM; processes that die are simulated as in
 * {@link QueueDeathPointTest}.
 */
@Timeout(120)
class OverflowChainTest {
    private static final int RING_BYTES = 4096;

    @AfterEach
    void noMoreDeaths() {
        Ring.deathPoint = null;
        System.clearProperty(OverflowSegments.MAX_BYTES_PROPERTY);
    }

    @Test
    void putNeverWaitsAndEveryItemComesOutInOrder() throws Exception {
        QueueChannel q = QueueChannel.create(0, RING_BYTES);
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            assertTrue(q.put(item(i), "item", -1, Guard.NONE), "put " + i);
        }
        assertEquals(n, q.size());
        assertEquals(n, q.unfinished());
        assertFalse(q.isEmpty());
        assertFalse(OverflowSegments.filesOf(q.id()).isEmpty(), "the items beyond the ring are in overflow segments");
        for (int i = 0; i < n; i++) {
            assertItem(item(i), q.take(0, Guard.NONE), "item " + i);
            assertTrue(q.taskDone());
            if (i % 5000 == 0) {
                assertEquals(n - i - 1, q.size(), "size() after " + (i + 1) + " taken");
            }
        }
        assertEquals(QueueChannel.NOTHING, q.take(0, Guard.NONE));
        assertEquals(0, q.size());
        assertTrue(q.isEmpty());
        assertEquals(0, q.unfinished());
        assertTrue(q.join(0, Guard.NONE));
        assertEquals(List.of(), OverflowSegments.filesOf(q.id()), "a queue read to the end keeps no overflow segment");
        // And the ring is used again.
        assertTrue(q.put(7, "item", -1, Guard.NONE));
        assertEquals(7, q.take(0, Guard.NONE));
    }

    @Test
    void anItemLargerThanTheRingIsPutWithoutAConsumer() throws Exception {
        QueueChannel q = QueueChannel.create(0, RING_BYTES);
        byte[] big = new byte[1 << 20];
        ThreadLocalRandom.current().nextBytes(big);
        assertTrue(q.put(1, "item", -1, Guard.NONE));
        assertTrue(q.put(big, "item", -1, Guard.NONE));
        assertTrue(q.put(2, "item", -1, Guard.NONE));
        assertEquals(3, q.size());
        assertEquals(1, q.take(0, Guard.NONE));
        assertArrayEquals(big, (byte[]) q.take(0, Guard.NONE));
        assertEquals(2, q.take(0, Guard.NONE));
        assertEquals(List.of(), OverflowSegments.filesOf(q.id()));
    }

    @Test
    void aProducerAndAConsumerAtDifferentSpeedsKeepTheOrder() throws Exception {
        QueueChannel q = QueueChannel.create(0, RING_BYTES);
        int n = 100_000;
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread producer = new Thread(() -> {
            try {
                ThreadLocalRandom r = ThreadLocalRandom.current();
                for (int i = 0; i < n; i++) {
                    q.put(r.nextInt(50) == 0 ? item(i) : (Object) i, "item", -1, Guard.NONE);
                    if (r.nextInt(2000) == 0) {
                        Thread.onSpinWait(); // bursts and lulls: legs open and close
                        Thread.yield();
                    }
                }
            } catch (Throwable t) {
                failed.set(t);
            }
        }, "overflow-producer");
        producer.start();
        ThreadLocalRandom r = ThreadLocalRandom.current();
        for (int i = 0; i < n; i++) {
            Object o = q.take(30_000_000_000L, Guard.NONE);
            assertNotSame(QueueChannel.NOTHING, o, "item " + i + " did not come within 30 s");
            int got = o instanceof byte[] ? ByteBuffer.wrap((byte[]) o).getInt() : (Integer) o;
            assertEquals(i, got, "items out of order");
            if (r.nextInt(5000) == 0) {
                Thread.yield();
            }
        }
        producer.join(30_000);
        assertNull(failed.get(), "producer failed");
        assertEquals(0, q.size());
        assertEquals(List.of(), OverflowSegments.filesOf(q.id()));
    }

    @Test
    void aQueueAtItsMemoryCapRefusesWithAClearError() throws Exception {
        System.setProperty(OverflowSegments.MAX_BYTES_PROPERTY, Integer.toString(200_000));
        QueueChannel q = QueueChannel.create(0, RING_BYTES);
        List<Object> put = new ArrayList<>();
        IllegalStateException full = null;
        for (int i = 0; i < 1000 && full == null; i++) {
            try {
                q.put(item(i), "item", -1, Guard.NONE);
                put.add(item(i));
            } catch (IllegalStateException e) {
                full = e;
            }
        }
        assertTrue(full != null, "a queue capped at 200 000 bytes took " + put.size() + " items of 1 KiB");
        assertTrue(full.getMessage().contains("-D" + OverflowSegments.MAX_BYTES_PROPERTY), full.getMessage());
        assertFalse(q.put(item(-1), "item", 0, Guard.NONE), "an offer to a full queue");
        for (Object expected : put) {
            assertItem(expected, q.take(0, Guard.NONE), "an item put before the queue was full");
        }
        assertEquals(0, q.size());
        assertTrue(q.put(item(1), "item", -1, Guard.NONE), "a drained queue takes items again");
        assertItem(item(1), q.take(0, Guard.NONE), "after the cap");
        assertEquals(List.of(), OverflowSegments.filesOf(q.id()));
    }

    @Test
    void aQueueDroppedWithItemsInOverflowLeavesNoFileOnceCollected() throws Exception {
        QueueChannel q = QueueChannel.create(0, RING_BYTES);
        for (int i = 0; i < 200; i++) {
            q.put(item(i), "item", -1, Guard.NONE);
        }
        org.multiprocessing4j.internal.shm.SegmentId id = q.id();
        assertFalse(OverflowSegments.filesOf(id).isEmpty());
        q = null;
        // What the GC and the Cleaner do has nothing to wake on: polled.
        Await.poll(Duration.ofSeconds(30), () -> {
            System.gc();
            return OverflowSegments.filesOf(id).isEmpty();
        });
        assertEquals(List.of(), OverflowSegments.filesOf(id), "overflow segments of a queue nobody has");
    }

    @ParameterizedTest
    @ValueSource(strings = {"overflow: segment made", "overflow: leg published", "put: record written",
            "put: commit tail noted", "put: tail published", "put: count stored", "return: main leg noted"})
    void aProducerDyingAtAnyPointOfALegLeavesExactCounters(String point) throws Exception {
        QueueChannel q = QueueChannel.create(0, RING_BYTES);
        List<Object> expected = new ArrayList<>();
        int next = 0;
        if (point.startsWith("return")) {
            // On an overflow leg the consumer has read to the end while the producer was busy
            // (its lock held), so that the next put is the one that goes back to the ring.
            next = fillPastTheRing(q, expected, next);
            ring(q).producerLock.tryAcquireFree();
            for (Object o : expected) {
                assertItem(o, q.take(0, Guard.NONE), point + ": before");
                assertTrue(q.taskDone());
            }
            ring(q).producerLock.release();
            expected.clear();
        } else if (point.startsWith("overflow")) {
            while (ring(q).hasRoomFor(1024)) { // the next put opens a leg
                q.put(item(next), "item", -1, Guard.NONE);
                expected.add(item(next++));
            }
        } else {
            next = fillPastTheRing(q, expected, next); // the next put goes to an overflow leg
        }
        Object dying = item(next);
        boolean died = dieAt(point, 1, () -> q.put(dying, "item", -1, Guard.NONE));
        assertTrue(died, point + " not reached");
        poison(ring(q).producerLock);
        checkAfterDeath(q, expected, dying, false, point);
    }

    @ParameterizedTest
    @ValueSource(strings = {"leave: count noted", "leave: leg noted", "leave: leg moved", "leave: count stored",
            "take: record copied", "take: commit head noted", "take: head published"})
    void aConsumerDyingAtAnyPointOfALegLeavesExactCounters(String point) throws Exception {
        for (int nth = 1; nth <= 2; nth++) {
            QueueChannel q = QueueChannel.create(0, RING_BYTES);
            List<Object> expected = new ArrayList<>();
            int next = 0;
            for (int leg = 0; leg < 3; leg++) { // the ring, then three overflow legs
                next = fillPastTheRing(q, expected, next);
            }
            while (ring(q).hasData()) { // the next takes are on overflow legs
                assertItem(expected.remove(0), q.take(0, Guard.NONE), point + ": the ring's items");
                assertTrue(q.taskDone());
            }
            int[] left = {nth};
            Ring.deathPoint = p -> {
                if (p.equals(point) && --left[0] == 0) {
                    throw new SimulatedDeaths.Died();
                }
            };
            Object inFlight = null;
            try {
                while (!expected.isEmpty()) {
                    inFlight = expected.get(0);
                    assertItem(inFlight, q.take(0, Guard.NONE), point);
                    assertTrue(q.taskDone());
                    expected.remove(0);
                    inFlight = null;
                }
            } catch (SimulatedDeaths.Died stopped) {
                if (point.startsWith("take")) {
                    expected.remove(0);
                } else {
                    inFlight = null; // between two legs: no item in its hands
                }
            } finally {
                Ring.deathPoint = null;
            }
            assertTrue(left[0] <= 0, point + " #" + nth + " never reached");
            poison(ring(q).consumerLock);
            checkAfterDeath(q, expected, inFlight, true, point + " #" + nth);
        }
    }

    /** Puts items until one has gone to a new overflow leg; returns the next item number. */
    private static int fillPastTheRing(QueueChannel q, List<Object> expected, int next) throws Exception {
        int files = OverflowSegments.filesOf(q.id()).size();
        long legsBefore = legOf(q);
        do {
            q.put(item(next), "item", -1, Guard.NONE);
            expected.add(item(next++));
        } while (legOf(q) == legsBefore);
        assertTrue(OverflowSegments.filesOf(q.id()).size() > files || files > 0);
        return next;
    }

    /**
     * What a user can observe once the dead one is gone: size, every expected item in order
     * ({@code inFlight} at most once), the unfinished count, and a queue that works on.
     */
    private static void checkAfterDeath(QueueChannel q, List<Object> expected, Object inFlight, boolean consumerDied,
            String where) throws Exception {
        int size = q.size();
        List<Object> drained = new ArrayList<>();
        for (Object o = q.take(0, Guard.NONE); o != QueueChannel.NOTHING; o = q.take(0, Guard.NONE)) {
            drained.add(o);
        }
        assertEquals(drained.size(), size, where + ": size() before draining");
        List<Object> withInFlight = new ArrayList<>(expected);
        boolean inFlightDelivered = false;
        if (inFlight != null && drained.size() == expected.size() + 1) {
            withInFlight.add(consumerDied ? 0 : withInFlight.size(), inFlight);
            inFlightDelivered = true;
        }
        assertEquals(withInFlight.size(), drained.size(), where + ": items left");
        for (int i = 0; i < drained.size(); i++) {
            assertItem(withInFlight.get(i), drained.get(i), where + ": item " + i);
        }
        int done = drained.size() + (inFlight != null && !inFlightDelivered && consumerDied ? 1 : 0);
        for (int i = 0; i < done; i++) {
            assertTrue(q.taskDone(), where + ": taskDone() #" + (i + 1) + " of " + done);
        }
        assertEquals(0, q.unfinished(), where + ": unfinished once every item is done");
        assertFalse(q.taskDone(), where + ": one taskDone() too many");
        assertEquals(0, q.size(), where + ": size() once drained");
        // The queue works on, through its ring and its overflow.
        List<Object> more = new ArrayList<>();
        fillPastTheRing(q, more, 5000);
        assertEquals(more.size(), q.size(), where + ": size() after the death");
        for (Object o : more) {
            assertItem(o, q.take(0, Guard.NONE), where + ": after the death");
            assertTrue(q.taskDone());
        }
        assertEquals(0, q.unfinished());
        assertEquals(List.of(), OverflowSegments.filesOf(q.id()), where + ": files left once read to the end");
    }

    /** 1 KiB whose first four bytes are {@code i}. */
    private static byte[] item(int i) {
        byte[] b = new byte[1024];
        Arrays.fill(b, (byte) i);
        ByteBuffer.wrap(b).putInt(i);
        return b;
    }

    private static void assertItem(Object expected, Object actual, String where) {
        assertNotSame(QueueChannel.NOTHING, actual, where + ": expected an item, found none");
        if (expected instanceof byte[]) {
            assertTrue(actual instanceof byte[], where + ": not bytes: " + actual);
            assertEquals(ByteBuffer.wrap((byte[]) expected).getInt(), ByteBuffer.wrap((byte[]) actual).getInt(),
                    where + ": a different item");
            assertArrayEquals((byte[]) expected, (byte[]) actual, where);
        } else {
            assertEquals(expected, actual, where);
        }
    }

    private static long legOf(QueueChannel q) throws ReflectiveOperationException {
        Field f = QueueChannel.class.getDeclaredField("chain");
        f.setAccessible(true);
        OverflowChain c = (OverflowChain) f.get(q);
        Field b = OverflowChain.class.getDeclaredField("buffer");
        Field at = OverflowChain.class.getDeclaredField("at");
        b.setAccessible(true);
        at.setAccessible(true);
        return Words.getAcquire((ByteBuffer) b.get(c), at.getInt(c));
    }

}
