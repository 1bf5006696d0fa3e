package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiprocessing4j.testing.Await;
import org.multiprocessing4j.testing.NoLeftovers;

/** ProcessManager and its proxies across real child JVMs (issue 13, managers, local). */
@ExtendWith(NoLeftovers.class)
@Timeout(180)
abstract class ManagerContract extends StartMethodSuite {
    private static final Duration LONG = Duration.ofSeconds(60);
    private static final SerializableBiFunction<Integer, Integer, Integer> SUM = Integer::sum;

    /** A custom shared object's interface. */
    public interface Counter {
        int incrementAndGet();

        int get();

        /** Throws IllegalArgumentException("refused: " + why) in the server. */
        void fail(String why);

        /** Waits in the server until {@link #release()}. */
        void block() throws InterruptedException;

        int blocked();

        void release();
    }

    /** Runs in the manager's server. */
    static final class CounterImpl implements Counter {
        private final AtomicInteger n = new AtomicInteger();
        private final AtomicInteger blocked = new AtomicInteger();
        private final CountDownLatch released = new CountDownLatch(1);

        @Override
        public int incrementAndGet() {
            return n.incrementAndGet();
        }

        @Override
        public int get() {
            return n.get();
        }

        @Override
        public void fail(String why) {
            throw new IllegalArgumentException("refused: " + why);
        }

        @Override
        public void block() throws InterruptedException {
            blocked.incrementAndGet();
            released.await();
        }

        @Override
        public int blocked() {
            return blocked.get();
        }

        @Override
        public void release() {
            released.countDown();
        }

        @Override
        public String toString() {
            return "Counter(" + n.get() + ")";
        }
    }

    /** A custom object whose method returns another registered type: the result stays a proxy. */
    public interface Counters {
        Counter named(String name);
    }

    /** Runs in the manager's server. */
    static final class CountersImpl implements Counters {
        private final Map<String, Counter> byName = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public Counter named(String name) {
            return byName.computeIfAbsent(name, n -> new CounterImpl());
        }
    }

    private static ProcessManager counters() {
        return Multiprocessing.getContext().managerBuilder().register("counter", Counter.class, CounterImpl::new).start();
    }

    private static void joined(JvmProcess p) throws InterruptedException {
        assertTrue(p.join(LONG), p.getName() + " did not end within " + LONG.toSeconds() + " s");
        assertEquals(0, p.exitCode().getAsInt(), p.getName() + " failed: " + p.exception());
    }

    @Test
    void dictAndListUpdatedFromSeveralChildrenKeepEveryUpdate() throws Exception {
        try (ProcessManager manager = Multiprocessing.getContext().manager()) {
            ConcurrentMap<String, Integer> counts = manager.dict();
            List<Integer> seen = manager.list();
            List<JvmProcess> children = new ArrayList<>();
            for (int c = 0; c < 3; c++) {
                int child = c;
                children.add(new JvmProcess(() -> {
                    for (int i = 0; i < 300; i++) {
                        counts.merge("n", 1, SUM);
                    }
                    counts.putIfAbsent("first", child);
                    seen.add(child);
                }));
            }
            children.forEach(JvmProcess::start);
            for (JvmProcess p : children) {
                joined(p);
            }
            assertEquals(900, counts.get("n"), "every merge counted once");
            assertTrue(Set.of(0, 1, 2).contains(counts.get("first")));
            assertEquals(Set.of(0, 1, 2), Set.copyOf(seen));
            assertEquals(3, seen.size());
            assertEquals(Set.of("n", "first"), counts.keySet(), "keySet is a snapshot copied by value");
            Iterator<Integer> it = seen.iterator();
            int total = 0;
            while (it.hasNext()) {
                total += it.next();
            }
            assertEquals(3, total);
            assertEquals(Map.of("n", 900, "first", counts.get("first")), counts, "a dict proxy equals a map by value");
            assertTrue(counts.toString().contains("n=900"), counts.toString());
            assertEquals(900, counts.compute("n", (SerializableBiFunction<String, Integer, Integer>) (k, v) -> v + 1) - 1);
        }
    }

