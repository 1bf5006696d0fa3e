package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiprocessing4j.testing.Channels;
import org.multiprocessing4j.testing.Files2;
import org.multiprocessing4j.testing.NoLeftovers;

/** ProcessQueue and JoinableProcessQueue across real child JVMs (DESIGN.md section 3, issue 4). */
@ExtendWith(NoLeftovers.class)
@Timeout(180)
abstract class QueueContract extends StartMethodSuite {
    private static final Duration LONG = Duration.ofSeconds(60);

    /** A small record that takes the Java-serialization path. */
    record Point(int x, String label, double weight) implements Serializable {
    }

    private static void joined(JvmProcess p) throws InterruptedException {
        assertTrue(p.join(LONG), "process " + p.getName() + " did not end within " + LONG.toSeconds() + " s");
    }

    @Test
    void itemsOfEveryKindCrossFromChildToParentInOrder() throws Exception {
        ProcessQueue<Object> q = Multiprocessing.getContext().queue();
        byte[] bytes = {1, 2, 3};
        List<Object> sent = List.of(7, 8L, 2.5, true, "héllo ✓", new Point(1, "p", 0.5), List.of(1, 2));
        JvmProcess p = new JvmProcess(() -> {
            for (Object o : sent) {
                Channels.put(q, o);
            }
            Channels.put(q, bytes);
        });
        p.start();
        for (Object expected : sent) {
            assertEquals(expected, Channels.take(q, "item " + expected));
        }
        assertArrayEquals(bytes, (byte[]) Channels.take(q, "the byte array"));
        joined(p);
        assertEquals(OptionalInt.of(0), p.exitCode());
        assertNull(q.poll());
        assertTrue(q.isEmpty());
        q.close();
    }

    @Test
    void parentToChildAndBackThroughTwoQueues() throws Exception {
        ProcessQueue<Integer> in = ProcessQueue.create();
        ProcessQueue<Integer> out = ProcessQueue.create();
        JvmProcess p = new JvmProcess(() -> {
            for (int v = Channels.take(in, "work"); v >= 0; v = Channels.take(in, "work")) {
                Channels.put(out, v * 2);
            }
        });
        p.start();
        for (int i = 0; i < 1000; i++) {
            in.put(i);
        }
        in.put(-1);
        for (int i = 0; i < 1000; i++) {
            assertEquals(i * 2, Channels.take(out, "result " + i));
        }
        joined(p);
    }

    /**
     * Three producer children and two consumer children, plus the parent consuming too: every
     * item is taken exactly once (count and sum), and each consumer sees each producer's items
     * in the order they were put.
     */
    @Test
    void manyProducersManyConsumersDeliverEveryItemExactlyOnce() throws Exception {
        int producers = 3;
        int perProducer = 20_000;
        int consumers = 2;
        ProcessQueue<Long> q = ProcessQueue.create();
        ProcessQueue<String> reports = ProcessQueue.create();
        List<JvmProcess> all = new ArrayList<>();
        for (int c = 0; c < consumers; c++) {
            all.add(new JvmProcess("consumer-" + c, () -> Channels.put(reports, consume(q))));
        }
        for (int w = 0; w < producers; w++) {
            long id = w;
            all.add(new JvmProcess("producer-" + w, () -> {
                for (long s = 0; s < perProducer; s++) {
                    Channels.put(q, id << 32 | s);
                }
            }));
        }
        for (JvmProcess p : all) {
            p.start();
        }
        for (JvmProcess p : all.subList(consumers, all.size())) {
            joined(p);
        }
        // The producers are done: one stop sign per consumer child, then this thread consumes
        // whatever the children did not take before their stop sign.
        for (int c = 0; c < consumers; c++) {
            q.put(-1L);
        }
        List<String> got = new ArrayList<>();
        for (int c = 0; c < consumers; c++) {
            got.add(Channels.take(reports, "report of consumer " + c));
        }
        got.add(consumeRemaining(q));
        long count = 0;
        long sum = 0;
        for (String r : got) {
            String[] f = r.split(" ");
            assertEquals("ordered", f[2], "per-producer order in " + r);
            count += Long.parseLong(f[0]);
            sum += Long.parseLong(f[1]);
        }
        long expectedSum = 0;
        for (long w = 0; w < producers; w++) {
            for (long s = 0; s < perProducer; s++) {
                expectedSum += w << 32 | s;
            }
        }
        assertEquals((long) producers * perProducer, count, "items taken, by report: " + got);
        assertEquals(expectedSum, sum, "checksum of the items taken");
        for (JvmProcess p : all.subList(0, consumers)) {
            joined(p);
        }
    }

