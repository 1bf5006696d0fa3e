package org.multiprocessing4j.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.multiprocessing4j.AuthenticationException;
import org.multiprocessing4j.BrokenPoolException;
import org.multiprocessing4j.JvmProcess;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.ProcessContext;
import org.multiprocessing4j.ProcessPool;
import org.multiprocessing4j.ProcessQueue;
import org.multiprocessing4j.ProcessStartException;
import org.multiprocessing4j.SerializableCallable;
import org.multiprocessing4j.SerializableRunnable;
import org.multiprocessing4j.TaskFailedException;
import org.multiprocessing4j.WorkerDiedException;

/**
 * Processes on a cluster of three node JVMs on 127.0.0.1 (children of this JVM, on free ports),
 * seen from a driver in this JVM: exit kinds, output, placement, authentication, a class a node
 * lacks, and what happens when a driver or a node is killed. Since every node runs on this
 * machine, a remote pid can be checked here: its parent is the node that ran it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private LocalNodes nodes;
    private Cluster cluster;
    private final Capture out = new Capture(System.out);
    private final Capture err = new Capture(System.err);
    /** Hazelcast's warnings about the nodes these tests kill are expected: kept out of the build log. */
    private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");

    @BeforeAll
    void startNodes() throws InterruptedException {
        nodes = new LocalNodes(3, "n");
        cluster = Cluster.connect(nodes.config());
        assertTrue(cluster.awaitNodes(3, Duration.ofSeconds(120)), () -> "3 nodes within 120 s; they logged:\n" + nodes.logs());
        HAZELCAST_LOG.setLevel(Level.SEVERE);
        System.setOut(out);
        System.setErr(err);
    }

    @AfterAll
    void stopNodes() throws InterruptedException {
        System.setOut(out.original);
        System.setErr(err.original);
        if (cluster != null) {
            cluster.close();
        }
        if (nodes != null) {
            nodes.stop();
        }
        assertTrue(LocalNodes.awaitGone(ProcessHandle.current().descendants().map(ProcessHandle::pid).collect(Collectors.toSet())),
                "no process left after the nodes stopped");
    }

    @AfterEach
    void onlyTheNodesAreLeft() throws InterruptedException {
        Set<Long> others = nodes.othersThanNodes();
        assertTrue(LocalNodes.awaitGone(others), () -> "processes left besides the nodes: " + describe(others));
    }

    private static String describe(Set<Long> pids) {
        return pids.stream().map(pid -> pid + " " + ProcessHandle.of(pid).map(h -> "(parent "
                + h.parent().map(ProcessHandle::pid).orElse(-1L) + ") " + h.info().commandLine().orElse("?"))
                .orElse("(gone)")).collect(Collectors.joining("\n  ", "\n  ", ""));
    }

    private long parentOf(long pid) {
        return ProcessHandle.of(pid).flatMap(ProcessHandle::parent).map(ProcessHandle::pid).orElse(-1L);
    }

    @Test
    @Order(1)
    void aProcessOnANamedNodeEndsAsItWouldLocally() throws Exception {
        ProcessContext nb = cluster.context("nb");
        JvmProcess ok = nb.process("remote-ok", () -> System.out.println("hello from " + Multiprocessing.currentProcess().getName()));
        ok.start();
        assertTrue(ok.join(WAIT), "remote-ok ended within 60 s");
        assertEquals(OptionalInt.of(0), ok.exitCode());
        assertTrue(ok.exception().isEmpty());
        assertTrue(out.text().contains("[remote-ok@nb] hello from remote-ok"),
                () -> "its line, prefixed, printed before join returned; printed: " + out.text());

        JvmProcess exits = nb.process(() -> System.exit(3));
        exits.start();
        assertTrue(exits.join(WAIT));
        assertEquals(OptionalInt.of(3), exits.exitCode());

        JvmProcess thrower = nb.process("thrower", () -> {
            throw new IllegalStateException("boom");
        });
        thrower.start();
        assertTrue(thrower.join(WAIT));
        assertEquals(OptionalInt.of(1), thrower.exitCode());
        IllegalStateException e = assertInstanceOf(IllegalStateException.class, thrower.exception().orElseThrow());
        assertEquals("boom", e.getMessage());
        assertTrue(err.text().contains("[thrower@nb] java.lang.IllegalStateException: boom"), err::text);

        for (boolean kill : new boolean[] {false, true}) {
            JvmProcess sleeper = nb.process(ClusterIT::sleep);
            sleeper.start();
            assertTrue(sleeper.isAlive());
            assertEquals(nodes.node(1).pid(), parentOf(sleeper.pid()), "the process runs under node nb's JVM");
            if (kill) {
                sleeper.kill();
            } else {
                sleeper.terminate();
            }
            assertTrue(sleeper.join(WAIT), "the signalled process ended within 60 s");
            assertEquals(OptionalInt.of(kill ? -9 : -15), sleeper.exitCode());
            assertFalse(sleeper.isAlive());
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(600_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    @Order(2)
    void processesSpreadOverTheLeastLoadedNodes() throws Exception {
        List<JvmProcess> sleepers = new ArrayList<>();
        Set<Long> parents = new HashSet<>();
        try {
            for (int i = 0; i < 3; i++) {
                JvmProcess p = cluster.context().process(ClusterIT::sleep);
                p.start();
                sleepers.add(p);
                parents.add(parentOf(p.pid()));
            }
            Set<Long> nodePids = Set.of(nodes.node(0).pid(), nodes.node(1).pid(), nodes.node(2).pid());
            assertEquals(nodePids, parents, "one process on each of the three nodes");
        } finally {
            for (JvmProcess p : sleepers) {
                p.kill();
            }
            for (JvmProcess p : sleepers) {
                assertTrue(p.join(WAIT));
            }
        }
    }

    @Test
    @Order(3)
    void aDriverWithAWrongAuthkeyIsRefusedAndTheNodeServesOthers() throws Exception {
        byte[] wrong = nodes.authkey.clone();
        wrong[0] ^= 1;
        try (Cluster impostor = Cluster.connect(ClusterConfig.builder().members(nodes.addresses).authkey(wrong).build())) {
            JvmProcess p = impostor.context("na").process(() -> System.out.println("must not run"));
            AuthenticationException e = assertThrows(AuthenticationException.class, p::start);
            assertTrue(e.getMessage().contains("node 'na' refused") && e.getMessage().contains("authkey"), e.getMessage());
        }
        JvmProcess p = cluster.context("na").process(() -> { });
        p.start();
        assertTrue(p.join(WAIT));
        assertEquals(OptionalInt.of(0), p.exitCode());
        assertFalse(out.text().contains("must not run"));
    }

    @Test
    @Order(3)
    void aClientWithoutTheKeyCannotMakeANodeDecodeTheLibrarysClasses() throws Exception {
        // Hazelcast Community lets any client in: the library's own classes must not be
        // Java-deserializable on a node, or a pool's ChunkCall would run whatever it was given.
        com.hazelcast.core.HazelcastInstance intruder = com.hazelcast.client.HazelcastClient.newHazelcastClient(
                org.multiprocessing4j.cluster.internal.HazelcastSettings.client(ClusterConfig.DEFAULT_CLUSTER_NAME,
                        nodes.addresses, Duration.ofSeconds(30), List.of()));
        try {
            com.hazelcast.cluster.Member member = intruder.getCluster().getMembers().iterator().next();
            java.util.concurrent.Future<byte[]> f = intruder.getExecutorService("anything").submitToMember(
                    new org.multiprocessing4j.internal.pool.ChunkCall(null, new byte[0]), member);
            java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> f.get(60, TimeUnit.SECONDS));
            StringBuilder chain = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause()) {
                chain.append(t).append('\n');
            }
            assertTrue(chain.toString().contains("is not allowed"), "refused by the serialization filter: " + chain);
        } finally {
            intruder.shutdown();
        }
    }

    @Test
    @Order(4)
    void aClassANodeLacksFailsTheStartNamingTheClassAndTheNode(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path source = dir.resolve("OnlyOnTheDriver.java");
        Files.writeString(source, "public class OnlyOnTheDriver implements org.multiprocessing4j.SerializableRunnable {"
                + " public void run() { System.out.println(\"ran\"); } }");
        Path task = dir.resolve("OnlyOnTheDriverTask.java");
        Files.writeString(task, "public class OnlyOnTheDriverTask implements org.multiprocessing4j.SerializableCallable<String> {"
                + " public String call() { return \"ran\"; } }");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, "-cp", System.getProperty("java.class.path"), "-d",
                dir.toString(), source.toString(), task.toString()), "the classes compiled");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            SerializableRunnable target = (SerializableRunnable) loader.loadClass("OnlyOnTheDriver")
                    .getDeclaredConstructor().newInstance();
            JvmProcess p = cluster.context("nc").process(target);
            ProcessStartException e = assertThrows(ProcessStartException.class, p::start);
            assertTrue(e.getMessage().contains("class OnlyOnTheDriver is not on that node's class path")
                    && e.getMessage().contains("node 'nc'"), e.getMessage());

            @SuppressWarnings("unchecked")
            SerializableCallable<String> callable = (SerializableCallable<String>) loader.loadClass("OnlyOnTheDriverTask")
                    .getDeclaredConstructor().newInstance();
            Thread self = Thread.currentThread();
            ClassLoader before = self.getContextClassLoader();
            self.setContextClassLoader(loader); // so that the driver's pool accepts the task
            try (ProcessPool pool = cluster.context().pool(1)) {
                TaskFailedException failed = assertThrows(TaskFailedException.class, () -> pool.apply(callable));
                String m = String.valueOf(failed.getCause());
                assertTrue(m.contains("OnlyOnTheDriverTask") && m.contains("on node 'n"), m);
            } finally {
                self.setContextClassLoader(before);
            }
        }
    }

    @Test
    @Order(5)
    void misuseGetsClearErrors() {
        JvmProcess p = cluster.context("no-such-node").process(() -> { });
        ProcessStartException e = assertThrows(ProcessStartException.class, p::start);
        assertTrue(e.getMessage().contains("no node of that name") && e.getMessage().contains("na"), e.getMessage());
        UnsupportedOperationException u = assertThrows(UnsupportedOperationException.class, () -> cluster.context().pipe());
        assertThrows(UnsupportedOperationException.class, () -> cluster.context("na").pool(1));
        assertTrue(u.getMessage().contains("ctx.pipe() is not available on a cluster context"), u.getMessage());
        assertThrows(NullPointerException.class, () -> cluster.context(null));
        assertThrows(NullPointerException.class, () -> cluster.context().bind(null));
        assertEquals(List.of("na", "nb", "nc"), cluster.nodes().stream().sorted().collect(Collectors.toList()));
        assertThrows(NullPointerException.class, () -> cluster.awaitNodes(1, null));
        assertThrows(NullPointerException.class, () -> Cluster.connect(null));

        IllegalStateException twin = assertThrows(IllegalStateException.class, () -> ClusterNode.builder()
                .bind("127.0.0.1:" + LocalNodes.freePort()).members(nodes.addresses.toArray(new String[0]))
                .authkey(nodes.authkey).name("na").start());
        assertTrue(twin.getMessage().contains("already has a node of that name"), twin.getMessage());
        HAZELCAST_LOG.setLevel(Level.SEVERE); // a member started in this JVM set Hazelcast's logging up anew

        Cluster other = Cluster.connect(nodes.config());
        other.close();
        other.close(); // idempotent
        IllegalStateException closed = assertThrows(IllegalStateException.class, other::context);
        assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
        assertThrows(IllegalStateException.class, () -> other.context("na"));
        assertThrows(IllegalStateException.class, other::nodes);
        assertThrows(IllegalStateException.class, () -> other.awaitNodes(1, Duration.ofSeconds(1)));

        IllegalStateException unreachable = assertThrows(IllegalStateException.class, () -> Cluster.connect(
                ClusterConfig.builder().members("127.0.0.1:" + LocalNodes.freePort()).authkey(nodes.authkey)
                        .connectTimeout(Duration.ofSeconds(2)).build()));
        assertTrue(unreachable.getMessage().contains("could not connect to cluster 'multiprocessing4j'"),
                unreachable.getMessage());
    }

    @Test
    @Order(6)
    void aKilledDriverLeavesNoProcessOnAnyNode() throws Exception {
        List<String> members = List.copyOf(nodes.addresses);
        byte[] key = nodes.authkey.clone();
        try (ProcessQueue<List<Long>> pids = ProcessQueue.create()) {
            JvmProcess driver = new JvmProcess("driver", () -> runDriver(members, key, pids));
            driver.start();
            List<Long> remote = pids.poll(WAIT.toSeconds() * 2, TimeUnit.SECONDS);
            assertNotEquals(null, remote, "the driver reported the pids of its processes and pool workers within 120 s");
            assertTrue(remote.size() >= 6, "3 processes and at least 3 pool workers: " + remote);
            driver.kill();
            assertTrue(driver.join(WAIT));
            assertTrue(LocalNodes.awaitGone(new HashSet<>(remote)),
                    "the driver's processes and pool workers on the nodes ended within 30 s of its death");
        }
    }

    private static void runDriver(List<String> members, byte[] key, ProcessQueue<List<Long>> pids) {
        HAZELCAST_LOG.setLevel(Level.SEVERE);
        try (Cluster c = Cluster.connect(ClusterConfig.builder().members(members).authkey(key).build())) {
            List<Long> all = new ArrayList<>();
            for (String node : List.of("na", "nb", "nc")) {
                JvmProcess p = c.context(node).process(ClusterIT::sleep);
                p.start();
                all.add(p.pid());
            }
            ProcessPool pool = c.context().pool(3);
            all.addAll(new HashSet<>(pool.map(x -> ProcessHandle.current().pid(),
                    IntStream.range(0, 60).boxed().collect(Collectors.toList()), 1)));
            pids.put(all);
            Thread.sleep(600_000); // until killed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    @Order(100)
    void aKilledNodeEndsItsProcessesWithNodeDied() throws Exception {
        JvmProcess p = cluster.context("nc").process("on-nc", ClusterIT::sleep);
        p.start();
        long pid = p.pid();
        nodes.node(2).kill();
        assertTrue(p.join(WAIT), () -> "the process of the killed node ended within 60 s; nodes: " + cluster.nodes()
                + "; the driver logged:\n" + err.text());
        assertEquals(OptionalInt.of(-9), p.exitCode());
        NodeDiedException e = assertInstanceOf(NodeDiedException.class, p.exception().orElseThrow());
        assertEquals("nc", e.node());
        assertTrue(e.getMessage().contains("on-nc"), e.getMessage());
        assertTrue(LocalNodes.awaitGone(Set.of(pid)), "its JVM ended with its node");
        JvmProcess elsewhere = cluster.context().process(() -> { });
        elsewhere.start();
        assertTrue(elsewhere.join(WAIT), "the cluster goes on with the other nodes");
        assertEquals(OptionalInt.of(0), elsewhere.exitCode());
        nodes.node(2).join(WAIT);
        nodes.start(2);
        assertTrue(cluster.awaitNodes(3, Duration.ofSeconds(120)), () -> "node nc rejoined; logs:\n" + nodes.logs());
        nodes.awaitSafe(Duration.ofSeconds(120));
    }

    /** The pid of the node JVM that runs the calling pool worker (its parent). */
    private static long nodeOfThisWorker() {
        return ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
    }

    @Test
    @Order(7)
    void aPoolMapsTenThousandItemsAcrossTheNodes() throws Exception {
        try (ProcessPool pool = cluster.context().pool(3)) {
            List<Integer> items = IntStream.range(0, 10_000).boxed().collect(Collectors.toList());
            List<Long> squares = pool.map(x -> (long) x * x, items);
            assertEquals(10_000, squares.size());
            for (int i = 0; i < 10_000; i++) {
                assertEquals((long) i * i, squares.get(i), "item " + i + " in its place");
            }
            Set<Long> where = new HashSet<>(pool.map(x -> nodeOfThisWorker(), IntStream.range(0, 300).boxed()
                    .collect(Collectors.toList()), 1));
            assertEquals(Set.of(nodes.node(0).pid(), nodes.node(1).pid(), nodes.node(2).pid()), where,
                    "the work ran on every node");
            assertEquals(42, pool.apply(() -> 42));
            assertEquals("x", pool.applyAsync(() -> "x").get(60, TimeUnit.SECONDS));
            List<Integer> imapped = new ArrayList<>();
            pool.imap(x -> x + 1, List.of(1, 2, 3)).forEachRemaining(imapped::add);
            assertEquals(List.of(2, 3, 4), imapped);
            TaskFailedException failed = assertThrows(TaskFailedException.class, () -> pool.apply(() -> {
                throw new IllegalArgumentException("bad item");
            }));
            assertInstanceOf(IllegalArgumentException.class, failed.getCause());
            pool.shutdown();
            assertTrue(pool.join(WAIT), "the pool ended within 60 s of shutdown");
        }
    }

    /** As on one machine: an initializer that fails on a node breaks the whole pool. */
    @Test
    @Order(8)
    void aFailingInitializerBreaksThePoolWithABrokenPoolException() throws Exception {
        try (ProcessPool pool = cluster.context().poolBuilder().processes(3).initializer(() -> {
            throw new IllegalStateException("no database");
        }).build()) {
            BrokenPoolException e = assertThrows(BrokenPoolException.class, () -> pool.apply(() -> 1));
            assertTrue(e.getMessage().contains("on node '") && e.getMessage().contains("its initializer failed")
                    && e.getMessage().contains("no database"), "the message names the node and the initializer's"
                    + " exception: " + e.getMessage());
            BrokenPoolException later = assertThrows(BrokenPoolException.class, () -> pool.applyAsync(() -> 2));
            assertTrue(later.getMessage().contains("no database"), later.getMessage());
            assertTrue(pool.isShutdown(), "a broken pool takes no new tasks");
            assertTrue(pool.join(WAIT), "a broken pool ends within 60 s");
        }
    }

    @Test
    @Order(101)
    void aKilledNodeFailsOnlyItsPoolTasksAndANodeThatJoinsGetsWork() throws Exception {
        try (ProcessPool pool = cluster.context().pool(3)) {
            List<CompletableFuture<Long>> futures = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                futures.add(pool.applyAsync(() -> {
                    Thread.sleep(200);
                    return nodeOfThisWorker();
                }));
            }
            futures.get(0).get(60, TimeUnit.SECONDS); // work is under way
            nodes.node(2).kill();
            int ok = 0;
            int lost = 0;
            for (CompletableFuture<Long> f : futures) {
                try {
                    f.get(60, TimeUnit.SECONDS); // it ran on a node that lived, or on nc before nc died
                    ok++;
                } catch (java.util.concurrent.ExecutionException e) {
                    WorkerDiedException died = assertInstanceOf(WorkerDiedException.class, e.getCause());
                    assertTrue(died.getMessage().contains("node 'nc'"), died.getMessage());
                    lost++;
                }
            }
            assertTrue(ok > 0 && lost > 0 && ok + lost == 60, "some tasks lost with node nc, the rest done: "
                    + ok + " done, " + lost + " lost");
            List<Integer> after = pool.map(x -> x, List.of(1, 2, 3, 4, 5, 6));
            assertEquals(List.of(1, 2, 3, 4, 5, 6), after, "the pool goes on with the other nodes");
            nodes.node(2).join(WAIT);
            nodes.start(2);
            assertTrue(cluster.awaitNodes(3, Duration.ofSeconds(120)), () -> "node nc rejoined; logs:\n" + nodes.logs());
            nodes.awaitSafe(Duration.ofSeconds(120));
            long rejoined = nodes.node(2).pid();
            boolean gotWork = false;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!gotWork && System.nanoTime() < deadline) { // its pool workers boot meanwhile
                gotWork = pool.map(x -> nodeOfThisWorker(), IntStream.range(0, 60).boxed().collect(Collectors.toList()), 1)
                        .contains(rejoined);
            }
            assertTrue(gotWork, () -> "the node that joined got work within 120 s; the driver logged:\n" + err.text());
        }
    }

    /** This JVM's standard output or error, kept here, so a test can look at what the driver printed. */
    private static final class Capture extends PrintStream {
        final PrintStream original;
        private final ByteArrayOutputStream kept;

        Capture(PrintStream original) {
            this(original, new ByteArrayOutputStream());
        }

        private Capture(PrintStream original, ByteArrayOutputStream kept) {
            super(new OutputStream() {
                @Override
                public void write(int b) {
                    kept.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    kept.write(b, off, len);
                }
            }, true, StandardCharsets.UTF_8);
            this.original = original;
            this.kept = kept;
        }

        synchronized String text() {
            flush();
            return kept.toString(StandardCharsets.UTF_8);
        }
    }
}
