package org.multiprocessing4j.benchmarks;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.multiprocessing4j.JvmProcess;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.StartMethod;
import org.multiprocessing4j.cluster.ClusterConfig;
import org.multiprocessing4j.cluster.ClusterNode;

/**
 * Cluster nodes for the cluster comparison ({@link ClusterBench}), as the cluster module's tests
 * start them: each a SPAWN child JVM of this JVM (so it dies with it) with
 * {@link ClusterNode#JVM_OPTIONS}, bound to 127.0.0.1 on a free port, one random 32-byte authkey
 * for all, allowing Hazelcast to Java-deserialize this package's classes (the raw executor's
 * task). A node's standard error (Hazelcast's warnings, which are SEVERE-only here anyway) goes
 * to a file in a temporary directory, shown by {@link #logs()} when something fails and deleted
 * by {@link #stop()}.
 */
final class LocalCluster {
    private static final Duration STOP = Duration.ofSeconds(60);
    /** How long a driver tries to reach the nodes, which may still be booting. */
    private static final Duration BOOT = Duration.ofSeconds(120);
    /** Kept so that the level set in a node stays set (the logging system holds loggers weakly). */
    private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");

    private final byte[] authkey = new byte[32];
    private final List<String> names = new ArrayList<>();
    private final List<String> addresses = new ArrayList<>();
    private final List<JvmProcess> nodes = new ArrayList<>();
    private final Path logs;

    /**
     * Starts {@code count} nodes named {@code prefix} + a, b, c...; they may still be booting and
     * joining when this returns.
     */
    LocalCluster(int count, String prefix) throws IOException {
        new SecureRandom().nextBytes(authkey);
        logs = Files.createTempDirectory("mp4j-cluster-bench-");
        for (int i = 0; i < count; i++) {
            names.add(prefix + (char) ('a' + i));
            addresses.add("127.0.0.1:" + freePort());
        }
        try {
            for (int i = 0; i < count; i++) {
                start(i);
            }
        } catch (RuntimeException e) {
            try {
                stop();
            } catch (Exception s) {
                e.addSuppressed(s);
            }
            throw e;
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void start(int i) {
        String bind = addresses.get(i);
        String name = names.get(i);
        String[] members = addresses.toArray(new String[0]);
        byte[] key = authkey.clone();
        String log = logs.resolve(name + ".log").toAbsolutePath().toString();
        JvmProcess node = Multiprocessing.getContext(StartMethod.SPAWN).process("node-" + name,
                () -> runNode(bind, members, key, name, log));
        node.setJvmOptions(ClusterNode.JVM_OPTIONS);
        node.start();
        nodes.add(node);
    }

    /** A node JVM's target: runs the node until the JVM is told to end. */
    private static void runNode(String bind, String[] members, byte[] key, String name, String log) {
        try {
            System.setErr(new PrintStream(new FileOutputStream(log, true), true, StandardCharsets.UTF_8));
            HAZELCAST_LOG.setLevel(Level.SEVERE);
            // The raw IExecutorService rows send Targets.RawPlusOne, a plain Serializable task that
            // Hazelcast itself deserializes: nodes Java-deserialize no class of the library's
            // packages unless allowed.
            ClusterNode.builder().bind(bind).members(members).authkey(key).name(name)
                    .allowPackages(LocalCluster.class.getPackageName()).start().awaitClose();
        } catch (InterruptedException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A driver's configuration for these nodes. */
    ClusterConfig config() {
        return ClusterConfig.builder().members(addresses).authkey(authkey).connectTimeout(BOOT).build();
    }

    /** The nodes' addresses, host:port. */
    List<String> addresses() {
        return List.copyOf(addresses);
    }

    /** The node JVMs' pids. */
    List<Long> pids() {
        return nodes.stream().map(JvmProcess::pid).toList();
    }

    /** Whether some node JVM has ended. */
    boolean anyDead() {
        for (JvmProcess n : nodes) {
            if (!n.isAlive()) {
                return true;
            }
        }
        return false;
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

    /**
     * Stops every node with SIGTERM and waits for it (SIGKILL after a minute, then throws), then
     * deletes the logs.
     */
    void stop() throws InterruptedException {
        for (JvmProcess n : nodes) {
            n.terminate();
        }
        List<String> killed = new ArrayList<>();
        for (JvmProcess n : nodes) {
            if (!n.join(STOP)) {
                n.kill();
                n.join(STOP);
                killed.add(n.getName());
            }
        }
        deleteLogs();
        if (!killed.isEmpty()) {
            throw new IllegalStateException("nodes " + killed + " did not end within " + STOP.toSeconds()
                    + " s of SIGTERM; killed");
        }
    }

    private void deleteLogs() {
        try (Stream<Path> files = Files.list(logs)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(logs);
        } catch (IOException ignored) {
            // a few log files in the temporary directory
        }
    }
}
