package org.multiprocessing4j.internal.channel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.internal.shm.Guard;
import org.multiprocessing4j.testing.Await;

/**
 * A bounded queue whose put of an item larger than its ring (streamed in pieces) is given up
 * part way, by a timeout or an interrupt: "nothing is put" means the pieces written take no
 * room either. With no consumer inside the item, the queue is empty and takes its bound of
 * items and an item as large as its ring at once, without a consumer; with one inside it, that
 * consumer drops the item and takes the next one whole. One JVM, one queue of a 4 KiB ring.
 */
class BoundedQueueRewindTest {
    private static final int MAXSIZE = 4;
    private static final int RING_BYTES = 4096;
    private static final long SECONDS = TimeUnit.SECONDS.toNanos(1);

    @AfterEach
    void noMoreHooks() {
        Ring.deathPoint = null;
    }

    private static byte[] bytes(int seed, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (seed * 31 + i * 7);
        }
        return b;
    }

    @Test
    void aStreamedPutThatTimesOutLeavesTheQueueEmptyWithAllItsRoom() throws Exception {
        QueueChannel q = QueueChannel.create(MAXSIZE, RING_BYTES);
        assertFalse(q.put(bytes(1, 3 * RING_BYTES), "item", 0, Guard.NONE),
                "expected a put of three rings' worth with nobody reading to time out");
        assertEmptyWithAllItsRoom(q, "after the timed-out put");
    }

    @Test
    void aStreamedPutThatIsInterruptedLeavesTheQueueEmptyWithAllItsRoom() throws Exception {
        QueueChannel q = QueueChannel.create(MAXSIZE, RING_BYTES);
        assertTrue(q.put("before", "item", 0, Guard.NONE));
        assertEquals("before", q.take(0, Guard.NONE));
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> q.put(bytes(1, 3 * RING_BYTES), "item", -1, Guard.NONE),
                "expected the put interrupted while it waits for room");
        assertEmptyWithAllItsRoom(q, "after the interrupted put");
    }

    /**
     * A consumer has read the first piece of the item when its producer gives it up: nothing
     * is taken back from under it, and it drops the item and takes the next one whole.
     */
    @Test
    void aConsumerInsideTheItemDropsItAndTakesTheNext() throws Exception {
        QueueChannel q = QueueChannel.create(MAXSIZE, RING_BYTES);
        AtomicReference<Object> took = new AtomicReference<>();
        Thread consumer = new Thread(() -> {
            try {
                took.set(q.take(20 * SECONDS, Guard.NONE));
            } catch (Throwable t) {
                took.set(t);
            }
        }, "BoundedQueueRewindTest-consumer");
        SimulatedDeaths.Pause inside = SimulatedDeaths.pauseAt("take: chunk taken", consumer);
        consumer.start();
        Await.until(Duration.ofSeconds(10), "the consumer to hold the consumer lock",
                SimulatedDeaths.ring(q).consumerLock::isHeldByThisProcess);
        assertFalse(q.put(bytes(1, 3 * RING_BYTES), "item", SECONDS / 3, Guard.NONE),
                "expected the put to time out with the consumer stopped inside the item");
        assertTrue(inside.awaitReached(), "expected the consumer inside the item");
        inside.resume();
        byte[] next = bytes(2, 1000);
        assertTrue(q.put(next, "item", 10 * SECONDS, Guard.NONE), "expected the next item put");
        consumer.join(TimeUnit.SECONDS.toMillis(20));
        assertFalse(consumer.isAlive(), "expected the consumer to finish");
        Ring.deathPoint = null;
        assertTrue(took.get() instanceof byte[], "expected the consumer to take an item: " + took.get());
        assertArrayEquals(next, (byte[]) took.get(), "expected the next item whole");
        assertEmptyWithAllItsRoom(q, "after the consumer took the next item");
    }

    /**
     * Empty by every measure, and it takes what an empty queue takes without a consumer: its
     * bound of small items, not one more, and then an item filling most of its ring.
     */
    private static void assertEmptyWithAllItsRoom(QueueChannel q, String when) throws Exception {
        Ring ring = SimulatedDeaths.ring(q);
        assertEquals(0, q.size(), when + ": size()");
        assertTrue(q.isEmpty(), when + ": isEmpty()");
        assertFalse(ring.hasData(), when + ": nothing of the item in the ring");
        assertTrue(ring.hasRoomFor(RING_BYTES / 2 + 100), when + ": the ring's room");
        for (int i = 0; i < MAXSIZE; i++) {
            assertTrue(q.put(i, "item", 0, Guard.NONE), when + ": put #" + (i + 1) + " with no consumer");
        }
        assertFalse(q.put(-1, "item", 0, Guard.NONE), when + ": a put beyond the bound");
        for (int i = 0; i < MAXSIZE; i++) {
            assertEquals(i, q.take(0, Guard.NONE), when + ": item " + i);
        }
        byte[] big = bytes(3, RING_BYTES / 2 + 100);
        assertTrue(q.put(big, "item", 0, Guard.NONE), when + ": an item of half the ring and more, with no consumer");
        Object got = q.take(0, Guard.NONE);
        assertTrue(got instanceof byte[] && Arrays.equals(big, (byte[]) got), when + ": the big item whole");
        assertSame(QueueChannel.NOTHING, q.take(0, Guard.NONE), when + ": nothing more");
        assertEquals(0, q.size(), when + ": size() at the end");
    }
}
