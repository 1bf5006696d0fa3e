package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiprocessing4j.testing.Await;
import org.multiprocessing4j.testing.NoLeftovers;

/**
 * Producers and consumers SIGKILLed at random moments, hundreds of times, on one long-lived
 * bounded joinable queue (issue 10). After every kill, with nobody else using the queue:
 * {@code size()} is what can be taken; every item whose {@code put} returned is there exactly
 * once (or was taken by the killed consumer, at most one item lost with it); {@code join()}
 * returns once every taken item is marked done; the drained queue takes exactly {@code maxsize}
 * items. The number of kills per test is {@code -Dmultiprocessing4j.stress.kills} (default 60),
 * so the same test gives the long runs of the closing note.
 */
@ExtendWith(NoLeftovers.class)
@Timeout(900)
class QueueKillStressIT {
    private static final int KILLS = Integer.getInteger("multiprocessing4j.stress.kills", 60);
    private static final int MAXSIZE = 1000;
    private static final int ITEMS_PER_ROUND = 1 << 20;
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final ProcessContext CTX = Multiprocessing.getContext(StartMethod.FORKSERVER);

    @Test
    void producersKilledAtRandomMomentsLeaveExactCounters() throws Exception {
        JoinableProcessQueue<Integer> q = CTX.joinableQueue(MAXSIZE);
        SharedLong returned = CTX.sharedLong(0);
        for (int round = 0; round < KILLS; round++) {
            returned.set(0);
            int base = round * ITEMS_PER_ROUND;
            JvmProcess producer = CTX.process("producer-" + round, () -> produce(q, returned, base));
            // A consumer in this JVM keeps the producer busy in put(), not waiting for room.
            List<Integer> taken = new ArrayList<>();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> failed = new AtomicReference<>();
            Thread consumer = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        Integer x = q.poll(Duration.ofMillis(20));
                        if (x != null) {
                            taken.add(x);
                            q.taskDone();
                        }
                    }
                } catch (Throwable t) {
                    failed.set(t);
                }
            }, "stress-consumer");
            consumer.start();
            producer.start();
            long target = ThreadLocalRandom.current().nextLong(1, 5_000);
            Await.until(PATIENCE, "producer " + round + " to put " + target + " items",
                    () -> returned.get() >= target || !producer.isAlive());
            producer.kill();
            assertTrue(producer.join(PATIENCE), "killed producer " + round + " did not end");
            assertEquals(-9, producer.exitCode().getAsInt(), "producer " + round + " ended by itself");
            stop.set(true);
            consumer.join(PATIENCE.toMillis());
            assertFalse(consumer.isAlive(), "consumer thread did not stop");
            assertEquals(null, failed.get(), "consumer thread failed");

            String where = "after killing producer " + round;
            List<Integer> rest = drainCheckingSize(q, where);
            for (Integer x : rest) {
                q.taskDone();
            }
            long put = returned.get();
            BitSet seen = new BitSet();
            for (List<Integer> part : List.of(taken, rest)) {
                for (int x : part) {
                    int k = x - base;
                    assertTrue(k >= 0 && k <= put, where + ": an item that was never put: " + k + " (put returned " + put + " times)");
                    assertFalse(seen.get(k), where + ": item " + k + " delivered twice");
                    seen.set(k);
                }
            }
            // Item 'put', whose put was in progress when the kill came, may or may not have arrived.
            assertTrue(seen.nextClearBit(0) >= put, where + ": item " + seen.nextClearBit(0) + " lost; its put had returned");
            checkJoinAndBound(q, where);
        }
        q.close();
    }

    @Test
    void consumersKilledAtRandomMomentsLeaveExactCounters() throws Exception {
        JoinableProcessQueue<Integer> q = CTX.joinableQueue(MAXSIZE);
        SharedByteArray state = CTX.sharedByteArray(ITEMS_PER_ROUND);
        SharedLong takes = CTX.sharedLong(0);
        for (int round = 0; round < KILLS; round++) {
            takes.set(0);
            JvmProcess consumer = CTX.process("consumer-" + round, () -> consume(q, state, takes));
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> failed = new AtomicReference<>();
            int[] putCount = {0};
            // A producer in this JVM keeps the consumer busy in take().
            Thread producer = new Thread(() -> {
                try {
                    while (!stop.get() && putCount[0] < ITEMS_PER_ROUND) {
                        if (q.offer(putCount[0], Duration.ofMillis(20))) {
                            putCount[0]++;
                        }
                    }
                } catch (Throwable t) {
                    failed.set(t);
                }
            }, "stress-producer");
            producer.start();
            consumer.start();
            long target = ThreadLocalRandom.current().nextLong(1, 5_000);
            Await.until(PATIENCE, "consumer " + round + " to take " + target + " items",
                    () -> takes.get() >= target || !consumer.isAlive());
            consumer.kill();
            assertTrue(consumer.join(PATIENCE), "killed consumer " + round + " did not end");
            assertEquals(-9, consumer.exitCode().getAsInt(), "consumer " + round + " ended by itself");
            stop.set(true);
            producer.join(PATIENCE.toMillis());
            assertFalse(producer.isAlive(), "producer thread did not stop");
            assertEquals(null, failed.get(), "producer thread failed");

            String where = "after killing consumer " + round;
            List<Integer> rest = drainCheckingSize(q, where);
            BitSet inQueue = new BitSet();
            for (int x : rest) {
                assertTrue(x >= 0 && x < putCount[0], where + ": an item that was never put: " + x);
                assertFalse(inQueue.get(x), where + ": item " + x + " twice in the queue");
                inQueue.set(x);
                q.taskDone();
            }
            int lost = 0;
            int noted = 0;
            for (int x = 0; x < putCount[0]; x++) {
                byte s = state.get(x);
                assertFalse(s != 0 && inQueue.get(x), where + ": item " + x + " taken by the consumer and still in the queue");
                if (s == 0 && !inQueue.get(x)) {
                    lost++; // taken by the consumer, killed before it noted it
                    q.taskDone();
                } else if (s == 1) {
                    noted++; // killed in or just before its taskDone()
                }
                if (s != 0) {
                    state.set(x, (byte) 0);
                }
            }
            assertTrue(lost + noted <= 1, where + ": " + lost + " items lost and " + noted
                    + " not marked done; only the one the consumer was handling may be");
            long unfinished = q.unfinishedTasks();
            assertTrue(unfinished == noted || (noted == 1 && unfinished == 0),
                    where + ": unfinishedTasks() = " + unfinished + " with " + noted + " item possibly not done");
            for (long i = 0; i < unfinished; i++) {
                q.taskDone();
            }
            checkJoinAndBound(q, where);
        }
        q.close();
    }

    private static void produce(JoinableProcessQueue<Integer> q, SharedLong returned, int base) {
        try {
            for (int k = 0; k < ITEMS_PER_ROUND - 1; k++) {
                q.put(base + k);
                returned.set(k + 1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void consume(JoinableProcessQueue<Integer> q, SharedByteArray state, SharedLong takes) {
        try {
            while (true) {
                int x = q.take();
                state.set(x, (byte) 1);
                q.taskDone();
                state.set(x, (byte) 2);
                takes.incrementAndGet();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** With nobody else using the queue: what {@code size()} says is what can be taken. */
    private static List<Integer> drainCheckingSize(JoinableProcessQueue<Integer> q, String where) {
        int size = q.size();
        List<Integer> rest = new ArrayList<>();
        for (Integer x = q.poll(); x != null; x = q.poll()) {
            rest.add(x);
        }
        assertEquals(rest.size(), size, where + ": size() said " + size + " but " + rest.size() + " could be taken");
        assertEquals(0, q.size(), where + ": size() of the drained queue");
        return rest;
    }

    /** Every item is done, so join() returns; the empty queue takes exactly MAXSIZE items. */
    private static void checkJoinAndBound(JoinableProcessQueue<Integer> q, String where) throws InterruptedException {
        assertTrue(q.join(Duration.ofSeconds(10)),
                where + ": join() did not return with every item done (unfinishedTasks() = " + q.unfinishedTasks() + ")");
        for (int i = 0; i < MAXSIZE; i++) {
            assertTrue(q.offer(i), where + ": the drained queue refused item " + (i + 1) + " of its " + MAXSIZE);
        }
        assertFalse(q.offer(-1), where + ": the full queue took one more than " + MAXSIZE);
        assertEquals(MAXSIZE, q.size(), where + ": size() of the full queue");
        for (int i = 0; i < MAXSIZE; i++) {
            assertEquals(i, q.poll(), where + ": refill item " + i);
            q.taskDone();
        }
        assertTrue(q.join(Duration.ofSeconds(10)), where + ": join() after the refill");
    }
}