    /** Takes until a negative item; returns "count sum ordered|disordered". */
    static String consume(ProcessQueue<Long> q) {
        long[] last = new long[16];
        Arrays.fill(last, -1);
        long count = 0;
        long sum = 0;
        boolean ordered = true;
        for (long v = Channels.take(q, "work"); v >= 0; v = Channels.take(q, "work")) {
            int producer = (int) (v >>> 32);
            long seq = v & 0xffff_ffffL;
            ordered &= seq > last[producer];
            last[producer] = seq;
            count++;
            sum += v;
        }
        return count + " " + sum + " " + (ordered ? "ordered" : "disordered");
    }

    private static String consumeRemaining(ProcessQueue<Long> q) {
        long count = 0;
        long sum = 0;
        Long v;
        while ((v = q.poll()) != null) {
            assertTrue(v >= 0, "no stop sign is left over");
            count++;
            sum += v;
        }
        return count + " " + sum + " ordered";
    }

    /** Python deadlocks here: a child that put items nobody read cannot be joined. */
    @Test
    void childThatPutUnreadItemsCanBeJoined() throws Exception {
        ProcessQueue<byte[]> q = ProcessQueue.create();
        int n = 1000;
        JvmProcess p = new JvmProcess(() -> {
            for (int i = 0; i < n; i++) {
                byte[] item = new byte[1024];
                Arrays.fill(item, (byte) i);
                Channels.put(q, item);
            }
        });
        p.start();
        joined(p);
        assertEquals(OptionalInt.of(0), p.exitCode());
        assertEquals(n, q.size(), "the items stay in the queue after their producer ended");
        for (int i = 0; i < n; i++) {
            byte[] item = q.poll();
            assertEquals(1024, item.length);
            assertEquals((byte) i, item[1023]);
        }
    }

    @Test
    void itemsPutBeforeTheProducerIsKilledAreDelivered() throws Exception {
        ProcessQueue<Integer> q = ProcessQueue.create();
        ProcessQueue<String> ready = ProcessQueue.create();
        JvmProcess p = new JvmProcess(() -> {
            for (int i = 0; i < 500; i++) {
                Channels.put(q, i);
            }
            Channels.put(ready, "put returned");
            Files2.blockForever();
        });
        p.start();
        assertEquals("put returned", Channels.take(ready, "the producer's signal"));
        p.kill();
        joined(p);
        assertEquals(OptionalInt.of(-9), p.exitCode());
        for (int i = 0; i < 500; i++) {
            assertEquals(i, q.poll());
        }
        assertNull(q.poll());
    }

    /**
     * Python's {@code Queue()} is unbounded: a producer can put 64 MiB that nobody reads yet,
     * end and be joined, and a consumer started afterwards gets every item in order (issue 16).
     */
    @Test
    void aProducerOf64MiBEndsAndIsJoinedBeforeAnyoneReads() throws Exception {
        ProcessQueue<byte[]> q = ProcessQueue.create();
        ProcessQueue<String> verdict = ProcessQueue.create();
        int n = 64 * 1024;
        JvmProcess producer = new JvmProcess(() -> {
            for (int i = 0; i < n; i++) {
                Channels.put(q, numbered(i, 1024));
            }
        });
        producer.start();
        joined(producer);
        assertEquals(OptionalInt.of(0), producer.exitCode(), "the producer of 64 MiB ended by itself");
        assertEquals(n, q.size(), "every item waits in the queue after its producer ended");
        JvmProcess consumer = new JvmProcess(() -> {
            for (int i = 0; i < n; i++) {
                byte[] item = Channels.take(q, "item " + i);
                if (item.length != 1024 || java.nio.ByteBuffer.wrap(item).getInt() != i) {
                    Channels.put(verdict, "item " + i + " came as " + java.nio.ByteBuffer.wrap(item).getInt());
                    return;
                }
            }
            Channels.put(verdict, "all " + n + " in order");
        });
        consumer.start();
        assertEquals("all " + n + " in order", Channels.take(verdict, "the consumer's verdict"));
        joined(consumer);
        assertTrue(q.isEmpty());
    }

    private static byte[] numbered(int i, int length) {
        byte[] item = new byte[length];
        java.nio.ByteBuffer.wrap(item).putInt(i);
        return item;
    }

