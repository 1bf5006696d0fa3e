package org.multiprocessing4j.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.multiprocessing4j.JoinableProcessQueue;
import org.multiprocessing4j.JvmProcess;
import org.multiprocessing4j.ProcessContext;
import org.multiprocessing4j.ProcessPool;
import org.multiprocessing4j.SharedLong;
import org.multiprocessing4j.cluster.Cluster;
import org.multiprocessing4j.cluster.ClusterConfig;
import org.multiprocessing4j.cluster.ClusterNode;

/**
 * The workers of {@code multiprocessing_simpleargs.py} and a pool {@code map}, on a cluster: the same
 * {@link ProcessContext} code, with the context taken from a {@link Cluster} instead of
 * {@code Multiprocessing.getContext()}. So that it needs no set-up, it starts two cluster nodes
 * itself, on this machine (each a child JVM bound to 127.0.0.1 on a free port), and stops them
 * at the end.
 *
 * <p>On real machines, run a node on each with the application's class path and a shared key
 * file, then connect to any of them:
 *
 * <pre>
 * java -cp app.jar:libs/* org.multiprocessing4j.cluster.ClusterNode \
 *      --bind 10.0.0.1:5701 --members 10.0.0.1:5701,10.0.0.2:5701 --authkey-file cluster.key --name a
 * </pre>
 *
 * <p>Prints {@code [Process-N@node-x] Worker: i} for i from 0 to 4 (any order: each line is
 * forwarded from the node that ran it, prefixed with the process and node), then which nodes the
 * workers ran on and their exit codes, then the squares of 0 to 9 from a pool of four workers
 * spread over the two nodes, then the sum of 1 to 100 that consumers on both nodes added up from
 * one joinable queue of the cluster into one shared long.
 */
public final class ClusterExample {
    /** Kept so the level set in {@link #main} stays set: the logging system holds loggers weakly. */
    private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");

    private ClusterExample() {
    }

    /** What a consumer takes to mean "no more jobs". */
    static final int STOP = -1;

    /** A consumer: adds the jobs it takes to {@code total} until it takes {@link #STOP}. */
    static void consume(JoinableProcessQueue<Integer> jobs, SharedLong total) {
        try {
            for (int job = jobs.take(); job != STOP; job = jobs.take()) {
                total.addAndGet(job);
                jobs.taskDone();
            }
            jobs.taskDone();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

        /** What each worker runs, with its own number. */
    static void worker(int num) {
        System.out.println("Worker: " + num);
    }

    public static void main(String[] args) throws InterruptedException {
        // The nodes are stopped at the end; their leaving is no news here.
        HAZELCAST_LOG.setLevel(Level.SEVERE);
        byte[] authkey = new byte[32];
        new SecureRandom().nextBytes(authkey);
        List<String> addresses = List.of("127.0.0.1:" + freePort(), "127.0.0.1:" + freePort());
        List<JvmProcess> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < addresses.size(); i++) {
                nodes.add(startNode("node-" + (char) ('a' + i), addresses.get(i), addresses, authkey));
            }
            ClusterConfig config = ClusterConfig.builder().members(addresses).authkey(authkey).build();
            try (Cluster cluster = Cluster.connect(config)) {
                if (!cluster.awaitNodes(2, Duration.ofSeconds(120))) {
                    throw new IllegalStateException("the two nodes did not form a cluster within 120 s");
                }
                ProcessContext ctx = cluster.context();
                List<JvmProcess> workers = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    int num = i;
                    JvmProcess p = ctx.process(() -> worker(num));
                    p.start();
                    workers.add(p);
                }
                List<Integer> codes = new ArrayList<>();
                for (JvmProcess p : workers) {
                    p.join();
                    codes.add(p.exitCode().orElseThrow());
                }
                System.out.println("workers ran on " + new TreeSet<>(cluster.nodes()) + ", exit codes " + codes);
                // A pool's workers are spread over the nodes too; map keeps the items' order.
                try (ProcessPool pool = ctx.pool(4)) {
                    List<Integer> squares = pool.map(x -> x * x, List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
                    System.out.println("squares from a pool across the nodes: " + squares);
                }
                // The shared objects live in the cluster too: consumers on both nodes take jobs from
                // one joinable queue and add them up in one shared long, as they would on one machine.
                JoinableProcessQueue<Integer> jobs = ctx.joinableQueue();
                SharedLong total = ctx.sharedLong(0);
                List<JvmProcess> consumers = new ArrayList<>();
                for (String node : new TreeSet<>(cluster.nodes())) {
                    JvmProcess c = cluster.context(node).process(() -> consume(jobs, total));
                    c.start();
                    consumers.add(c);
                }
                for (int i = 1; i <= 100; i++) {
                    jobs.put(i);
                }
                jobs.join();
                System.out.println("consumers on both nodes added up 1..100: " + total.get());
                for (JvmProcess c : consumers) {
                    jobs.put(STOP);
                }
                for (JvmProcess c : consumers) {
                    c.join();
                }
            }
        } finally {
            for (JvmProcess node : nodes) {
                node.terminate();
            }
            for (JvmProcess node : nodes) {
                node.join();
            }
        }
    }

    /** A cluster node in a child JVM of this one, so that it ends with this program whatever happens. */
    private static JvmProcess startNode(String name, String bind, List<String> members, byte[] authkey) {
        String[] all = members.toArray(new String[0]);
        JvmProcess node = new JvmProcess(name, () -> {
            HAZELCAST_LOG.setLevel(Level.SEVERE);
            try {
                ClusterNode.builder().name(name).bind(bind).members(all).authkey(authkey).start().awaitClose();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        node.setJvmOptions(ClusterNode.JVM_OPTIONS);
        node.start();
        return node;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
