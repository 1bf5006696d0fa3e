package org.multiprocessing4j.cluster.internal;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.MemberLeftException;
import com.hazelcast.spi.exception.TargetDisconnectedException;
import com.hazelcast.spi.exception.TargetNotMemberException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.multiprocessing4j.ProcessStartException;
import org.multiprocessing4j.spi.Backends;
import org.multiprocessing4j.spi.ChunkRunner;
import org.multiprocessing4j.spi.PoolSpec;

/**
 * A cluster pool's workers: a local {@code ProcessPool} on each of several nodes, which the
 * driver's {@code RemoteEngine} gives tasks (a map's chunks) through the agents, each to the node
 * with the fewest tasks in flight per worker. A node that joins while the pool runs gets a pool
 * of its own and its share of the next tasks; a node that leaves, or whose pool is gone, fails the
 * tasks it held (the engine turns that into a {@code WorkerDiedException} naming it) and gets no
 * more. Thread-safe.
 */
final class ClusterPoolRunner implements ChunkRunner {
    private static final Logger LOG = Logger.getLogger("multiprocessing4j.cluster");
    private static final long OPEN_TIMEOUT_SECONDS = 120;
    private static final long CLOSE_TIMEOUT_SECONDS = 10;

    private final ClusterBackend backend;
    private final HazelcastInstance client;
    private final String key;
    private final PoolSpec spec;
    private final int perNode;
    private final Map<UUID, Share> shares = new ConcurrentHashMap<>();
    /** Opens shares on nodes that join: off Hazelcast's threads, which deliver every reply. */
    private final ExecutorService joiner = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "multiprocessing4j-cluster-pool-joiner");
        t.setDaemon(true);
        return t;
    });
    private final UUID membership;
    private volatile boolean closed;

    /** One node's part of the pool. */
    private static final class Share {
        final Member member;
        final String node;
        final int workers;
        int inFlight; // guarded by the runner

        Share(Member member, String node, int workers) {
            this.member = member;
            this.node = node;
            this.workers = workers;
        }
    }

    ClusterPoolRunner(ClusterBackend backend, HazelcastInstance client, String key, PoolSpec spec) {
        this.backend = backend;
        this.client = client;
        this.key = key;
        this.spec = spec;
        List<Member> members = new ArrayList<>(client.getCluster().getMembers());
        if (members.isEmpty()) {
            throw new ProcessStartException("cannot start a pool: the cluster has no nodes", null);
        }
        this.perNode = Math.max(1, (spec.processes() + members.size() - 1) / members.size());
        try {
            for (int i = 0; i < members.size(); i++) {
                int k = spec.processes() / members.size() + (i < spec.processes() % members.size() ? 1 : 0);
                if (k > 0) {
                    open(members.get(i), k);
                }
            }
        } catch (RuntimeException e) {
            close(); // the shares already opened end with the failed pool
            throw e;
        }
        this.membership = client.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent e) {
                // A node that joins gets work: a pool of its own, the size of the others'.
                joiner.execute(() -> openOnJoin(e.getMember()));
            }

            @Override
            public void memberRemoved(MembershipEvent e) {
                shares.remove(e.getMember().getUuid());
            }
        });
    }

    /**
     * Opens a share on a node that joined. The driver learns of a member a little before it can
     * reach it (Hazelcast: "not in member list"), so a failure is tried again, once a second for
     * at most 60 s, while the node stays and the pool is open.
     */
    private void openOnJoin(Member member) {
        RuntimeException last = null;
        for (int attempt = 0; attempt < 60 && !closed && isMember(member); attempt++) {
            try {
                open(member, perNode);
                return;
            } catch (RuntimeException failed) {
                last = failed;
            }
            try {
                Thread.sleep(1000); // a retry's pace, on this pool's own thread
            } catch (InterruptedException e) {
                return; // the pool closed
            }
        }
        if (last != null && !closed && isMember(member)) {
            LOG.log(Level.WARNING, "could not start pool workers on the node that joined", last);
        }
    }

    private boolean isMember(Member member) {
        return backend.member(member.getUuid()) != null;
    }

    private void open(Member member, int workers) {
        if (closed) {
            return;
        }
        String node = ClusterBackend.nodeName(member);
        byte[] body = Protocol.poolOpen(member.getUuid(), backend.self(), key, workers, spec.jvmOptions(),
                spec.initializer(), spec.maxTasksPerChild());
        Protocol.Reply reply = backend.call(member, body, OPEN_TIMEOUT_SECONDS, "start pool workers");
        if (reply.status() != Protocol.OK) {
            throw new ProcessStartException(reply.message(), null);
        }
        Share share = new Share(member, node, workers);
        shares.put(member.getUuid(), share);
        if (closed || !isMember(member)) {
            shares.remove(member.getUuid(), share); // closed, or the node left, while it opened
            if (closed) {
                closeShare(share);
            }
        }
    }

    @Override
    public int parallelism() {
        int n = 0;
        for (Share s : shares.values()) {
            n += s.workers;
        }
        return Math.max(1, n);
    }

    @Override
    public CompletableFuture<byte[]> run(byte[] task, String description) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        Share share = choose();
        if (share == null) {
            result.completeExceptionally(new IllegalStateException("no node of the pool is left in the cluster"));
            return result;
        }
        backend.send(share.member, Protocol.poolRun(share.member.getUuid(), key, task, description), true)
                .whenComplete((reply, error) -> {
                    settled(share);
                    if (error != null) {
                        Throwable cause = error instanceof java.util.concurrent.CompletionException
                                && error.getCause() != null ? error.getCause() : error;
                        boolean left = cause instanceof MemberLeftException || cause instanceof TargetNotMemberException
                                || cause instanceof TargetDisconnectedException;
                        if (left) {
                            shares.remove(share.member.getUuid(), share);
                        }
                        result.completeExceptionally(new IllegalStateException("node '" + share.node + "' "
                                + (left ? "left the cluster (it died or was cut off)" : "failed (" + cause + ")")
                                + " while it ran " + description, cause));
                    } else if (reply.status() == Protocol.OK && reply.payload() != null) {
                        result.complete(reply.payload());
                    } else if (reply.status() == Protocol.BROKEN) {
                        shares.remove(share.member.getUuid(), share); // its pool there can run nothing more
                        result.completeExceptionally(Backends.brokenPool(reply.message())); // the pool breaks
                    } else {
                        if (reply.status() == Protocol.GONE) {
                            shares.remove(share.member.getUuid(), share); // its pool there is gone: no more tasks to it
                        }
                        result.completeExceptionally(new IllegalStateException(reply.message()));
                    }
                });
        return result;
    }

    private synchronized void settled(Share share) {
        share.inFlight--;
    }

    /** The share with the fewest tasks in flight per worker; null if none is left. */
    private synchronized Share choose() {
        Share best = null;
        for (Share s : shares.values()) {
            if (best == null || (long) s.inFlight * best.workers < (long) best.inFlight * s.workers) {
                best = s;
            }
        }
        if (best != null) {
            best.inFlight++;
        }
        return best;
    }

    @Override
    public List<Long> workerPids() {
        return List.of(); // the workers' pids are their nodes' business
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        joiner.shutdownNow();
        if (membership != null) {
            try {
                client.getCluster().removeMembershipListener(membership);
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "could not remove a listener", e);
            }
        }
        for (Share s : new ArrayList<>(shares.values())) {
            closeShare(s);
        }
        shares.clear();
    }

    private void closeShare(Share s) {
        Protocol.Reply r = backend.call(s.member, Protocol.poolClose(s.member.getUuid(), key), CLOSE_TIMEOUT_SECONDS,
                "close its pool");
        if (r.status() != Protocol.OK) {
            LOG.fine("could not close the pool on node " + s.node + ": " + r.message());
        }
    }
}
