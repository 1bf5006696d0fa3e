package org.multiprocessing4j.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.DistributedObject;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.partition.Partition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.multiprocessing4j.JoinableProcessQueue;
import org.multiprocessing4j.JvmProcess;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.ProcessBarrier;
import org.multiprocessing4j.ProcessCondition;
import org.multiprocessing4j.ProcessContext;
import org.multiprocessing4j.ProcessEvent;
import org.multiprocessing4j.ProcessLock;
import org.multiprocessing4j.ProcessQueue;
import org.multiprocessing4j.ProcessReentrantLock;
import org.multiprocessing4j.ProcessSemaphore;
import org.multiprocessing4j.SharedByteArray;
import org.multiprocessing4j.SharedDouble;
import org.multiprocessing4j.SharedDoubleArray;
import org.multiprocessing4j.SharedInt;
import org.multiprocessing4j.SharedLong;
import org.multiprocessing4j.SharedLongArray;
import org.multiprocessing4j.cluster.internal.HazelcastSettings;
import org.multiprocessing4j.cluster.internal.shared.Names;

/**
 * The shared objects of a cluster (queues, locks, semaphores, events, barriers, values, dicts,
 * lists; private and named), used by processes on three node JVMs on 127.0.0.1 and by drivers:
 * what a program written for one machine does, across several, and what happens when a process,
 * a driver or a node dies.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterSharedIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");
    private static final Logger LIBRARY_LOG = Logger.getLogger("org.multiprocessing4j");

    private LocalNodes nodes;
    private Cluster cluster;
    private ProcessContext ctx;

    @BeforeAll
    void startNodes() throws InterruptedException {
        nodes = new LocalNodes(3, "s");
        // The driver may try members before they listen ("connection refused"): expected, not news.
        HAZELCAST_LOG.setLevel(Level.SEVERE);
        cluster = Cluster.connect(nodes.config());
        assertTrue(cluster.awaitNodes(3, Duration.ofSeconds(120)), () -> "3 nodes within 120 s; they logged:\n" + nodes.logs());
        ctx = cluster.context();
    }

    @AfterAll
    void stopNodes() throws InterruptedException {
        if (cluster != null) {
            cluster.close();
        }
        if (nodes != null) {
            nodes.stop();
        }
    }

    @AfterEach
    void onlyTheNodesAreLeft() throws InterruptedException {
        Set<Long> others = nodes.othersThanNodes();
        assertTrue(LocalNodes.awaitGone(others), () -> "processes left besides the nodes: " + others);
    }

    private JvmProcess startOn(String node, org.multiprocessing4j.SerializableRunnable target) {
        JvmProcess p = cluster.context(node).process(target);
        p.start();
        return p;
    }

    /** Takes a lock whose holder died, within 90 s, without printing the expected take-over warning. */
    private static void takeOverQuietly(ProcessLock lock) throws InterruptedException {
        Level was = LIBRARY_LOG.getLevel();
        LIBRARY_LOG.setLevel(Level.SEVERE);
        try {
            assertTrue(lock.tryLock(WAIT.toSeconds(), TimeUnit.SECONDS), "the lock was freed within 90 s of its holder's death");
        } finally {
            LIBRARY_LOG.setLevel(was);
        }
    }

    private static void joinOk(JvmProcess p) throws InterruptedException {
        joinOk(p, WAIT);
    }

    private static void joinOk(JvmProcess p, Duration wait) throws InterruptedException {
        assertTrue(p.join(wait), () -> p.getName() + " ended within " + wait.toSeconds() + " s");
        assertEquals(OptionalInt.of(0), p.exitCode(), () -> p.getName() + " exited 0: " + p.exception());
    }

    @Test
    @Order(1)
    void aJoinableQueueFeedsConsumersOnOtherNodes() throws Exception {
        JoinableProcessQueue<Integer> jobs = ctx.joinableQueue();
        ProcessQueue<String> results = ctx.queue();
        List<JvmProcess> consumers = new ArrayList<>();
        for (String node : List.of("sb", "sc")) {
            consumers.add(startOn(node, () -> {
                try {
                    while (true) {
                        Integer job = jobs.take();
                        if (job < 0) {
                            jobs.taskDone();
                            return;
                        }
                        results.put(System.getProperty("multiprocessing4j.cluster.node") + ":" + (job * job));
                        jobs.taskDone();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        for (int i = 0; i < 40; i++) {
            jobs.put(i);
        }
        assertTrue(jobs.join(WAIT), "every job was done within 90 s");
        assertEquals(0, jobs.unfinishedTasks());
        Set<Integer> squares = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            String r = results.poll(WAIT);
            assertNotNull(r, "result " + i + " within 90 s");
            squares.add(Integer.parseInt(r.substring(r.indexOf(':') + 1)));
        }
        assertEquals(java.util.stream.IntStream.range(0, 40).map(i -> i * i).boxed().collect(Collectors.toSet()), squares);
        jobs.put(-1);
        jobs.put(-1);
        assertTrue(jobs.join(WAIT));
        for (JvmProcess c : consumers) {
            joinOk(c);
        }
        assertThrows(IllegalStateException.class, jobs::taskDone, "taskDone() with nothing unfinished");
    }

    @Test
    @Order(2)
    void aHundredThousandItemsFromThreeNodesArriveExactlyOnce() throws Exception {
        int perProducer = 33_334;
        ProcessQueue<Integer> q = ctx.queue();
        ProcessQueue<int[]> taken = ctx.queue();
        List<JvmProcess> all = new ArrayList<>();
        String[] names = {"sa", "sb", "sc"};
        for (int n = 0; n < 3; n++) {
            int first = n * perProducer;
            all.add(startOn(names[n], () -> {
                try {
                    for (int i = first; i < first + perProducer; i++) {
                        q.put(i);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            all.add(startOn(names[(n + 1) % 3], () -> {
                try {
                    int[] mine = new int[3 * perProducer];
                    int count = 0;
                    Integer item;
                    while ((item = q.poll(Duration.ofSeconds(10))) != null && item >= 0) {
                        mine[count++] = item;
                    }
                    taken.put(java.util.Arrays.copyOf(mine, count));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        for (int n = 0; n < 3; n++) {
            joinOk(all.get(2 * n), Duration.ofMinutes(5));
        }
        for (int n = 0; n < 3; n++) {
            q.put(-1);
        }
        BitSet seen = new BitSet();
        int total = 0;
        for (int n = 0; n < 3; n++) {
            int[] got = taken.poll(Duration.ofSeconds(180));
            assertNotNull(got, "consumer " + n + " reported within 180 s");
            for (int i : got) {
                assertFalse(seen.get(i), "item " + i + " delivered twice");
                seen.set(i);
            }
            total += got.length;
        }
        for (int n = 0; n < 3; n++) {
            joinOk(all.get(2 * n + 1));
        }
        assertEquals(3 * perProducer, total, "every item delivered once");
        assertEquals(3 * perProducer, seen.cardinality());
    }

    @Test
    @Order(3)
    void aLockOfAKilledProcessIsTakenOverAndSaysSo() throws Exception {
        ProcessLock lock = ctx.lock();
        ProcessEvent locked = ctx.event();
        JvmProcess holder = startOn("sb", () -> {
            lock.lock();
            locked.set();
            sleepForever();
        });
        assertTrue(locked.await(WAIT), "the holder on sb took the lock within 90 s");
        assertFalse(lock.tryLock(), "the lock is held by the process on sb");
        holder.kill();
        assertTrue(holder.join(WAIT));
        takeOverQuietly(lock);
        assertTrue(lock.heldAfterOwnerDied(), "the next holder learns that the last one died holding it");
        lock.unlock();
        assertTrue(lock.tryLock());
        assertFalse(lock.heldAfterOwnerDied(), "a clean release clears it");
        lock.unlock();
        assertThrows(IllegalMonitorStateException.class, lock::unlock);
    }

    @Test
    @Order(4)
    void countersFromEveryNodeAddUpExactly() throws Exception {
        SharedLong counter = ctx.sharedLong(0);
        SharedInt small = ctx.sharedInt(0);
        SharedDouble sum = ctx.sharedDouble(0.5);
        ProcessReentrantLock guard = ctx.reentrantLock();
        List<JvmProcess> ps = new ArrayList<>();
        for (String node : List.of("sa", "sb", "sc")) {
            ps.add(startOn(node, () -> {
                for (int i = 0; i < 500; i++) {
                    counter.incrementAndGet();
                    small.addAndGet(2);
                    guard.lock();
                    try {
                        guard.lock(); // nested
                        sum.set(sum.get() + 1.0);
                        guard.unlock();
                    } finally {
                        guard.unlock();
                    }
                }
            }));
        }
        for (JvmProcess p : ps) {
            joinOk(p);
        }
        assertEquals(1500, counter.get());
        assertEquals(3000, small.get());
        assertEquals(1500.5, sum.get());
        assertTrue(counter.compareAndSet(1500, 7));
        assertEquals(7, counter.getAndSet(9));
        assertFalse(guard.isLocked());
    }

    @Test
    @Order(5)
    void semaphoresEventsAndBarriersWorkAcrossNodes() throws Exception {
        ProcessSemaphore sem = ctx.boundedSemaphore(2);
        ProcessEvent go = ctx.event();
        ProcessBarrier barrier = ctx.barrier(3);
        SharedLong inside = ctx.sharedLong(0);
        SharedLong most = ctx.sharedLong(0);
        List<JvmProcess> ps = new ArrayList<>();
        for (String node : List.of("sa", "sb", "sc")) {
            ps.add(startOn(node, () -> {
                try {
                    go.await();
                    for (int i = 0; i < 5; i++) {
                        sem.acquire();
                        long now = inside.incrementAndGet();
                        most.updateAndGet(m -> Math.max(m, now));
                        inside.decrementAndGet();
                        sem.release();
                    }
                    barrier.await();
                    barrier.await();
                } catch (InterruptedException | BrokenBarrierException e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        assertFalse(go.isSet());
        go.set();
        for (JvmProcess p : ps) {
            joinOk(p);
        }
        assertTrue(most.get() >= 1 && most.get() <= 2, "at most 2 inside at once: " + most.get());
        assertEquals(2, sem.availablePermits());
        assertThrows(IllegalStateException.class, sem::release, "a bounded semaphore refuses a release above its bound");
        assertEquals(2, sem.drainPermits());
        assertFalse(sem.tryAcquire(1, 200, TimeUnit.MILLISECONDS));
        assertFalse(barrier.isBroken());
        assertThrows(java.util.concurrent.TimeoutException.class, () -> barrier.await(Duration.ofMillis(300)));
        assertTrue(barrier.isBroken(), "a party that timed out broke the round");
        barrier.reset();
        assertFalse(barrier.isBroken());
    }

    /**
     * Passes {@code rounds} rounds of {@code barrier}, whose action counts in {@code actions} and
     * notes its process in {@code runner}: after each round the action has run once more, in the
     * process of the party that got index 0.
     */
    private static void passRounds(ProcessBarrier barrier, SharedLong actions, SharedLong runner, int rounds) {
        try {
            for (int round = 0; round < rounds; round++) {
                int index = barrier.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                long ran = actions.get();
                if (ran != round + 1) {
                    throw new IllegalStateException("after round " + round + " the action had run " + ran + " times");
                }
                if (index == 0 && runner.get() != ProcessHandle.current().pid()) {
                    throw new IllegalStateException("round " + round + "'s action ran in process " + runner.get()
                            + ", not in the last arrival's");
                }
            }
        } catch (InterruptedException | BrokenBarrierException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One await in a new thread of the driver; its index, or what it threw, goes to {@code outcome}. */
    private static Thread awaitInThread(ProcessBarrier barrier, java.util.concurrent.atomic.AtomicReference<Object> outcome) {
        Thread t = new Thread(() -> {
            try {
                outcome.set(barrier.await(WAIT.toSeconds(), TimeUnit.SECONDS));
            } catch (Throwable e) {
                outcome.set(e);
            }
        }, "ClusterSharedIT-barrier-waiter");
        t.start();
        return t;
    }

    /** The barrier action on a cluster: as on one machine, whichever node the last party is on. */
    @Test
    @Order(5)
    void aBarrierActionRunsOncePerRoundInTheLastArrivalAndItsFailureBreaksTheBarrier() throws Exception {
        SharedLong actions = ctx.sharedLong(0);
        SharedLong runner = ctx.sharedLong(0);
        ProcessBarrier barrier = ctx.barrier(3, () -> {
            actions.incrementAndGet();
            runner.set(ProcessHandle.current().pid());
        });
        List<JvmProcess> ps = new ArrayList<>();
        for (String node : List.of("sa", "sb")) {
            ps.add(startOn(node, () -> passRounds(barrier, actions, runner, 4)));
        }
        passRounds(barrier, actions, runner, 4);
        for (JvmProcess p : ps) {
            joinOk(p);
        }
        assertEquals(4, actions.get(), "one action per round");

        ProcessBarrier failing = ctx.barrier(2, () -> {
            throw new IllegalStateException("the action failed");
        });
        JvmProcess other = startOn("sc", () -> {
            try {
                failing.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                System.exit(0);
            } catch (BrokenBarrierException e) {
                System.exit(3);
            } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
                System.exit(4);
            }
        });
        assertTrue(awaitCondition(() -> failing.getNumberWaiting() == 1), "the party on sc waits");
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> failing.await(WAIT.toSeconds(), TimeUnit.SECONDS), "the last arrival gets what the action threw");
        assertEquals("the action failed", thrown.getMessage());
        assertTrue(other.join(WAIT), "the party on sc was released");
        assertEquals(OptionalInt.of(3), other.exitCode(), "it got a BrokenBarrierException");
        assertTrue(failing.isBroken());
    }

    /** The process running the action dies: its relay's sweep breaks the round for the others. */
    @Test
    @Order(11)
    void aBarrierBreaksWhenTheProcessRunningItsActionDies() throws Exception {
        ProcessBarrier barrier = ctx.barrier(2, ClusterSharedIT::sleepForever);
        java.util.concurrent.atomic.AtomicReference<Object> driver = new java.util.concurrent.atomic.AtomicReference<>();
        Thread waiter = awaitInThread(barrier, driver);
        assertTrue(awaitCondition(() -> barrier.getNumberWaiting() == 1), "the driver waits");
        JvmProcess runnerProcess = startOn("sb", () -> {
            try {
                barrier.await();
            } catch (InterruptedException | BrokenBarrierException e) {
                throw new IllegalStateException(e);
            }
        });
        // While the action runs every party counts as waiting: the process on sb arrived and runs it.
        assertTrue(awaitCondition(() -> barrier.getNumberWaiting() == 2), "the process on sb runs the action");
        assertTrue(waiter.isAlive(), "the driver waits for the action");
        runnerProcess.kill();
        assertTrue(runnerProcess.join(WAIT));
        waiter.join(WAIT.toMillis());
        assertFalse(waiter.isAlive(), "the driver was released within 90 s");
        assertTrue(driver.get() instanceof BrokenBarrierException, "the driver got: " + driver.get());
        assertTrue(barrier.isBroken());
    }

    /** Polls {@code condition} for at most {@link #WAIT}. */
    private static boolean awaitCondition(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(20); // the pace of a poll of the cluster's state, not a synchronization
        }
        return true;
    }

    @Test
    @Order(6)
    void dictsAndListsAreAtomicPerCall() throws Exception {
        ConcurrentMap<String, Integer> d = ctx.dict();
        List<String> l = ctx.list();
        List<JvmProcess> ps = new ArrayList<>();
        for (String node : List.of("sa", "sb", "sc")) {
            ps.add(startOn(node, () -> {
                for (int i = 0; i < 100; i++) {
                    d.merge("hits", 1, Integer::sum);
                    d.compute("k" + (i % 5), (k, v) -> v == null ? 1 : v + 1);
                }
                l.add(System.getProperty("multiprocessing4j.cluster.node")); // set by the node for its processes
            }));
        }
        for (JvmProcess p : ps) {
            joinOk(p);
        }
        assertEquals(300, d.get("hits"));
        for (int k = 0; k < 5; k++) {
            assertEquals(60, d.get("k" + k));
        }
        assertEquals(6, d.size());
        assertEquals(Set.of("sa", "sb", "sc"), new HashSet<>(l));
        assertNull(d.putIfAbsent("new", 1));
        assertEquals(1, d.putIfAbsent("new", 2));
        assertTrue(d.replace("new", 1, 3));
        assertTrue(d.remove("new", 3));
        assertFalse(d.containsKey("new"));
        l.add(1, "x");
        assertEquals("x", l.get(1));
        assertEquals("x", l.remove(1));
        assertThrows(IndexOutOfBoundsException.class, () -> l.get(99));
        assertThrows(NullPointerException.class, () -> d.put("bad", null), "null values are refused");
    }

    @Test
    @Order(9)
    void conditionsAndArraysWorkAcrossNodes() throws Exception {
        ProcessCondition ready = ctx.condition();
        ProcessReentrantLock lock = (ProcessReentrantLock) ready.getLock();
        SharedLongArray slots = ctx.sharedLongArray(3);
        SharedByteArray bytes = ctx.sharedByteArray(4);
        SharedDoubleArray doubles = ctx.sharedDoubleArray(2);
        List<JvmProcess> ps = new ArrayList<>();
        String[] names = {"sa", "sb", "sc"};
        for (int n = 0; n < 3; n++) {
            int slot = n;
            ps.add(startOn(names[n], () -> {
                lock.lock();
                try {
                    slots.set(slot, 1); // "I wait"
                    ready.signalAll();
                    while (slots.get(slot) != 2) {
                        ready.await();
                    }
                    slots.addAndGet(slot, 10);
                    doubles.addAndGet(0, 0.5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    lock.unlock();
                }
            }));
        }
        lock.lock();
        try {
            long deadline = System.nanoTime() + WAIT.toNanos();
            for (int n = 0; n < 3; n++) {
                while (slots.get(n) != 1 && System.nanoTime() < deadline) {
                    ready.await(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                }
                assertEquals(1, slots.get(n), "party " + n + " waits, within 90 s");
            }
        } finally {
            lock.unlock();
        }
        lock.lock();
        try {
            for (int n = 0; n < 3; n++) {
                slots.set(n, 2);
            }
            ready.signalAll();
        } finally {
            lock.unlock();
        }
        for (JvmProcess p : ps) {
            joinOk(p);
        }
        assertEquals(List.of(12L, 12L, 12L), java.util.Arrays.stream(slots.toArray()).boxed().collect(Collectors.toList()));
        assertEquals(1.5, doubles.get(0));
        bytes.set(1, (byte) -3);
        assertEquals(-3, bytes.get(1));
        assertTrue(slots.compareAndSet(0, 12, 5));
        assertEquals(5, slots.get(0));
        assertThrows(IndexOutOfBoundsException.class, () -> slots.get(3));
    }

    @Test
    @Order(7)
    void namedObjectsAreSharedBySeparateDriversAndPrivateOnesGoWithTheirDriver() throws Exception {
        ConcurrentMap<String, String> results = ctx.dict("results");
        results.put("from-a", "a");
        ProcessQueue<String> jobs = ctx.queue("jobs");
        jobs.put("job-1");
        List<String> members = List.copyOf(nodes.addresses);
        byte[] key = nodes.authkey.clone();
        ProcessQueue<String> programOfB = ProcessQueue.create();
        JvmProcess driverB = new JvmProcess("driver-b", () -> secondDriver(members, key, programOfB));
        driverB.start();
        joinOk(driverB);
        assertEquals("b saw a", results.get("from-b"), "driver b reached the named dict");
        assertEquals("job-1 taken by b", results.get("job"));
        String programB = programOfB.poll(Duration.ofSeconds(5));
        assertNotNull(programB);
        assertTrue(leftoversOf(programB).isEmpty(), () -> "driver b's private objects were destroyed when it closed: "
                + leftoversOf(programB));
        assertThrows(IllegalArgumentException.class, () -> ctx.lock("results"), "a name names one kind of object");
        assertThrows(IllegalArgumentException.class, () -> ctx.queue("no spaces"));
        assertThrows(NullPointerException.class, () -> ctx.event(null));
        ctx.destroy("results");
        ctx.destroy("jobs");
        assertTrue(ctx.dict("results").isEmpty(), "a destroyed name starts afresh");
        ctx.destroy("results");
        assertTrue(leftoversOf("n.results").isEmpty() && leftoversOf("n.jobs").isEmpty());
        ctx.destroy("never-made");
    }

    private static void secondDriver(List<String> members, byte[] key, ProcessQueue<String> program) {
        HAZELCAST_LOG.setLevel(Level.SEVERE);
        try (Cluster c = Cluster.connect(ClusterConfig.builder().members(members).authkey(key).build())) {
            ProcessContext b = c.context();
            ConcurrentMap<String, String> results = b.dict("results");
            results.put("from-b", "b saw " + results.get("from-a"));
            results.put("job", b.<String>queue("jobs").poll(Duration.ofSeconds(30)) + " taken by b");
            b.queue().put("private");
            b.sharedLong(3).incrementAndGet();
            b.lock().lock();
            program.put(c.hazelcast().getLocalEndpoint().getUuid().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    @Order(10)
    void aKilledDriversLocksAreFreedAndItsPrivateObjectsDestroyed() throws Exception {
        List<String> members = List.copyOf(nodes.addresses);
        byte[] key = nodes.authkey.clone();
        try (ProcessQueue<String> programOfC = ProcessQueue.create()) {
            JvmProcess driverC = new JvmProcess("driver-c", () -> holdAndWait(members, key, programOfC));
            driverC.start();
            String programC = programOfC.poll(WAIT);
            assertNotNull(programC, "driver c made its objects within 90 s");
            assertFalse(leftoversOf(programC).isEmpty(), "driver c's private objects exist while it runs");
            driverC.kill();
            assertTrue(driverC.join(WAIT));
            ProcessLock named = ctx.lock("held-by-c");
            Level was = LIBRARY_LOG.getLevel();
            LIBRARY_LOG.setLevel(Level.SEVERE); // the take-over warning is expected
            try {
                assertTrue(named.tryLock(WAIT.toSeconds(), TimeUnit.SECONDS), "the dead driver's lock was freed within 90 s");
            } finally {
                LIBRARY_LOG.setLevel(was);
            }
            assertTrue(named.heldAfterOwnerDied());
            named.unlock();
            ctx.destroy("held-by-c");
            assertTrue(awaitNoLeftovers(programC), () -> "the nodes destroyed the dead driver's private objects"
                    + " within 90 s: " + leftoversOf(programC));
        }
    }

    /**
     * Waits up to {@link #WAIT} until nothing of {@code program} is left in the cluster, looking
     * again each time a structure is destroyed or a sync entry removed.
     */
    private boolean awaitNoLeftovers(String program) throws InterruptedException {
        HazelcastInstance hz = cluster.hazelcast();
        Object changed = new Object();
        Runnable wake = () -> {
            synchronized (changed) {
                changed.notifyAll();
            }
        };
        java.util.UUID objects = hz.addDistributedObjectListener(new com.hazelcast.core.DistributedObjectListener() {
            @Override
            public void distributedObjectCreated(com.hazelcast.core.DistributedObjectEvent event) {
            }

            @Override
            public void distributedObjectDestroyed(com.hazelcast.core.DistributedObjectEvent event) {
                wake.run();
            }
        });
        com.hazelcast.map.IMap<Object, Object> sync = hz.getMap(Names.SYNC_MAP);
        java.util.UUID entries = sync.addEntryListener(
                (com.hazelcast.map.listener.EntryRemovedListener<Object, Object>) e -> wake.run(), false);
        try {
            long deadline = System.nanoTime() + WAIT.toNanos();
            synchronized (changed) {
                long left;
                while (!leftoversOf(program).isEmpty() && (left = deadline - System.nanoTime()) > 0) {
                    TimeUnit.NANOSECONDS.timedWait(changed, left);
                }
            }
            return leftoversOf(program).isEmpty();
        } finally {
            hz.removeDistributedObjectListener(objects);
            sync.removeEntryListener(entries);
        }
    }

    private static void holdAndWait(List<String> members, byte[] key, ProcessQueue<String> program) {
        HAZELCAST_LOG.setLevel(Level.SEVERE);
        Cluster c = Cluster.connect(ClusterConfig.builder().members(members).authkey(key).build());
        ProcessContext ctx = c.context();
        try {
            ctx.queue().put("left behind");
            ctx.sharedLong(5);
            ctx.lock().lock();
            ctx.lock("held-by-c").lock();
            program.put(c.hazelcast().getLocalEndpoint().getUuid().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sleepForever(); // until killed
    }

    /** The structures and sync entries of the cluster whose ids start with {@code p.<program>.} (or the id itself). */
    private List<String> leftoversOf(String programOrId) {
        HazelcastInstance hz = cluster.hazelcast();
        String prefix = programOrId.startsWith("n.") ? programOrId : Names.programPrefix(programOrId);
        List<String> left = new ArrayList<>();
        for (DistributedObject o : hz.getDistributedObjects()) {
            if (o.getName().startsWith(Names.ALL) && o.getName().contains(prefix)) {
                left.add(o.getName());
            }
        }
        for (Object k : hz.getMap(Names.SYNC_MAP).keySet()) {
            if (k.toString().startsWith(prefix)) {
                left.add(k.toString());
            }
        }
        return left;
    }

    @Test
    @Order(8)
    void misuseGetsClearErrors() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> ctx.queue(-1));
        assertThrows(IllegalArgumentException.class, () -> ctx.semaphore(-1));
        assertThrows(IllegalArgumentException.class, () -> ctx.barrier(0));
        Object notSerializable = new Object();
        org.multiprocessing4j.ProcessSerializationException refused = assertThrows(
                org.multiprocessing4j.ProcessSerializationException.class,
                () -> ctx.barrier(2, () -> notSerializable.hashCode()));
        assertTrue(refused.getMessage().contains("the barrier action") && refused.getMessage().contains("java.lang.Object"),
                refused.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ctx.barrier(0, () -> { }));
        assertThrows(UnsupportedOperationException.class, () -> ctx.pipe());
        assertThrows(UnsupportedOperationException.class, () -> ctx.manager());
        assertThrows(IllegalArgumentException.class, () -> ctx.sharedLongArray(-1));
        ProcessCondition unheld = ctx.condition();
        assertThrows(IllegalMonitorStateException.class, unheld::signal);
        assertThrows(IllegalMonitorStateException.class, () -> unheld.await(Duration.ofMillis(10)));
        ProcessQueue<Object> q = ctx.queue(2);
        assertTrue(q.offer(1));
        assertTrue(q.offer(2));
        assertFalse(q.offer(3, 200, TimeUnit.MILLISECONDS), "a bounded queue refuses a third item");
        assertEquals(2, q.size());
        assertEquals(0, q.remainingCapacity());
        assertThrows(org.multiprocessing4j.ProcessSerializationException.class, () -> q.put(new Object()));
        q.close();
        assertThrows(IllegalStateException.class, q::poll);
        ProcessLock lock = ctx.lock();
        lock.lock();
        assertThrows(IllegalStateException.class, lock::lock, "a thread that takes its own lock again would wait forever");
        assertFalse(lock.tryLock(100, TimeUnit.MILLISECONDS));
        lock.unlock();
        // A process that is neither a driver nor started by a node cannot reach the cluster.
        ProcessQueue<String> why = ProcessQueue.create();
        SharedLong remote = ctx.sharedLong(1);
        JvmProcess local = Multiprocessing.getContext().process(() -> {
            String answer;
            try {
                remote.get();
                answer = "reached it";
            } catch (IllegalStateException e) {
                answer = e.getMessage();
            }
            try {
                why.put(answer);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        local.start();
        joinOk(local);
        String message = why.poll(Duration.ofSeconds(5));
        assertTrue(message != null && message.contains("cannot reach"), "a clear error: " + message);
    }

    /** Takes {@code n} items of {@code q} as fast as it can, so that they are taken ahead, and returns them. */
    private static int[] takeFast(ProcessQueue<Integer> q, int n) throws InterruptedException {
        int[] got = new int[n];
        for (int i = 0; i < n; i++) {
            Integer item = q.poll(Duration.ofSeconds(60));
            if (item == null) {
                throw new IllegalStateException("item " + i + " did not come within 60 s");
            }
            got[i] = item;
        }
        return got;
    }

    /** Puts 0..n-1 on {@code q} from a process on node sa, and waits until it has ended. */
    private void fill(ProcessQueue<Integer> q, int n) throws InterruptedException {
        joinOk(startOn("sa", () -> {
            try {
                for (int i = 0; i < n; i++) {
                    q.put(i);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
    }

    /** Takes every item left in {@code q} from the driver, checking that none was seen before. */
    private static void takeTheRest(ProcessQueue<Integer> q, BitSet seen, int n) throws InterruptedException {
        while (seen.cardinality() < n) {
            Integer item = q.poll(WAIT);
            assertNotNull(item, "item " + seen.cardinality() + " of " + n + " within 90 s; missing from " + seen.nextClearBit(0));
            assertFalse(seen.get(item), "item " + item + " delivered twice");
            seen.set(item);
        }
        assertNull(q.poll(Duration.ofMillis(200)), "no more than " + n + " items");
    }

    @Test
    @Order(12)
    void putsMadeBeforeASignalAreSeenByItsReceiver() throws Exception {
        ProcessQueue<Integer> q = ctx.queue();
        ProcessEvent done = ctx.event();
        JvmProcess producer = startOn("sb", () -> {
            try {
                for (int i = 0; i < 5_000; i++) {
                    q.put(i);
                }
                done.set();
                sleepForever(); // its puts must be in the cluster without its exit's help
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(done.await(WAIT), "the producer set the event within 90 s");
        assertEquals(5_000, q.size(), "the 5 000 puts made before set() are in the queue when it is set");
        producer.kill();
        assertTrue(producer.join(WAIT));
        BitSet seen = new BitSet();
        takeTheRest(q, seen, 5_000);
    }

    @Test
    @Order(13)
    void itemsTakenAheadByAProcessThatDiesGoToOthersAndNoneTwice() throws Exception {
        int n = 3_000;
        ProcessQueue<Integer> q = ctx.queue();
        ProcessQueue<int[]> report = ctx.queue();
        fill(q, n);
        JvmProcess consumer = startOn("sb", () -> {
            try {
                report.put(takeFast(q, 500));
                report.size(); // its report is in the cluster before it halts (a call waits for its puts)
                Runtime.getRuntime().halt(0); // no shutdown hooks, no goodbye: as a crash
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        int[] took = report.poll(WAIT);
        assertNotNull(took, "the consumer reported the 500 items it took within 90 s");
        assertTrue(consumer.join(WAIT));
        BitSet seen = new BitSet();
        for (int i : took) {
            assertFalse(seen.get(i), "item " + i + " taken twice by the consumer");
            seen.set(i);
        }
        takeTheRest(q, seen, n);
    }

    @Test
    @Order(14)
    void aProcessThatStopsTakingGivesBackWhatItTookAhead() throws Exception {
        int n = 3_000;
        ProcessQueue<Integer> q = ctx.queue();
        ProcessQueue<int[]> report = ctx.queue();
        ProcessEvent stop = ctx.event();
        fill(q, n);
        JvmProcess consumer = startOn("sc", () -> {
            try {
                report.put(takeFast(q, 500));
                stop.await(WAIT); // alive, and taking no more
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        int[] took = report.poll(WAIT);
        assertNotNull(took, "the consumer reported the 500 items it took within 90 s");
        BitSet seen = new BitSet();
        for (int i : took) {
            seen.set(i);
        }
        takeTheRest(q, seen, n); // while the consumer lives
        stop.set();
        joinOk(consumer);
    }

    @Test
    @Order(15)
    void aPutThatCouldNotBeAddedIsReportedByTheNextCall() throws Exception {
        JoinableProcessQueue<Integer> doomed = ctx.joinableQueue("doomed");
        ctx.destroy("doomed");
        ProcessQueue<String> answer = ctx.queue();
        JvmProcess p = startOn("sb", () -> {
            String what;
            try {
                doomed.put(1); // held: it returns before the relay finds the queue gone
                doomed.size();
                what = "no error";
            } catch (IllegalStateException e) {
                what = e.getMessage();
            } catch (InterruptedException e) {
                what = "interrupted";
            }
            try {
                answer.put(what);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        String what = answer.poll(WAIT);
        joinOk(p);
        assertNotNull(what, "the process answered within 90 s");
        assertTrue(what.contains("1 item(s) put on the joinable queue n.doomed were not added")
                && what.contains("no longer exists"), what);
        ctx.destroy("doomed"); // its size() made the queue again
    }

    @Test
    @Order(16)
    void aLockExcludesProcessesOfOneNodeOtherNodesAndTheDriverAlike() throws Exception {
        ProcessLock lock = ctx.lock();
        SharedLong value = ctx.sharedLong(0);
        // Many rounds in the processes: the lock and the value then live in a node's shared memory
        // (leased by its relay) and go to and fro between the nodes and the driver many times.
        int rounds = 2000;
        int driverRounds = 300;
        List<JvmProcess> ps = new ArrayList<>();
        for (String node : List.of("sa", "sa", "sb")) {
            ps.add(startOn(node, () -> {
                for (int i = 0; i < rounds; i++) {
                    lock.lock();
                    try {
                        value.set(value.get() + 1); // not atomic: only the lock keeps it exact
                    } finally {
                        lock.unlock();
                    }
                }
            }));
        }
        for (int i = 0; i < driverRounds; i++) {
            lock.lock();
            try {
                value.set(value.get() + 1);
            } finally {
                lock.unlock();
            }
        }
        for (JvmProcess p : ps) {
            joinOk(p);
        }
        assertEquals(3L * rounds + driverRounds, value.get(), "every read-modify-write under the lock counted once");
        assertFalse(lock.isLocked(), "nobody holds it (a node's idle lease does not count)");
    }

    @Test
    @Order(17)
    void aProcessWaitingOnTheSameNodeTakesOverFromOneThatDied() throws Exception {
        ProcessLock lock = ctx.lock();
        ProcessEvent locked = ctx.event();
        ProcessQueue<String> answer = ctx.queue();
        JvmProcess holder = startOn("sc", () -> {
            lock.lock();
            locked.set();
            sleepForever();
        });
        assertTrue(locked.await(WAIT), "the holder on sc took the lock within 90 s");
        JvmProcess next = startOn("sc", () -> {
            String what;
            try {
                java.util.logging.Logger.getLogger("org.multiprocessing4j").setLevel(Level.SEVERE); // the expected warning
                what = lock.tryLock(WAIT.toSeconds(), TimeUnit.SECONDS) ? "took it, after a death: " + lock.heldAfterOwnerDied()
                        : "timed out";
                answer.put(what);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        holder.kill();
        assertTrue(holder.join(WAIT));
        assertEquals("took it, after a death: true", answer.poll(WAIT), "the waiter on the same node learns of the death");
        joinOk(next);
        takeOverQuietly(lock); // the second holder ended holding it
        lock.unlock();
    }

    @Test
    @Order(18)
    void aLockIsFreedWhenItsHoldersProcessDiesWithAnotherOfItsThreadsWaiting() throws Exception {
        ProcessLock lock = ctx.lock();
        ProcessEvent locked = ctx.event();
        ProcessEvent waiting = ctx.event();
        JvmProcess holder = startOn("sb", () -> {
            lock.lock();
            locked.set();
            Thread second = new Thread(() -> {
                waiting.set();
                lock.lock(); // waits at the relay: it must not be given the lock once its process is dead
            });
            second.start();
            sleepForever();
        });
        assertTrue(locked.await(WAIT) && waiting.await(WAIT), "the holder on sb took the lock, and its second thread asked");
        holder.kill();
        assertTrue(holder.join(WAIT));
        takeOverQuietly(lock);
        assertTrue(lock.heldAfterOwnerDied(), "and the next holder is told");
        lock.unlock();
    }

    @Test
    @Order(100)
    void queuedItemsSurviveTheDeathOfTheMemberThatHeldThem() throws Exception {
        ProcessQueue<Integer> q = ctx.queue("survivor");
        for (int i = 0; i < 10_000; i++) {
            q.put(i);
        }
        HazelcastInstance hz = cluster.hazelcast();
        Partition partition = hz.getPartitionService().getPartition(Names.QUEUE_PREFIX + Names.named("survivor"));
        String owner = partition.getOwner().getAttribute(HazelcastSettings.NODE_ATTRIBUTE);
        int index = nodes.names.indexOf(owner);
        nodes.node(index).kill();
        nodes.node(index).join(WAIT);
        BitSet seen = new BitSet();
        for (int i = 0; i < 10_000; i++) {
            Integer item = q.poll(WAIT);
            assertNotNull(item, "item " + i + " of 10 000 after the death of " + owner);
            assertFalse(seen.get(item), "item " + item + " delivered twice");
            seen.set(item);
        }
        assertNull(q.poll(Duration.ofMillis(200)), "no more than 10 000");
        ctx.destroy("survivor");
        nodes.start(index);
        assertTrue(cluster.awaitNodes(3, Duration.ofSeconds(120)), () -> "node " + owner + " rejoined; logs:\n" + nodes.logs());
        nodes.awaitSafe(Duration.ofSeconds(120));
    }

    @Test
    @Order(101)
    void aBarrierBreaksWhenAPartysNodeDies() throws Exception {
        ProcessBarrier barrier = ctx.barrier(3);
        ProcessEvent roundTwo = ctx.event();
        List<JvmProcess> ps = new ArrayList<>();
        for (String node : List.of("sa", "sb", "sc")) {
            boolean late = node.equals("sc");
            ps.add(startOn(node, () -> {
                try {
                    barrier.await();
                    roundTwo.set();
                    if (late) {
                        sleepForever();
                    }
                    barrier.await();
                    System.exit(0);
                } catch (BrokenBarrierException e) {
                    System.exit(3);
                } catch (InterruptedException e) {
                    System.exit(4);
                }
            }));
        }
        assertTrue(roundTwo.await(WAIT), "the first round tripped within 90 s");
        // Whether the parties on sa and sb wait in round two already or arrive after, they find it broken.
        nodes.node(2).kill();
        for (int i = 0; i < 2; i++) {
            assertTrue(ps.get(i).join(WAIT), "the party on " + (i == 0 ? "sa" : "sb") + " woke within 90 s");
            assertEquals(OptionalInt.of(3), ps.get(i).exitCode(), "it got a BrokenBarrierException");
        }
        assertTrue(ps.get(2).join(WAIT));
        assertTrue(barrier.isBroken());
        nodes.node(2).join(WAIT);
        nodes.start(2);
        assertTrue(cluster.awaitNodes(3, Duration.ofSeconds(120)), () -> "node sc rejoined; logs:\n" + nodes.logs());
        nodes.awaitSafe(Duration.ofSeconds(120));
    }

    @Test
    @Order(102)
    void aValueChangedOnANodeBeforeItsProcessSaidSoOutlivesTheNode() throws Exception {
        SharedLong counter = ctx.sharedLong(0);
        ProcessQueue<String> said = ctx.queue();
        JvmProcess p = startOn("sb", () -> {
            for (int i = 0; i < 20_000; i++) {
                counter.incrementAndGet(); // in a loop: the node's relay takes the value's lease
            }
            try {
                said.put("counted");
            } catch (InterruptedException e) {
                return;
            }
            while (true) {
                counter.get(); // keeps the lease in use (and unwritten by time) until the node dies
            }
        });
        assertEquals("counted", said.poll(WAIT), "the process said within 90 s that it had counted");
        nodes.node(1).kill();
        nodes.node(1).join(WAIT);
        // The driver's read waits until the cluster frees the dead node's lease.
        assertEquals(20_000, counter.get(), "every increment made before the process said so outlived its node");
        assertTrue(p.join(WAIT), "the process ended with its node");
        nodes.start(1);
        assertTrue(cluster.awaitNodes(3, Duration.ofSeconds(120)), () -> "node sb rejoined; logs:\n" + nodes.logs());
        nodes.awaitSafe(Duration.ofSeconds(120));
    }

    private static void sleepForever() {
        try {
            Thread.sleep(TimeUnit.MINUTES.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