    /**
     * A producer killed at an arbitrary moment while it streams items larger than the ring's
     * chunk into a bounded queue (so some are mid-write, waiting for room): every item taken
     * afterwards is whole, and the queue works. (An unbounded queue does not wait for room.)
     */
    @Test
    void producerKilledMidPutLeavesQueueUsable() throws Exception {
        ProcessQueue<byte[]> q = ProcessQueue.create(4);
        ProcessQueue<String> ready = ProcessQueue.create();
        int big = 1536 * 1024; // more than a quarter of the 4 MiB buffer: travels in chunks
        JvmProcess p = new JvmProcess(() -> {
            Channels.put(ready, "started");
            for (int i = 0; ; i++) {
                byte[] item = new byte[i % 2 == 0 ? big : 100];
                Arrays.fill(item, (byte) i);
                item[0] = (byte) (i >> 8);
                Channels.put(q, item);
            }
        });
        p.start();
        assertEquals("started", Channels.take(ready, "the producer's start"));
        // Consume a few items, so that the producer is streaming when it dies.
        for (int i = 0; i < 7; i++) {
            checkWhole(Channels.take(q, "item " + i), i, big);
        }
        p.kill();
        joined(p);
        int i = 7;
        for (byte[] item = q.poll(); item != null; item = q.poll()) {
            checkWhole(item, i++, big);
        }
        byte[] after = {42};
        q.put(after);
        assertArrayEquals(after, q.poll(LONG));
    }

    private static void checkWhole(byte[] item, int i, int big) {
        assertEquals(i % 2 == 0 ? big : 100, item.length, "length of item " + i);
        for (int k = 1; k < item.length; k++) {
            if (item[k] != (byte) i) {
                throw new AssertionError("item " + i + " is torn at byte " + k);
            }
        }
    }

    /** A consumer blocked in take() holds the consumer lock; killing it must not block others. */
    @Test
    void consumerKilledWhileWaitingDoesNotBlockOthers() throws Exception {
        ProcessQueue<Integer> q = ProcessQueue.create();
        ProcessQueue<String> ready = ProcessQueue.create();
        JvmProcess p = new JvmProcess(() -> {
            Channels.put(ready, "taking");
            Channels.take(q, "never comes");
        });
        p.start();
        Channels.take(ready, "the consumer's start");
        assertNull(q.poll(Duration.ofMillis(200)), "nothing to take yet");
        p.kill();
        joined(p);
        q.put(5);
        assertEquals(5, q.poll(LONG));
    }

    /** A producer blocked in put() on a full bounded queue holds the producer lock. */
    @Test
    void producerKilledWhileWaitingForRoomDoesNotBlockOthers() throws Exception {
        ProcessQueue<Integer> q = ProcessQueue.create(1);
        ProcessQueue<String> ready = ProcessQueue.create();
        JvmProcess p = new JvmProcess(() -> {
            Channels.put(q, 1);
            Channels.put(ready, "first put");
            Channels.put(q, 2); // waits for room forever
        });
        p.start();
        Channels.take(ready, "the producer's first put");
        p.kill();
        joined(p);
        assertEquals(1, q.poll(LONG));
        assertTrue(q.offer(3, LONG.toMillis(), TimeUnit.MILLISECONDS), "room after the dead producer");
        assertEquals(3, q.poll(LONG));
        assertNull(q.poll());
    }

