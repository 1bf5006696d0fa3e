package org.multiprocessing4j.cluster;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.ProcessContext;
import org.multiprocessing4j.cluster.internal.ClusterBackend;
import org.multiprocessing4j.cluster.internal.ClusterContext;
import org.multiprocessing4j.cluster.internal.HazelcastSettings;

/**
 * A driver's connection to a cluster of {@link ClusterNode}s: the way to run the same
 * {@link ProcessContext} code on several machines.
 *
 * <pre>{@code
 * try (Cluster cluster = Cluster.connect(config)) {
 *     ProcessContext ctx = cluster.context();
 *     JvmProcess p = ctx.process(() -> System.out.println("hello from " + Multiprocessing.currentProcess().getName()));
 *     p.start();            // on the least loaded node
 *     p.join();             // its output came here as "[Process-1@node-a] hello from Process-1"
 *     System.out.println(p.exitCode());
 * }
 * }</pre>
 *
 * <p>A process started through {@link #context()} runs in a fresh JVM that the chosen node's
 * agent starts with the core launcher, on the node's class path (which must hold the
 * application's jars). Its pid, exit code (−N for signal N), {@code terminate()}, {@code kill()},
 * {@code exception()}, {@code join(Duration)}, {@code isAlive()}, name and daemon flag behave as
 * locally. Its standard output and error are printed here, each line prefixed with
 * {@code [name@node] }, in order within each stream. If its node leaves the cluster, the process
 * ends with exit code −9 and a {@link NodeDiedException}. If this driver's JVM dies, every node
 * ends its processes within seconds.
 *
 * <p>{@code context().pool(n)} is a {@code ProcessPool} whose {@code n} workers are spread over
 * the nodes (a local pool on each); its jobs, chunking, result order and futures stay here, and
 * each chunk crosses the network once. A node that joins while it runs gets a share of the work;
 * a node that dies fails the tasks it held with a {@code WorkerDiedException} naming the node, and
 * the others complete.
 *
 * <p>The shared objects of {@code context()} live in the cluster: {@code queue()},
 * {@code joinableQueue()}, {@code lock()}, {@code reentrantLock()}, {@code condition()},
 * {@code semaphore(n)}, {@code boundedSemaphore(n)}, {@code event()}, {@code barrier(n)},
 * {@code sharedLong/Int/Double(v)}, the shared arrays, {@code dict()} and {@code list()} are the
 * public types of one machine, passed to processes and pool tasks by capture. Unnamed ones are
 * private to this driver and destroyed by {@link #close()} (or by the nodes, seconds after this
 * driver's death); named ones ({@code ctx.queue("jobs")}, {@code ctx.lock("db")},
 * {@code ctx.dict("results")}…) are reached by name from any driver and live until
 * {@code ctx.destroy(name)}. Most calls are one or two round trips to the member that holds the
 * object (hundreds of microseconds), not a memory access. Processes that a node started batch
 * the hottest paths through their node: a put on an unbounded queue returns once the node holds
 * it (the process's next call to the cluster, and its exit, wait until its puts are in the
 * queue; a put the cluster refused is reported by that call), fast takers take several items per
 * call (lent until taken: what a process did not take goes back when it stops taking or ends),
 * and a node keeps the lease of a lock or a shared value while only its own processes use it: the
 * lock or value then lives in the node's shared memory, where its processes take, release or
 * change it without a call (the node passes it on within a 20 ms quantum once somebody elsewhere
 * waits: fast, not fair). They are AP structures, with one backup each: queued items and lock
 * states survive the death of one member (items a node had taken ahead for its processes die
 * with that node, as taken items do; a value's changes that a node had not written back die with
 * it: at most 50 ms of them, and none that anybody outside the node learnt of through the
 * library, since everything that leaves a node writes its values back first); a lock whose holder's process, node or driver dies is freed and the next holder's
 * {@code heldAfterOwnerDied()} is true; a barrier round breaks when a party's process or node
 * dies. A put or an increment whose member dies before it answers fails with an
 * {@code IllegalStateException} saying it may or may not have happened (it is not repeated, so it
 * never happens twice). During a network split both sides may hold the same lock: for locks that
 * must survive splits, use a consensus system (ZooKeeper, etcd, Hazelcast Enterprise's CP
 * subsystem).
 *
 * <p>Traffic between drivers and nodes is not encrypted (Hazelcast Community has no TLS): run
 * clusters on a private network or a VPN, as Python's managers advise. Requests to the nodes are
 * signed with the authkey, and nodes obey nothing else.
 *
 * <p>Thread-safe. {@link #close()} is idempotent.
 */
