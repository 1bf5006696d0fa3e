package org.multiprocessing4j.cluster;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.multiprocessing4j.JvmProcess;
import org.multiprocessing4j.cluster.internal.HazelcastSettings;

/**
 * Cluster nodes for tests: each a child JVM of the test JVM (so it dies with it), bound to
 * 127.0.0.1 on a free port, its standard error (Hazelcast's warnings) written to a file under
 * target/ that a failing test can show instead of the build log.
 */
final class LocalNodes {
    private static final Duration STOP = Duration.ofSeconds(60);

    final byte[] authkey = new byte[32];
    final List<String> names = new ArrayList<>();
    final List<String> addresses = new ArrayList<>();
    private final List<JvmProcess> nodes = new ArrayList<>();
    private final Path logs;

    LocalNodes(int count, String prefix) {
        new SecureRandom().nextBytes(authkey);
        try {
            logs = Files.createDirectories(Path.of("target", "cluster-it-logs"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int i = 0; i < count; i++) {
            names.add(prefix + (char) ('a' + i));
            try {
                Files.deleteIfExists(logs.resolve(names.get(i) + ".log")); // a restart appends; a new run starts afresh
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            addresses.add("127.0.0.1:" + freePort());
            nodes.add(null);
        }
        for (int i = 0; i < count; i++) {
            start(i);
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts node {@code i} (again). */
    void start(int i) {
        String bind = addresses.get(i);
        String name = names.get(i);
        try {
            Files.deleteIfExists(logs.resolve(name + ".safe")); // what it said before it died
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String[] members = addresses.toArray(new String[0]);
        byte[] key = authkey.clone();
        String log = logs.resolve(name + ".log").toAbsolutePath().toString();
        String safety = logs.resolve(name + ".safe").toAbsolutePath().toString();
        JvmProcess node = new JvmProcess("node-" + name, () -> runNode(bind, members, key, name, log, safety));
        node.setJvmOptions(HazelcastSettings.JVM_OPTIONS);
        node.start();
        nodes.set(i, node);
    }

    private static void runNode(String bind, String[] members, byte[] key, String name, String log, String safety) {
        try {
            System.setErr(new PrintStream(new FileOutputStream(log, true), true, StandardCharsets.UTF_8));
            Logger.getLogger("com.hazelcast").setLevel(Level.WARNING);
            ClusterNode node = ClusterNode.builder().bind(bind).members(members).authkey(key).name(name).start();
            Thread reporter = new Thread(() -> reportSafety(Path.of(safety), members.length), "test-safety-" + name);
            reporter.setDaemon(true);
            reporter.start();
            node.awaitClose();
        } catch (InterruptedException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * In a node's JVM: writes, every 100 ms, the time and whether its member finds its own
     * partitions safe (no migration under way, their backups in step) with all {@code count}
     * nodes in the cluster, for {@link #awaitSafe}. With fewer members it does not ask (a check
     * would wait for the dead one).
     */
    private static void reportSafety(Path file, int count) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        while (true) {
            boolean safe;
            try {
                Set<HazelcastInstance> members = Hazelcast.getAllHazelcastInstances();
                safe = !members.isEmpty() && members.stream().allMatch(h -> h.getCluster().getMembers().size() == count
                        && h.getPartitionService().isLocalMemberSafe());
            } catch (RuntimeException e) {
                safe = false;
            }
            try {
                Files.writeString(tmp, System.currentTimeMillis() + " " + safe);
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                Thread.sleep(100);
            } catch (IOException | InterruptedException e) {
                return;
            }
        }
    }

    /**
     * Waits until every node finds its partitions safe, as it reported after this call began: a
     * node killed before the migrations that a join started have ended could take with it the
     * only copy of an entry (Hazelcast's one backup is in step only once they have).
     */
    void awaitSafe(Duration timeout) throws InterruptedException {
        long since = System.currentTimeMillis();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<String> unsafe = new ArrayList<>();
            for (String n : names) {
                String said;
                try {
                    said = Files.readString(logs.resolve(n + ".safe"));
                } catch (IOException e) {
                    said = "0 false";
                }
                String[] parts = said.split(" ");
                if (Long.parseLong(parts[0]) <= since || !Boolean.parseBoolean(parts[1])) {
                    unsafe.add(n + " (" + said + ")");
                }
            }
            if (unsafe.isEmpty()) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("the cluster was not safe within " + timeout.toSeconds() + " s: " + unsafe);
            }
            Thread.sleep(50); // a bounded poll of what the nodes write
        }
    }

    ClusterConfig config() {
        return ClusterConfig.builder().members(addresses).authkey(authkey).build();
    }

    JvmProcess node(int i) {
        return nodes.get(i);
    }

    /** What the nodes wrote to their standard error, for a failure message. */
    String logs() {
        StringBuilder b = new StringBuilder();
        for (String n : names) {
            try {
                b.append("--- node ").append(n).append(":\n").append(Files.readString(logs.resolve(n + ".log")));
            } catch (IOException e) {
                b.append("--- node ").append(n).append(": no log\n");
            }
        }
        return b.toString();
    }

    /** The descendants of this JVM other than the nodes (processes a test started and should have ended). */
    Set<Long> othersThanNodes() {
        Set<Long> nodePids = new HashSet<>();
        for (JvmProcess n : nodes) {
            if (n != null) {
                nodePids.add(n.pid());
            }
        }
        return ProcessHandle.current().descendants().map(ProcessHandle::pid)
                .filter(p -> !nodePids.contains(p)).collect(Collectors.toSet());
    }

    /** Waits up to 30 s for every process of {@code pids} to end; kills the first that does not and says false. */
    static boolean awaitGone(Set<Long> pids) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (long pid : pids) {
            ProcessHandle h = ProcessHandle.of(pid).orElse(null);
            if (h == null) {
                continue;
            }
            try {
                h.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException e) {
                h.destroyForcibly();
                return false;
            }
        }
        return true;
    }

    /** Stops every node with SIGTERM (SIGKILL after a minute, which fails the test). */
    void stop() throws InterruptedException {
        for (JvmProcess n : nodes) {
            if (n != null) {
                n.terminate();
            }
        }
        for (JvmProcess n : nodes) {
            if (n != null && !n.join(STOP)) {
                n.kill();
                n.join(STOP);
                throw new AssertionError("node " + n.getName() + " did not end within " + STOP.toSeconds()
                        + " s of SIGTERM; killed");
            }
        }
    }
}
