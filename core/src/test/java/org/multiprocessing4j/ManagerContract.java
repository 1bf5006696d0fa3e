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
    }
}
