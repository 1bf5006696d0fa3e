package org.multiprocessing4j.cluster.internal;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.ExecutionCallback;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.core.MemberLeftException;
import com.hazelcast.spi.exception.TargetDisconnectedException;
import com.hazelcast.spi.exception.TargetNotMemberException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.multiprocessing4j.ProcessStartException;
import org.multiprocessing4j.spi.ChunkRunner;
import org.multiprocessing4j.spi.PoolSpec;

/**
 * A cluster pool's workers: a local {@code ProcessPool} on each of several nodes, which the
 * driver's {@code RemoteEngine} gives tasks (a map's chunks) through the agents, each to the node
 * with the fewest tasks in flight per worker. A node that joins while the pool runs gets a pool
 * of its own and its share of the next tasks; a node that leaves fails the tasks it held (the
 * engine turns that into a {@code WorkerDiedException} naming it) and gets no more. Thread-safe.
 */
final class ClusterPoolRunner implements ChunkRunner {
    private static final Logger LOG = Logger.getLogger("multiprocessing4j.cluster");
    private static final long OPEN_TIMEOUT_SECONDS = 120;

    private final ClusterBackend backend;
    private final HazelcastInstance client;
    private final IExecutorService agents;
    private final String key;
    private final PoolSpec spec;
    private final int perNode;
    private final Map<UUID, Share> shares = new ConcurrentHashMap<>();
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

    ClusterPoolRunner(ClusterBackend backend, HazelcastInstance client, IExecutorService agents, String key,
                      PoolSpec spec) {
        this.backend = backend;
        this.client = client;
        this.agents = agents;
        this.key = key;
        this.spec = spec;
        List<Member> members = new ArrayList<>(client.getCluster().getMembers());
        if (members.isEmpty()) {
            throw new ProcessStartException("cannot start a pool: the cluster has no nodes", null);
        }
        this.perNode = Math.max(1, (spec.processes() + members.size() - 1) / members.size());
        int left = spec.processes();
        for (int i = 0; i < members.size() && left > 0; i++) {
            int k = spec.processes() / members.size() + (i < spec.processes() % members.size() ? 1 : 0);
            if (k > 0) {
                open(members.get(i), k);
                left -= k;
            }
        }
        this.membership = client.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent e) {
                // A node that joins gets work: a pool of its own, the size of the others'.
                CompletableFuture.runAsync(() -> {
                    try {
                        if (!closed) {
                            open(e.getMember(), perNode);
                        }
                    } catch (RuntimeException failed) {
                        LOG.log(Level.WARNING, "could not start pool workers on the node that joined", failed);
                    }
                });
            }

            @Override
            public void memberRemoved(MembershipEvent e) {
                shares.remove(e.getMember().getUuid());
            }
        });
    }

    private void open(Member member, int workers) {
        String node = ClusterBackend.nodeName(member);
        byte[] body = Protocol.poolOpen(backend.self(), key, workers, spec.jvmOptions(), spec.initializer(),
                spec.maxTasksPerChild());
        Protocol.Reply reply = backend.call(member, body, OPEN_TIMEOUT_SECONDS, "start pool workers");
        if (reply.status() != Protocol.OK) {
            throw new ProcessStartException(reply.message(), null);
        }
        shares.put(member.getUuid(), new Share(member, node, workers));
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
        byte[] body = Protocol.poolRun(key, task, description);
        agents.submitToMember(new AgentCall(body, backend.sign(body)), share.member, new ExecutionCallback<byte[]>() {
            @Override
            public void onResponse(byte[] bytes) {
                settled(share);
                Protocol.Reply reply = Protocol.readReply(bytes);
                if (reply.status() == Protocol.OK) {
                    result.complete(reply.payload());
                } else {
                    result.completeExceptionally(new IllegalStateException(reply.message()));
                }
            }

            @Override
            public void onFailure(Throwable error) {
                settled(share);
                boolean left = error instanceof MemberLeftException || error instanceof TargetNotMemberException
                        || error instanceof TargetDisconnectedException;
                result.completeExceptionally(new IllegalStateException("node '" + share.node + "' "
                        + (left ? "left the cluster (it died or was cut off)" : "failed (" + error + ")")
                        + " while it ran " + description, error));
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
        try {
            client.getCluster().removeMembershipListener(membership);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "could not remove a listener", e);
        }
        byte[] body = Protocol.poolClose(key);
        for (Share s : shares.values()) {
            try {
                agents.submitToMember(new AgentCall(body, backend.sign(body)), s.member).get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                LOG.log(Level.FINE, "could not close the pool on node " + s.node, e);
            }
        }
        shares.clear();
    }
}