    @Test
    void queuesTravelToGrandchildren() throws Exception {
        ProcessQueue<String> q = ProcessQueue.create();
        JvmProcess p = new JvmProcess(() -> {
            JvmProcess grandchild = new JvmProcess(() -> Channels.put(q, "from the grandchild"));
            grandchild.start();
            try {
                grandchild.join();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            Channels.put(q, "from the child");
        });
        p.start();
        assertEquals("from the grandchild", Channels.take(q, "the grandchild's item"));
        assertEquals("from the child", Channels.take(q, "the child's item"));
        joined(p);
    }

    @Test
    void itemsLargerThanTheBufferStream() throws Exception {
        ProcessQueue<byte[]> q = ProcessQueue.create();
        int size = 9 << 20;
        JvmProcess p = new JvmProcess(() -> {
            byte[] item = new byte[size];
            for (int i = 0; i < size; i++) {
                item[i] = (byte) (i * 31);
            }
            Channels.put(q, item);
        });
        p.start();
        byte[] got = Channels.take(q, "the 9 MiB item");
        assertEquals(size, got.length);
        for (int i = 0; i < size; i += 4093) {
            assertEquals((byte) (i * 31), got[i]);
        }
        joined(p);
    }

    @Test
    void boundedQueueRefusesWhenFull() throws Exception {
        ProcessQueue<Integer> q = Multiprocessing.getContext().queue(2);
        assertEquals(2, q.maxsize());
        assertEquals(2, q.remainingCapacity());
        assertTrue(q.offer(1));
        q.put(2);
        assertEquals(0, q.remainingCapacity());
        assertFalse(q.offer(3));
        assertFalse(q.offer(3, 50, TimeUnit.MILLISECONDS));
        assertFalse(q.offer(3, Duration.ofMillis(50)));
        assertThrows(IllegalStateException.class, () -> q.add(3));
        assertEquals(2, q.size());
        List<Integer> drained = new ArrayList<>();
        assertEquals(2, q.drainTo(drained));
        assertEquals(List.of(1, 2), drained);
        assertEquals(Integer.MAX_VALUE, ProcessQueue.create().remainingCapacity());
    }

    @Test
    void unserializableItemIsRefusedAndNothingIsWritten() throws Exception {
        ProcessQueue<Object> q = ProcessQueue.create();
        ProcessSerializationException e = assertThrows(ProcessSerializationException.class,
                () -> q.put(List.of(new Object())));
        assertTrue(e.getMessage().contains("java.lang.Object"), e.getMessage());
        assertTrue(q.isEmpty());
        q.put("still works");
        assertEquals("still works", q.poll());
    }

    @Test
    void closedQueueRefusesToGiveItsItems() throws Exception {
        ProcessQueue<Integer> q = ProcessQueue.create();
        q.put(1);
        q.put(2);
        q.close();
        assertThrows(IllegalStateException.class, q::take);
        assertThrows(IllegalStateException.class, q::poll);
        assertThrows(IllegalStateException.class, () -> q.poll(Duration.ofMillis(10)));
        assertThrows(IllegalStateException.class, () -> q.drainTo(new ArrayList<>()));
    }

    /** The parent keeps no reference to the queue it made for its children; a GC must not close it. */
    @Test
    void aQueueOnlyTheChildrenUseSurvivesAGarbageCollectionInTheParent() throws Exception {
        ProcessQueue<String> results = ProcessQueue.create();
        JvmProcess p = startChildWithItsOwnQueue(results);
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        assertEquals("through a queue the parent dropped", Channels.take(results, "the child's result"));
        joined(p);
    }

    private static JvmProcess startChildWithItsOwnQueue(ProcessQueue<String> results) {
        ProcessQueue<String> own = ProcessQueue.create();
        own.offer("through a queue the parent dropped");
        JvmProcess p = new JvmProcess(() -> Channels.put(results, Channels.take(own, "the item")));
        p.start();
        return p;
    }

    @Test
    void stringsComeBackExactlyEvenWithUnpairedSurrogates() throws Exception {
        ProcessQueue<String> q = ProcessQueue.create();
        List<String> strings = List.of("", "ascii", "é ✓ 😀", "a\uD800b", "\uDC00", "x\uD83D");
        for (String s : strings) {
            q.put(s);
        }
        for (String s : strings) {
            assertEquals(s, q.poll());
        }
    }

    /** A producer killed in the middle of a long put must not leave join() waiting for its item. */
    @Test
    void joinIsNotHeldByAProducerKilledMidPut() throws Exception {
        // Bounded: 5× the buffer waits for a reader (an unbounded queue would take it whole).
        JoinableProcessQueue<byte[]> q = JoinableProcessQueue.create(1);
        JvmProcess p = new JvmProcess(() -> Channels.put(q, new byte[20 << 20]));
        p.start();
        org.multiprocessing4j.testing.Await.until(LONG, "the producer to start writing", () -> !q.isEmpty());
        p.kill();
        joined(p);
        assertTrue(q.join(LONG), "join() returned: the dead producer's item does not count; unfinished="
                + q.unfinishedTasks());
        assertNull(q.poll(), "no part of the dead producer's item is delivered");
        q.put(new byte[] {7});
        assertArrayEquals(new byte[] {7}, q.poll(LONG));
        q.taskDone();
        assertTrue(q.join(LONG));
    }

    @Test
    void closedQueueThrowsAndWakesItsWaiters() throws Exception {
        ProcessQueue<Integer> q = ProcessQueue.create();
        // Two takers: one waits for data holding the consumer lock, the other waits for the lock.
        List<AtomicReference<Throwable>> thrown = List.of(new AtomicReference<>(), new AtomicReference<>());
        CountDownLatch waiting = new CountDownLatch(2);
        List<Thread> takers = new ArrayList<>();
        for (AtomicReference<Throwable> t : thrown) {
            Thread taker = new Thread(() -> {
                waiting.countDown();
                try {
                    q.take();
                } catch (Throwable e) {
                    t.set(e);
                }
            });
            taker.start();
            takers.add(taker);
        }
        assertTrue(waiting.await(60, TimeUnit.SECONDS));
        q.close();
        for (int i = 0; i < takers.size(); i++) {
            takers.get(i).join(LONG.toMillis());
            assertFalse(takers.get(i).isAlive(), "take() woke up when the queue was closed");
            assertTrue(thrown.get(i).get() instanceof IllegalStateException, "thrown: " + thrown.get(i).get());
        }
        assertTrue(q.isClosed());
        q.close(); // idempotent
        assertThrows(IllegalStateException.class, q::take);
        assertThrows(IllegalStateException.class, () -> q.put(1));
        assertThrows(IllegalStateException.class, q::poll);
        assertThrows(IllegalStateException.class, q::size);
        ProcessSerializationException notSent = assertThrows(ProcessSerializationException.class,
                () -> new JvmProcess(() -> q.poll()).start(), "a closed queue cannot be sent to a child");
        assertTrue(notSent.getMessage().contains("closed"), notSent.getMessage());

    }

    @Test
    void joinableQueueJoinsWhenEveryItemIsDone() throws Exception {
        JoinableProcessQueue<Integer> q = Multiprocessing.getContext().joinableQueue();
        int n = 200;
        for (int i = 0; i < n; i++) {
            q.put(i);
        }
        assertEquals(n, q.unfinishedTasks());
        assertFalse(q.join(Duration.ofMillis(50)), "nothing is done yet");
        List<JvmProcess> workers = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            workers.add(new JvmProcess(() -> {
                for (int v = Channels.take(q, "work"); v >= 0; v = Channels.take(q, "work")) {
                    q.taskDone();
                }
                q.taskDone();
            }));
        }
        for (JvmProcess w : workers) {
            w.start();
        }
        assertTrue(q.join(LONG), "every item was marked done");
        assertEquals(0, q.unfinishedTasks());
        q.put(-1);
        q.put(-1);
        q.join();
        for (JvmProcess w : workers) {
            joined(w);
        }
        assertThrows(IllegalStateException.class, q::taskDone, "taskDone with nothing unfinished");
    }