public final class Cluster implements AutoCloseable {
    private final HazelcastInstance client;
    private final ClusterBackend backend;
    private final ProcessContext context;
    private volatile boolean closed;

    private Cluster(HazelcastInstance client, ClusterBackend backend) {
        this.client = client;
        this.backend = backend;
        this.context = new ClusterContext(backend, null);
    }

    /**
     * Connects to the cluster. Blocks until a node answers or the configuration's connect timeout
     * passes.
     *
     * @param config where the cluster is and its key
     * @return a connected driver
     * @throws NullPointerException if {@code config} is null
     * @throws IllegalStateException if no node could be reached in time; the message names the
     *         addresses tried
     */
    public static Cluster connect(ClusterConfig config) {
        Objects.requireNonNull(config, "config");
        HazelcastInstance client;
        try {
            client = HazelcastClient.newHazelcastClient(HazelcastSettings.client(config.clusterName(),
                    config.members(), config.connectTimeout(), config.allowedPackages()));
        } catch (RuntimeException e) {
            throw new IllegalStateException("could not connect to cluster '" + config.clusterName() + "' at "
                    + config.members() + " within " + config.connectTimeout().toSeconds() + " s: " + e.getMessage(), e);
        }
        try {
            return new Cluster(client, new ClusterBackend(client, config.authkey()));
        } catch (RuntimeException e) {
            client.shutdown();
            throw e;
        }
    }

    /**
     * The context whose processes start on the least loaded node (the one running the fewest
     * of the cluster's processes; equals take turns).
     *
     * @return the cluster's context
     * @throws IllegalStateException if this cluster is closed
     */
    public ProcessContext context() {
        checkOpen();
        return context;
    }

    /**
     * A context whose processes start on the node named {@code node} (see
     * {@link ClusterNode.Builder#name}); a start fails if no node has that name then.
     *
     * @param node the node's name
     * @return a context bound to that node
     * @throws NullPointerException if {@code node} is null
     * @throws IllegalStateException if this cluster is closed
     */
    public ProcessContext context(String node) {
        Objects.requireNonNull(node, "node");
        checkOpen();
        return new ClusterContext(backend, node);
    }

    /**
     * The names of the cluster's nodes now. Never blocks.
     *
     * @return the node names
     * @throws IllegalStateException if this cluster is closed
     */
    public List<String> nodes() {
        checkOpen();
        return backend.nodes();
    }

    /**
     * Waits until the cluster has at least {@code count} nodes.
     *
     * @param count how many nodes to wait for
     * @param timeout how long to wait at most
     * @return true if there are that many, false if the timeout passed first
     * @throws InterruptedException if interrupted while waiting
     * @throws IllegalStateException if this cluster is closed
     */
    public boolean awaitNodes(int count, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        checkOpen();
        Object changed = new Object();
        UUID registration = client.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent e) {
                synchronized (changed) {
                    changed.notifyAll();
                }
            }

            @Override
            public void memberRemoved(MembershipEvent e) {
                // Fewer nodes: nothing to wake for.
            }
        });
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            synchronized (changed) {
                while (client.getCluster().getMembers().size() < count) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    TimeUnit.NANOSECONDS.timedWait(changed, left);
                }
            }
            return true;
        } finally {
            client.getCluster().removeMembershipListener(registration);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the cluster connection is closed");
        }
    }

    /**
     * Terminates this driver's daemon processes, waits for its other processes to end (as a
     * JVM waits for its non-daemon children at exit), destroys its unnamed shared objects, and
     * disconnects. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            backend.close();
        } finally {
            client.shutdown();
        }
    }

    /** The Hazelcast client of this driver: for the module's tests, which look into the cluster. */
    HazelcastInstance hazelcast() {
        return client;
    }

    @Override
    public String toString() {
        return "Cluster[" + client.getName() + (closed ? ", closed" : "") + "]";
    }
}
