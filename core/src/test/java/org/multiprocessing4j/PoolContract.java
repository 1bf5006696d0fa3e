package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.multiprocessing4j.drivers.Drivers;
import org.multiprocessing4j.testing.Await;
import org.multiprocessing4j.testing.Channels;
import org.multiprocessing4j.testing.DetachedClasses;
import org.multiprocessing4j.testing.Files2;
import org.multiprocessing4j.testing.JavaProgram;
import org.multiprocessing4j.testing.Messages;
import org.multiprocessing4j.testing.NoLeftovers;

/** ProcessPool with real worker JVMs (DESIGN.md section 3, issue 5). */
@ExtendWith(NoLeftovers.class)
@Timeout(180)
abstract class PoolContract extends StartMethodSuite {
    private static final Duration LONG = Duration.ofSeconds(60);

    /** Set by a pool initializer in each worker. */
    static volatile String initialized = "no";

    private static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().collect(Collectors.toList());
    }

    private static <T> T get(Future<T> f) throws Exception {
        return f.get(LONG.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void applyMapStarmapAndImapGiveTheirResults() throws Exception {
        try (ProcessPool pool = Multiprocessing.getContext().pool(2)) {
            assertEquals(42, pool.apply(() -> 6 * 7));
            assertEquals("pid", get(pool.applyAsync(() -> "p" + "id")));
            List<Integer> items = range(100);
            assertEquals(items.stream().map(x -> x * x).collect(Collectors.toList()), pool.map(x -> x * x, items));
            assertEquals(items.stream().map(x -> x + 1).collect(Collectors.toList()), pool.map(x -> x + 1, items, 7));
            assertEquals(List.of(3, 7), pool.starmap((Integer a, Integer b) -> a + b,
                    List.of(Map.entry(1, 2), Map.entry(3, 4))));
            List<String> ordered = new ArrayList<>();
            pool.imap((Integer x) -> "v" + x, items, 3).forEachRemaining(ordered::add);
            assertEquals(items.stream().map(x -> "v" + x).collect(Collectors.toList()), ordered);
            Set<Integer> unordered = new HashSet<>();
            pool.imapUnordered((Integer x) -> -x, items).forEachRemaining(unordered::add);
            assertEquals(items.stream().map(x -> -x).collect(Collectors.toSet()), unordered);
            assertEquals(List.of(), pool.map(x -> x, List.<Integer>of()));
            assertEquals(null, pool.<Object>apply(() -> null), "null results travel");
        }
    }

    /** The iterator must learn that the input ended even when the last result came before that. */
    @Test
    void imapIteratorsEndEveryTime() throws Exception {
        try (ProcessPool pool = ProcessPool.create(2)) {
            for (int round = 0; round < 30; round++) {
                List<Integer> got = new ArrayList<>();
                pool.imap((Integer x) -> x, range(40), 3).forEachRemaining(got::add);
                assertEquals(range(40), got);
                Set<Integer> unordered = new HashSet<>();
                pool.imapUnordered((Integer x) -> x, range(40)).forEachRemaining(unordered::add);
                assertEquals(40, unordered.size());
            }
        }
    }

    @Test
    void imapReadsItsInputOnlyAsWorkersTakeIt() throws Exception {
        AtomicLong read = new AtomicLong();
        Iterable<Integer> endless = () -> new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Integer next() {
                return (int) read.incrementAndGet();
            }
        };
        try (ProcessPool pool = ProcessPool.create(2)) {
            ResultIterator<Integer> it = pool.imap((Integer x) -> x * 2, endless);
            for (int i = 1; i <= 10; i++) {
                assertEquals(2 * i, it.next());
            }
            assertTrue(read.get() < 10_000, "an endless input is read lazily, not to its end: " + read.get());
            assertEquals(-1, it.progress().total(), "the total is unknown while the input goes on");
            pool.terminate();
        }
    }

    /** Item 1 waits for the gate; item 3 throws; the others give ten times themselves. */
    private static Integer gated(ProcessEvent gate, Integer x) {
        if (x == 1) {
            afterGate(gate, x);
        }
        if (x == 3) {
            throw new IllegalArgumentException("item 3");
        }
        return x * 10;
    }

    /** Python's imap(...).next(timeout): a timeout loses nothing; the late result comes to a later call. */
    @Test
    void nextWithATimeoutWaitsAtMostThatLongAndTheLateResultStillComes() throws Exception {
        ProcessEvent gate = ProcessEvent.create();
        try (ProcessPool pool = ProcessPool.create(2)) {
            ResultIterator<Integer> it = pool.imap((Integer x) -> gated(gate, x), range(4));
            assertEquals(0, it.next(LONG), "a result that comes in time");
            long start = System.nanoTime();
            ResultTimeoutException late = assertThrows(ResultTimeoutException.class, () -> it.next(Duration.ofMillis(200)),
                    "item 1 waits for the gate");
            long waitedMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(waitedMillis >= 200, "waited the whole timeout, not " + waitedMillis + " ms");
            assertTrue(late.getMessage().contains("imap(") && late.getMessage().contains("PT0.2S"), late.getMessage());
            assertThrows(ResultTimeoutException.class, () -> it.next(Duration.ZERO), "a zero timeout looks once");
            assertThrows(ResultTimeoutException.class, () -> it.next(Duration.ofSeconds(-1)), "so does a negative one");

            Thread.currentThread().interrupt();
            IllegalStateException interrupted = assertThrows(IllegalStateException.class, () -> it.next(LONG),
                    "an interrupt while waiting, as hasNext()");
            assertTrue(Thread.interrupted(), "the interrupt flag is set again");
            assertInstanceOf(InterruptedException.class, interrupted.getCause());

            gate.set();
            assertEquals(10, it.next(LONG), "the result that was late comes to the next call");
            Await.until(LONG, "items 2 and 3 to finish", () -> it.progress().completed() == 4);
            assertEquals(20, it.next(Duration.ZERO), "a zero timeout takes a result that is there");
            TaskFailedException failed = assertThrows(TaskFailedException.class, () -> it.next(Duration.ZERO));
            assertInstanceOf(IllegalArgumentException.class, failed.getCause());
            assertThrows(java.util.NoSuchElementException.class, () -> it.next(LONG), "after the last result");
            assertFalse(it.hasNext());
        }
    }

    @Test
    void nextWithATimeoutOnATerminatedPoolSaysSoInsteadOfWaiting() throws Exception {
        ProcessEvent gate = ProcessEvent.create();
        try (ProcessPool pool = ProcessPool.create(1)) {
            ResultIterator<Integer> it = pool.imap((Integer x) -> gated(gate, x), List.of(1, 2));
            pool.terminate();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> it.next(LONG));
            assertInstanceOf(CancellationException.class, e.getCause(), "the pool was terminated: " + e);
        }
    }

    /** A Collection's size is the total from the start: a progress bar is right from its first item. */
    @Test
    void progressKnowsTheTotalOfACollectionAtOnce() throws Exception {
        List<Integer> items = range(300);
        try (ProcessPool pool = ProcessPool.create(2)) {
            ResultIterator<Integer> it = pool.imapUnordered((Integer x) -> x, items);
            assertEquals(300, it.progress().total(), "the total, before any result");
            int seen = 0;
            while (it.hasNext()) {
                it.next();
                seen++;
                assertEquals(300, it.progress().total(), "the total after " + seen + " results");
            }
            assertTrue(it.progress().isDone());
            MapFuture<Integer> f = pool.mapAsync((Integer x) -> x, items);
            assertEquals(300, f.progress().total(), "a map's total, before any result");
            assertEquals(300, f.get().size());
            assertEquals(new TaskProgress(300, 300, 0), f.progress());
        }
    }

    @Test
    void aTaskThatThrowsFailsWithTheChildsThrowableAndTheWorkerStays() throws Exception {
        try (ProcessPool pool = ProcessPool.create(1)) {
            List<Long> before = pool.workerPids();
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> get(pool.applyAsync(() -> {
                        throw new IllegalArgumentException("bad input 7");
                    })));
            assertInstanceOf(IllegalArgumentException.class, e.getCause());
            assertEquals("bad input 7", e.getCause().getMessage());
            assertTrue(e.getCause().getStackTrace().length > 0, "the worker's stack trace travels");
            TaskFailedException thrown = assertThrows(TaskFailedException.class, () -> pool.map(x -> 10 / x, range(3)));
            assertInstanceOf(ArithmeticException.class, thrown.getCause());
            assertTrue(thrown.task().contains("item 0"), thrown.task());
            assertEquals(before, pool.workerPids(), "the worker stays");
            assertEquals(5, pool.apply(() -> 5));
        }
    }

    /** Python's Pool hangs here; ours fails exactly the task whose worker died. */
    @Test
    void aWorkerKilledMidTaskFailsOnlyThatTask() throws Exception {
        ProcessQueue<Long> running = ProcessQueue.create();
        try (ProcessPool pool = ProcessPool.create(2)) {
            CompletableFuture<Object> victim = pool.applyAsync(() -> {
                Channels.put(running, ProcessHandle.current().pid());
                Files2.blockForever();
                return "never";
            });
            long pid = Channels.take(running, "the victim task to start");
            List<CompletableFuture<Integer>> others = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                int v = i;
                others.add(pool.applyAsync(() -> v * 3));
            }
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            ExecutionException e = assertThrows(ExecutionException.class, () -> get(victim));
            WorkerDiedException died = assertInstanceOf(WorkerDiedException.class, e.getCause());
            assertEquals(pid, died.pid());
            assertEquals(-9, died.exitCode());
            assertTrue(died.getMessage().contains("pid " + pid), died.getMessage());
            for (int i = 0; i < others.size(); i++) {
                assertEquals(i * 3, get(others.get(i)), "task " + i + " completes");
            }
            Await.until(LONG, "a replacement worker", () -> pool.workerPids().size() == 2);
            assertFalse(pool.workerPids().contains(pid));
            assertEquals(2, pool.map(x -> x, range(50)).size() / 25);
        }
    }

    /** Waits for the gate (at most the test's patience), then gives {@code value}. */
    private static Integer afterGate(ProcessEvent gate, int value) {
        try {
            if (!gate.await(Channels.PATIENCE)) {
                throw new IllegalStateException("the test never opened the gate");
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return value;
    }

    /**
     * A thread waiting in get() reads the pool's results itself; a worker's death notice it reads
     * is settled by the pool all the same: the dead worker's task fails, a replacement starts,
     * and the waiting thread still gets its result.
     */
    @Test
    void aWorkerThatDiesWhileAThreadWaitsInGetIsReplacedAndTheWaiterGetsItsResult() throws Exception {
        ProcessEvent gate = ProcessEvent.create();
        ProcessEvent die = ProcessEvent.create();
        ProcessQueue<Long> running = ProcessQueue.create();
        try (ProcessPool pool = ProcessPool.create(2)) {
            CompletableFuture<Object> victim = pool.applyAsync(() -> {
                Channels.put(running, ProcessHandle.current().pid());
                afterGate(die, 0);
                Runtime.getRuntime().halt(3);
                return "never";
            });
            long pid = Channels.take(running, "the victim task to start");
            CompletableFuture<Integer> waited = pool.applyAsync(() -> afterGate(gate, 7));
            CompletableFuture<Integer> got = new CompletableFuture<>();
            Thread waiter = new Thread(() -> {
                try {
                    got.complete(waited.get(LONG.toSeconds(), TimeUnit.SECONDS));
                } catch (Throwable t) {
                    got.completeExceptionally(t);
                }
            }, "waits in get()");
            waiter.start();
            Await.until(LONG, "the thread in get() to read the pool's results", () -> java.util.Arrays.stream(waiter.getStackTrace())
                    .anyMatch(f -> f.getMethodName().equals("collectWhileWaiting")));
            die.set();
            ExecutionException e = assertThrows(ExecutionException.class, () -> get(victim));
            WorkerDiedException died = assertInstanceOf(WorkerDiedException.class, e.getCause());
            assertEquals(pid, died.pid());
            assertEquals(3, died.exitCode());
            Await.until(LONG, "a replacement worker", () -> pool.workerPids().size() == 2 && !pool.workerPids().contains(pid));
            assertFalse(got.isDone(), "the waiter's task is still behind its gate");
            gate.set();
            assertEquals(7, get(got), "the waiting thread gets its result");
            waiter.join(LONG.toMillis());
            assertEquals(List.of(0, 1, 2), pool.map(x -> x, range(3)), "the pool still works");
        }
    }

    @Test
    void getWithATimeoutWaitsAtMostThatLongAndTheLateResultStillComes() throws Exception {
        ProcessEvent gate = ProcessEvent.create();
        try (ProcessPool pool = ProcessPool.create(1)) {
            assertEquals(1, pool.apply(() -> 1));
            CompletableFuture<Integer> late = pool.applyAsync(() -> afterGate(gate, 5));
            long start = System.nanoTime();
            assertThrows(java.util.concurrent.TimeoutException.class, () -> late.get(200, TimeUnit.MILLISECONDS));
            long waitedMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(waitedMillis >= 200, "waited the whole timeout, not " + waitedMillis + " ms");
            CompletableFuture<Integer> seen = new CompletableFuture<>();
            late.thenAccept(seen::complete);
            gate.set();
            assertEquals(5, seen.get(LONG.toSeconds(), TimeUnit.SECONDS),
                    "the late result arrives with nobody in get()");
            assertEquals(5, late.getNow(-1));
        }
    }

    /**
     * Right after a thread stopped reading results in get(), a task that only has a callback
     * must still complete: the pool's own collector takes over again.
     */
    @Test
    void aTaskWithOnlyACallbackCompletesRightAfterAnApply() throws Exception {
        try (ProcessPool pool = ProcessPool.create(2)) {
            for (int i = 0; i < 20; i++) {
                int v = i;
                assertEquals(v, pool.apply(() -> v));
                java.util.concurrent.CountDownLatch called = new java.util.concurrent.CountDownLatch(1);
                pool.applyAsync(() -> v + 1).thenRun(called::countDown);
                assertTrue(called.await(LONG.toSeconds(), TimeUnit.SECONDS), "the callback of task " + i + " ran");
            }
        }
    }

    @Test
    void systemExitInATaskFailsItWithTheExitCode() throws Exception {
        try (ProcessPool pool = ProcessPool.create(1)) {
            TaskFailedException e = assertThrows(TaskFailedException.class, () -> pool.apply(() -> {
                System.exit(3);
                return 0;
            }));
            WorkerDiedException died = assertInstanceOf(WorkerDiedException.class, e);
            assertEquals(3, died.exitCode());
            assertEquals("after", pool.apply(() -> "after"));
        }
    }

    @Test
    void aTaskOverItsTimeLimitIsStoppedByKillingItsWorker() throws Exception {
        try (ProcessPool pool = Multiprocessing.getContext().poolBuilder().processes(1)
                .taskTimeout(Duration.ofMillis(500)).build()) {
            long before = pool.workerPids().get(0);
            ExecutionException e = assertThrows(ExecutionException.class, () -> get(pool.applyAsync(() -> {
                Files2.blockForever();
                return 0;
            })));
            TaskTimeoutException timeout = assertInstanceOf(TaskTimeoutException.class, e.getCause());
            assertEquals(Duration.ofMillis(500), timeout.limit());
            assertEquals(before, timeout.pid());
            assertEquals(9, pool.apply(() -> 9), "a replacement runs the next task");
            assertNotEquals(before, pool.workerPids().get(0));
        }
    }

    @Test
    void aResultThatCannotBeSerializedFailsItsTaskClearly() throws Exception {
        try (ProcessPool pool = ProcessPool.create(1)) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> get(pool.applyAsync(Object::new)));
            assertInstanceOf(ProcessSerializationException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("java.lang.Object"), e.getCause().getMessage());
            assertEquals(1, pool.apply(() -> 1));
        }
    }

    @Test
    void aTaskThatCannotBeSerializedIsRefusedAtSubmission() throws Exception {
        Object notSerializable = new Object();
        try (ProcessPool pool = ProcessPool.create(1)) {
            ProcessSerializationException e = assertThrows(ProcessSerializationException.class,
                    () -> pool.apply(() -> notSerializable.hashCode()));
            assertTrue(e.getMessage().contains("java.lang.Object"), e.getMessage());
            Callable<Integer> plain = () -> 1;
            ProcessSerializationException plainRefused = assertThrows(ProcessSerializationException.class,
                    () -> pool.submit(plain));
            assertTrue(plainRefused.getMessage().contains("not serializable"), plainRefused.getMessage());
            assertThrows(ProcessSerializationException.class, () -> pool.map(x -> notSerializable, range(2)));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void aTaskWhoseClassTheWorkersCannotFindIsRefusedAtSubmission(@TempDir Path dir) throws Exception {
        try (ProcessPool pool = ProcessPool.create(1)) {
            SerializableCallable<String> detached = (SerializableCallable<String>) DetachedClasses.fromBytes();
            ProcessSerializationException e = assertThrows(ProcessSerializationException.class,
                    () -> pool.apply(detached));
            assertTrue(e.getMessage().contains(DetachedClasses.Task.class.getName())
                    && e.getMessage().contains("workers' class path"), e.getMessage());
            try (URLClassLoader plugin = DetachedClasses.urlLoader(dir)) {
                SerializableCallable<String> fromPlugin = (SerializableCallable<String>) DetachedClasses.newTask(plugin);
                assertThrows(ProcessSerializationException.class, () -> pool.apply(fromPlugin),
                        "the pool was made before the plugin's class loader was in sight");
            }
            assertEquals(1, pool.apply(() -> 1));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void workersFindTheClassesOfTheContextClassLoaderThatMadeThePool(@TempDir Path dir) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        try (URLClassLoader plugin = DetachedClasses.urlLoader(dir)) {
            thread.setContextClassLoader(plugin);
            ProcessPool pool;
            try {
                pool = ProcessPool.create(1);
            } finally {
                thread.setContextClassLoader(before);
            }
            try (pool) {
                assertEquals("task", pool.apply((SerializableCallable<String>) DetachedClasses.newTask(plugin)));
            }
        }
    }

    @Test
    void theInitializerRunsInEachWorkerBeforeItsTasks() throws Exception {
        try (ProcessPool pool = Multiprocessing.getContext().poolBuilder().processes(2)
                .initializer(() -> initialized = "yes in " + ProcessHandle.current().pid()).build()) {
            List<String> seen = pool.map(x -> initialized + " / " + ProcessHandle.current().pid(), range(8), 1);
            for (String s : seen) {
                String[] parts = s.split(" / ");
                assertEquals("yes in " + parts[1], parts[0]);
            }
        }
        assertEquals("no", initialized, "the initializer ran in the workers, not here");
    }

    /**
     * As Python's ProcessPoolExecutor: a BrokenPoolException (an IllegalStateException, as before)
     * for the work accepted before the break and for every submission after it. The initializer
     * waits for the test's word, so that the work is in the pool before it breaks.
     */
    @Test
    void aFailingInitializerBreaksThePoolWithABrokenPoolExceptionNamingItsCause() throws Exception {
        ProcessEvent go = ProcessEvent.create();
        try (ProcessPool pool = Multiprocessing.getContext().poolBuilder().processes(1)
                .initializer(() -> {
                    try {
                        go.await(Channels.PATIENCE);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    throw new IllegalStateException("no database");
                }).build()) {
            CompletableFuture<Integer> queued = pool.applyAsync(() -> 1);
            MapFuture<Integer> mapped = pool.mapAsync(x -> x, List.of(1, 2, 3));
            ResultIterator<Integer> results = pool.imap((Integer x) -> x, List.of(1, 2, 3));
            CompletableFuture<Throwable> blockedInMap = new CompletableFuture<>();
            Thread mapper = new Thread(() -> {
                try {
                    pool.map(x -> x, List.of(4, 5));
                    blockedInMap.complete(null);
                } catch (Throwable t) {
                    blockedInMap.complete(t);
                }
            }, "PoolContract-map");
            mapper.start();
            Await.until(LONG, "map() to submit its job", () -> mapper.getState() == Thread.State.WAITING
                    || mapper.getState() == Thread.State.TIMED_WAITING || blockedInMap.isDone());
            go.set();

            assertBroken(assertThrows(ExecutionException.class, () -> get(queued)).getCause(),
                    "the future of a task accepted before the break");
            assertBroken(assertThrows(ExecutionException.class, () -> get(mapped)).getCause(),
                    "the future of a map accepted before the break");
            assertBroken(assertThrows(BrokenPoolException.class, results::hasNext), "imap's iterator");
            assertBroken(blockedInMap.get(LONG.toSeconds(), TimeUnit.SECONDS), "a map() waiting when the pool broke");

            assertBroken(assertThrows(BrokenPoolException.class, () -> pool.apply(() -> 1)), "apply() after the break");
            assertBroken(assertThrows(BrokenPoolException.class, () -> pool.submit(() -> 1)), "submit() after the break");
            assertBroken(assertThrows(BrokenPoolException.class, () -> pool.map(x -> x, List.of(1))), "map() after the break");
            assertBroken(assertThrows(IllegalStateException.class, () -> pool.imap((Integer x) -> x, List.of(1))),
                    "imap() after the break, caught as an IllegalStateException as before");
            assertTrue(pool.isShutdown(), "a broken pool takes no new tasks");
            assertTrue(pool.join(LONG), "a broken pool ends its workers");
        }
    }

    /** A pool broken by its initializer: the message names the initializer's exception, which is the cause. */
    private static void assertBroken(Throwable t, String where) {
        BrokenPoolException e = assertInstanceOf(BrokenPoolException.class, t, where + ": " + t);
        assertTrue(e.getMessage().contains("the pool is broken: its initializer failed in a worker")
                && e.getMessage().contains("no database"), where + ": the message names the initializer's exception: "
                + e.getMessage());
        assertInstanceOf(IllegalStateException.class, e.getCause(), where + ": the cause is the initializer's exception");
        assertEquals("no database", e.getCause().getMessage(), where + ": the cause is the initializer's exception");
    }

    @Test
    void maxTasksPerChildReplacesWorkers() throws Exception {
        try (ProcessPool pool = Multiprocessing.getContext().poolBuilder().processes(1).maxTasksPerChild(2).build()) {
            List<Long> pids = pool.map(x -> ProcessHandle.current().pid(), range(6), 1);
            assertEquals(3, new HashSet<>(pids).size(), "two tasks per worker: " + pids);
        }
    }

    @Test
    void terminateCancelsWhatIsUnfinishedAndEndsTheWorkers() throws Exception {
        ProcessQueue<String> running = ProcessQueue.create();
        ProcessPool pool = ProcessPool.create(1);
        CompletableFuture<Object> blocked = pool.applyAsync(() -> {
            Channels.put(running, "running");
            Files2.blockForever();
            return null;
        });
        CompletableFuture<Object> queued = pool.applyAsync(() -> 1);
        Channels.take(running, "the blocking task to start");
        List<Long> pids = pool.workerPids();
        List<Runnable> left = pool.shutdownNow();
        assertEquals(2, left.size(), "both submissions were unfinished: " + left);
        for (CompletableFuture<Object> f : List.of(blocked, queued)) {
            assertThrows(CancellationException.class, () -> get(f));
        }
        assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
        assertTrue(pool.isTerminated());
        Await.until(LONG, "the workers to end", () -> pids.stream().allMatch(Await::hasEnded));
        assertThrows(RejectedExecutionException.class, () -> pool.apply(() -> 1));
        pool.close();
    }

    @Test
    void closeWaitsForTheSubmittedWork() throws Exception {
        List<CompletableFuture<Integer>> futures = new ArrayList<>();
        ProcessPool pool = ProcessPool.create(2);
        for (int i = 0; i < 30; i++) {
            int v = i;
            futures.add(pool.applyAsync(() -> {
                Thread.sleep(5); // work that takes a little time
                return v;
            }));
        }
        assertThrows(IllegalStateException.class, pool::join, "join() before shutdown()");
        pool.close();
        assertTrue(pool.isTerminated());
        for (int i = 0; i < futures.size(); i++) {
            assertTrue(futures.get(i).isDone());
            assertEquals(i, futures.get(i).get());
        }
        pool.close(); // idempotent
        pool.join();
        assertTrue(pool.join(Duration.ZERO));
        assertThrows(RejectedExecutionException.class, () -> pool.submit(() -> 1));
    }

    @Test
    void executorServiceMethodsWork() throws Exception {
        try (ProcessPool pool = ProcessPool.create(2)) {
            List<SerializableCallable<Integer>> tasks = List.of(() -> 1, () -> 2, () -> 3);
            List<Future<Integer>> all = pool.invokeAll(tasks);
            assertEquals(List.of(1, 2, 3), all.stream().map(f -> {
                try {
                    return f.get();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }).collect(Collectors.toList()));
            int any = pool.invokeAny(tasks);
            assertTrue(any >= 1 && any <= 3);
            assertEquals("r", get(pool.submit((SerializableRunnable) () -> { }, "r")));
            assertEquals(null, (Object) get(pool.submit((SerializableRunnable) () -> { })));
            pool.execute((SerializableRunnable) () -> { });
            assertFalse(pool.isShutdown());
        }
    }

    @Test
    void mapAsyncReportsItsProgress() throws Exception {
        try (ProcessPool pool = ProcessPool.create(2)) {
            MapFuture<Integer> f = pool.mapAsync(x -> x, range(500), 10);
            assertEquals(500, get(f).size());
            TaskProgress p = f.progress();
            assertEquals(new TaskProgress(500, 500, 0), p);
            assertTrue(p.isDone());
            assertEquals(1.0, p.fraction());
        }
    }

    @Test
    void misuseIsRefusedWithClearErrors() throws Exception {
        ProcessContext ctx = Multiprocessing.getContext();
        assertThrows(IllegalArgumentException.class, () -> ctx.pool(0));
        assertThrows(IllegalArgumentException.class, () -> ctx.poolBuilder().processes(-1));
        assertThrows(IllegalArgumentException.class, () -> ctx.poolBuilder().maxTasksPerChild(-1));
        assertThrows(IllegalArgumentException.class, () -> ctx.poolBuilder().taskTimeout(Duration.ZERO));
        assertThrows(NullPointerException.class, () -> ctx.poolBuilder().taskTimeout(null));
        assertThrows(NullPointerException.class, () -> ctx.poolBuilder().initializer(null));
        assertThrows(IllegalArgumentException.class, () -> ctx.poolBuilder().jvmOptions(List.of("-cp")));
        try (ProcessPool pool = ProcessPool.create(1)) {
            assertThrows(NullPointerException.class, () -> pool.apply(null));
            assertThrows(NullPointerException.class, () -> pool.map(null, range(1)));
            assertThrows(NullPointerException.class, () -> pool.map(x -> x, null));
            assertThrows(IllegalArgumentException.class, () -> pool.map(x -> x, range(1), -1));
            assertThrows(IllegalArgumentException.class, () -> pool.imap(x -> x, range(1), 0));
            assertThrows(NullPointerException.class, () -> pool.join(null));
            ResultIterator<Integer> it = pool.imap((Integer x) -> x, range(1));
            assertEquals(0, it.next());
            assertFalse(it.hasNext());
            assertThrows(java.util.NoSuchElementException.class, it::next);
            Messages.assertMessage(NullPointerException.class, () -> it.next(null), "timeout");
            assertThrows(NullPointerException.class, () -> pool.submit((Callable<Integer>) null));
            assertThrows(NullPointerException.class, () -> pool.invokeAll(null));
            assertThrows(IllegalArgumentException.class, () -> pool.invokeAny(List.<Callable<Integer>>of()));
        }
    }

    /** A Callable that is Serializable without being a SerializableCallable. */
    static final class Answer implements Callable<Integer>, java.io.Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public Integer call() {
            return 42;
        }
    }

    @Test
    void anySerializableCallableIsAccepted() throws Exception {
        try (ProcessPool pool = ProcessPool.create(1)) {
            assertEquals(42, get(pool.submit(new Answer())));
            List<Integer> all = new ArrayList<>();
            for (Future<Integer> f : pool.invokeAll(List.of(new Answer(), new Answer()))) {
                all.add(get(f));
            }
            assertEquals(List.of(42, 42), all);
        }
    }

    @Test
    void callbacksMayUseThePoolWithoutBlockingIt() throws Exception {
        try (ProcessPool pool = ProcessPool.create(2)) {
            CompletableFuture<Integer> chained = pool.applyAsync(() -> 2).thenApply(x -> {
                try {
                    return pool.apply(() -> 20) + x; // blocks a callback thread, not the pool's collector
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertEquals(22, get(chained));
        }
        ProcessPool pool = ProcessPool.create(1);
        CompletableFuture<Void> closed = pool.mapAsync(x -> x, range(10)).thenRun(pool::close);
        get(closed);
        assertTrue(pool.isTerminated());
    }

    @Test
    void shutdownFinishesAnImapThatNobodyReadsToItsEnd() throws Exception {
        ProcessPool pool = ProcessPool.create(2);
        ResultIterator<Integer> it = pool.imap((Integer x) -> x, range(5000));
        assertEquals(0, it.next());
        pool.shutdown();
        assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS), "the pool ends although the iterator was left");
        int n = 1;
        while (it.hasNext()) {
            assertEquals(n++, it.next());
        }
        assertEquals(5000, n);
    }

    @Test
    void theTimeLimitStartsWhenTheTaskStartsNotWhileTheWorkerBoots() throws Exception {
        try (ProcessPool pool = Multiprocessing.getContext().poolBuilder().processes(1)
                .initializer(() -> {
                    try {
                        Thread.sleep(1500); // a slow initializer, longer than the limit
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                })
                .taskTimeout(Duration.ofSeconds(1)).build()) {
            assertEquals(1, pool.apply(() -> 1));
        }
    }

    /**
     * Run in a program of its own: the worker JVMs that fail to start complain on the standard
     * error they inherit, which the test reads there rather than letting it reach the build log.
     */
    @Test
    void workersThatCannotStartBreakThePoolInsteadOfRestartingForever() throws Exception {
        List<String> options = new ArrayList<>(List.of("-Dmultiprocessing4j.startMethod=" + startMethod()));
        String shm = System.getProperty("multiprocessing4j.shmdir");
        if (shm != null) {
            options.add("-Dmultiprocessing4j.shmdir=" + shm); // where NoLeftovers looks
        }
        try (JavaProgram program = JavaProgram.start(Drivers.UnstartablePool.class, options)) {
            assertEquals(0, program.awaitExit(LONG), "exit status; stderr: " + program.stderr());
            List<String> out = program.stdout();
            assertEquals(2, out.size(), out.toString());
            assertEquals("terminated true", out.get(0), "the pool gives up and ends");
            // "the pool is broken: …" on the task's future, or "the pool takes no new tasks: the pool
            // is broken: …" from the submit if the workers had all failed before it.
            assertTrue(out.get(1).startsWith("failed: BrokenPoolException: ")
                    && out.get(1).contains("the pool is broken: ")
                    && out.get(1).contains("before they are ready"), out.get(1));
            // Three workers in a row that die before they are ready break the pool (pool.md).
            List<String> err = program.stderr();
            assertEquals(3, err.stream().filter("Unrecognized VM option 'ThisOptionDoesNotExist'"::equals).count(),
                    "one complaint per JVM the pool tried to start: " + err);
            assertTrue(err.stream().allMatch(l -> l.startsWith("Unrecognized VM option") || l.startsWith("Error: ")),
                    "nothing but the JVMs' own complaints: " + err);
        }
    }
}