    @Test
    void misuseIsRefusedWithClearErrors() throws Exception {
        ProcessQueue<Integer> q = ProcessQueue.create();
        assertThrows(NullPointerException.class, () -> q.put(null));
        assertThrows(NullPointerException.class, () -> q.offer(null));
        assertThrows(NullPointerException.class, () -> q.offer(1, 1, null));
        assertThrows(NullPointerException.class, () -> q.poll(null));
        assertThrows(IllegalArgumentException.class, () -> ProcessQueue.create(-1));
        assertThrows(IllegalArgumentException.class, () -> JoinableProcessQueue.create(-1));
        assertThrows(IllegalArgumentException.class, () -> q.drainTo(q));
        assertThrows(UnsupportedOperationException.class, q::peek);
        assertThrows(UnsupportedOperationException.class, q::element);
        assertThrows(UnsupportedOperationException.class, q::iterator);
        assertThrows(NullPointerException.class, () -> JoinableProcessQueue.create().join(null));
        assertThrows(NullPointerException.class, () -> q.offer(1, (Duration) null));
        assertThrows(NullPointerException.class, () -> q.poll(1, null));
        assertThrows(NullPointerException.class, () -> q.drainTo(null));
        assertThrows(IllegalArgumentException.class, () -> Multiprocessing.getContext().queue(-1));
        assertThrows(IllegalArgumentException.class, () -> Multiprocessing.getContext().joinableQueue(-5));
        assertTrue(JoinableProcessQueue.create().join(Duration.ofSeconds(-1)), "nothing unfinished: true at once");
    }

    @Test
    void idleConsumerDoesNotBurnACore() throws Exception {
        ProcessQueue<String> q = ProcessQueue.create();
        ProcessQueue<String> ready = ProcessQueue.create();
        JvmProcess p = new JvmProcess(() -> {
            Channels.put(ready, "waiting");
            Channels.put(ready, Channels.take(q, "the wake-up item"));
        });
        p.start();
        Channels.take(ready, "the consumer's start");
        long before = cpuTicks(p.pid());
        Thread.sleep(2000); // measuring an interval, not waiting for an event
        long used = cpuTicks(p.pid()) - before;
        // 2 s at 100 ticks/s is 200 ticks for a spinning core; allow a generous fraction.
        assertTrue(used < 60, "an idle consumer used " + used + " CPU ticks in 2 s");
        q.put("wake");
        assertEquals("wake", Channels.take(ready, "the consumer's echo"));
        joined(p);
    }

    static long cpuTicks(long pid) throws java.io.IOException {
        String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