    @Test
    void customObjectRunsInTheServerAndIsSharedByChildren() throws Exception {
        try (ProcessManager manager = counters()) {
            Counter counter = manager.create("counter", Counter.class);
            Counter other = manager.create("counter", Counter.class);
            assertEquals(1, counter.incrementAndGet());
            JvmProcess p = new JvmProcess(() -> {
                for (int i = 0; i < 10; i++) {
                    counter.incrementAndGet();
                }
            });
            p.start();
            joined(p);
            assertEquals(11, counter.get());
            assertEquals(0, other.get(), "each create makes its own object");
            assertEquals("Counter(11)", counter.toString(), "toString runs in the server");
            assertEquals(counter, counter);
            assertNotEquals(counter, other);
            assertEquals(counter.hashCode(), counter.hashCode());
        }
    }

    @Test
    void exceptionInTheServerReachesTheCallerWithItsTypeAndTheServersStackTrace() throws Exception {
        try (ProcessManager manager = counters()) {
            Counter counter = manager.create("counter", Counter.class);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> counter.fail("no"));
            assertEquals("refused: no", e.getMessage());
            assertTrue(Arrays.stream(e.getStackTrace()).anyMatch(f -> f.getClassName().equals(CounterImpl.class.getName())
                    && f.getMethodName().equals("fail")), "the server's frames: " + Arrays.toString(e.getStackTrace()));
            assertEquals(1, counter.incrementAndGet(), "the server serves on");
            ConcurrentMap<String, Integer> dict = manager.dict();
            assertThrows(NullPointerException.class, () -> dict.put("k", null), "a ConcurrentHashMap refuses null");
        }
    }

    @Test
    void proxyPassedToPoolTasksReachesTheSameObject() throws Exception {
        try (ProcessManager manager = Multiprocessing.getContext().manager();
             ProcessPool pool = Multiprocessing.getContext().pool(2)) {
            ConcurrentMap<Integer, Integer> squares = manager.dict();
            List<Integer> items = IntStream.range(0, 20).boxed().collect(Collectors.toList());
            List<Integer> got = pool.map(x -> squares.put(x, x * x) == null ? x : -1, items);
            assertEquals(items, got);
            assertEquals(20, squares.size());
            assertEquals(361, squares.get(19));
        }
    }

    @Test
    void killedManagerFailsPendingAndLaterCallsNamingIt() throws Exception {
        ProcessManager manager = counters();
        try {
            Counter counter = manager.create("counter", Counter.class);
            ConcurrentMap<String, Integer> dict = manager.dict();
            dict.put("a", 1);
            AtomicReference<Throwable> pending = new AtomicReference<>();
            Thread caller = new Thread(() -> {
                try {
                    counter.block();
                } catch (Throwable t) {
                    pending.set(t);
                }
            });
            caller.start();
            Await.until(LONG, "the call to block in the server", () -> counter.blocked() == 1);
            ProcessHandle.of(manager.pid()).orElseThrow().destroyForcibly();
            caller.join(LONG.toMillis());
            assertFalse(caller.isAlive(), "the pending call returned");
            assertTrue(pending.get() instanceof IllegalStateException, "pending call: " + pending.get());
            assertTrue(pending.get().getMessage().contains(manager.toString().split(",")[0].substring(15)),
                    pending.get().getMessage());
            IllegalStateException later = assertTimeoutPreemptively(LONG,
                    () -> assertThrows(IllegalStateException.class, () -> dict.get("a")));
            assertTrue(later.getMessage().contains("ProcessManager-") && later.getMessage().contains("SIGKILL"),
                    later.getMessage());
        } finally {
            manager.close();
        }
    }

    @Test
    void clientThatDiesMidCallLeavesTheServerServingOthers() throws Exception {
        try (ProcessManager manager = counters()) {
            Counter counter = manager.create("counter", Counter.class);
            JvmProcess p = new JvmProcess(() -> {
                try {
                    counter.block();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            p.start();
            Await.until(LONG, "the child's call to block in the server", () -> counter.blocked() == 1);
            p.kill();
            assertTrue(p.join(LONG));
            counter.release();
            assertEquals(1, counter.incrementAndGet());
            JvmProcess q = new JvmProcess(() -> counter.incrementAndGet());
            q.start();
            joined(q);
            assertEquals(2, counter.get());
        }
    }

    @Test
    void lockEventAndLongKeepEveryUpdateOfSeveralChildren() throws Exception {
        try (ProcessManager manager = Multiprocessing.getContext().manager()) {
            java.util.concurrent.locks.Lock lock = manager.lock();
            Event go = manager.event();
            LongValue total = manager.sharedLong(5);
            assertEquals(5, total.get());
            List<JvmProcess> children = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                JvmProcess p = new JvmProcess(() -> {
                    try {
                        go.await();
                        for (int k = 0; k < 50; k++) {
                            lock.lock();
                            try {
                                total.set(total.get() + 1); // not atomic by itself: the lock makes it so
                            } finally {
                                lock.unlock();
                            }
                        }
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });
                p.start();
                children.add(p);
            }
            assertFalse(go.await(Duration.ofMillis(20)), "not set yet");
            go.set();
            assertTrue(go.isSet());
            for (JvmProcess p : children) {
                joined(p);
            }
            assertEquals(155, total.get());
            assertEquals(156, total.incrementAndGet());
            assertTrue(total.compareAndSet(156, 0));
            go.clear();
            assertFalse(go.isSet());

            lock.lock();
            IllegalStateException again = assertThrows(IllegalStateException.class, lock::lock);
            assertTrue(again.getMessage().contains("not reentrant"), again.getMessage());
            lock.unlock();
            assertThrows(IllegalMonitorStateException.class, lock::unlock);
            assertThrows(UnsupportedOperationException.class, lock::newCondition);
        }
    }

    @Test
    void aLockHeldByAChildThatIsKilledIsReleased() throws Exception {
        try (ProcessManager manager = Multiprocessing.getContext().manager()) {
            java.util.concurrent.locks.Lock lock = manager.lock();
            Event held = manager.event();
            JvmProcess holder = new JvmProcess("holder", () -> {
                lock.lock();
                held.set();
                org.multiprocessing4j.testing.Files2.blockForever();
            });
            holder.start();
            assertTrue(held.await(LONG), "the child to take the lock");
            assertFalse(lock.tryLock(), "the child holds it");
            holder.kill();
            assertTrue(holder.join(LONG));
            assertTrue(lock.tryLock(LONG.toSeconds(), java.util.concurrent.TimeUnit.SECONDS),
                    "the server releases the lock of a client that died");
            lock.unlock();
        }
    }

    @Test
    void aQueueLosesNoItemToAnInterruptedTake() throws Exception {
        try (ProcessManager manager = Multiprocessing.getContext().manager()) {
            java.util.concurrent.BlockingQueue<String> q = manager.queue();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            CountDownLatch calling = new CountDownLatch(1);
            Thread taker = new Thread(() -> {
                calling.countDown();
                try {
                    failure.set(new AssertionError("took " + q.take()));
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            taker.start();
            calling.await();
            // Sent and waiting for the reply: the take runs in the server. (Interrupting at any point loses nothing.)
            Await.until(LONG, "the taker to wait for the server's reply", () -> Arrays.stream(taker.getStackTrace())
                    .anyMatch(f -> f.getMethodName().equals("recvBytes")));
            taker.interrupt();
            taker.join(LONG.toMillis());
            assertFalse(taker.isAlive(), "the interrupted take returned");
            assertTrue(failure.get() instanceof IllegalStateException, "interrupted take: " + failure.get());
            q.put("a");
            q.put("b");
            // The abandoned take may take "a" before the server sees its client gone; it puts
            // it back then, at the head, but perhaps after "b" has been taken: nothing is lost.
            Set<String> got = new java.util.HashSet<>();
            got.add(q.poll(LONG.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
            got.add(q.poll(LONG.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(Set.of("a", "b"), got);
            assertEquals(null, q.poll(10, java.util.concurrent.TimeUnit.MILLISECONDS));
        }
    }

    @Test
    void aRegisteredTypeReturnedByAMethodStaysAProxy() throws Exception {
        try (ProcessManager manager = Multiprocessing.getContext().managerBuilder()
                .register("counter", Counter.class, CounterImpl::new)
                .register("counters", Counters.class, CountersImpl::new).start()) {
            Counters all = manager.create("counters", Counters.class);
            Counter a = all.named("a");
            assertTrue(java.lang.reflect.Proxy.isProxyClass(a.getClass()), "a proxy, not a copy: " + a.getClass());
            assertEquals(1, a.incrementAndGet());
            JvmProcess p = new JvmProcess(() -> all.named("a").incrementAndGet());
            p.start();
            joined(p);
            assertEquals(2, a.get(), "the child changed the one counter in the server");
            assertEquals("Counter(2)", all.named("a").toString());
        }
    }

    @Test
    void misuseIsRefusedClearly() throws Exception {
        ProcessManager manager = counters();
        ConcurrentMap<String, Integer> dict;
        try {
            assertThrows(NullPointerException.class, () -> manager.create(null, Counter.class));
            IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                    () -> manager.create("nope", Counter.class));
            assertTrue(unknown.getMessage().contains("'nope'"), unknown.getMessage());
            assertThrows(IllegalArgumentException.class, () -> manager.create("counter", Runnable.class));
            IllegalArgumentException notInterface = assertThrows(IllegalArgumentException.class,
                    () -> ProcessManager.builder().register("impl", CounterImpl.class, CounterImpl::new));
            assertTrue(notInterface.getMessage().contains(CounterImpl.class.getName()), notInterface.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> ProcessManager.builder().register("dict", Counter.class, CounterImpl::new));
            assertThrows(NullPointerException.class,
                    () -> ProcessManager.builder().register(null, Counter.class, CounterImpl::new));

            assertThrows(NullPointerException.class, () -> manager.lock(null));
            assertThrows(NullPointerException.class, () -> manager.event(null));
            assertThrows(NullPointerException.class, () -> manager.sharedLong(null));
            assertThrows(NullPointerException.class, () -> manager.queue(null));
            assertThrows(NullPointerException.class, () -> manager.event().await(null));

            dict = manager.dict();
            dict.put("n", 1);
            BiFunction<Integer, Integer, Integer> local = (a, b) -> a + b;
            ProcessSerializationException refused = assertThrows(ProcessSerializationException.class,
                    () -> dict.merge("n", 1, local));
            assertTrue(refused.getMessage().contains("merge") && refused.getMessage().contains("argument 3"),
                    refused.getMessage());
            assertEquals(1, dict.get("n"), "nothing was sent");
        } finally {
            manager.close();
        }
        manager.close(); // idempotent
        assertTrue(manager.isClosed());
        IllegalStateException closed = assertThrows(IllegalStateException.class, () -> dict.get("n"));
        assertTrue(closed.getMessage().contains("is closed"), closed.getMessage());
        assertThrows(IllegalStateException.class, manager::dict);
        assertThrows(IllegalStateException.class, manager::lock);
        assertThrows(IllegalStateException.class, manager::event);
        assertThrows(IllegalStateException.class, () -> manager.sharedLong(1));
        assertThrows(IllegalStateException.class, () -> manager.queue("q"));
    }
}
