package org.multiprocessing4j.cluster.internal;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.ExecutionCallback;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.spi.exception.TargetNotMemberException;
import com.hazelcast.topic.ITopic;
import com.hazelcast.topic.Message;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.multiprocessing4j.AuthenticationException;
import org.multiprocessing4j.ProcessStartException;
import org.multiprocessing4j.cluster.NodeDiedException;
import org.multiprocessing4j.cluster.internal.shared.Access;
import org.multiprocessing4j.cluster.internal.shared.Direct;
import org.multiprocessing4j.cluster.internal.shared.SharedFactory;
import org.multiprocessing4j.spi.Backends;
import org.multiprocessing4j.spi.ChunkRunner;
import org.multiprocessing4j.spi.ProcessBackend;
import org.multiprocessing4j.spi.ProcessControl;
import org.multiprocessing4j.spi.ProcessLaunch;
import org.multiprocessing4j.spi.PoolSpec;

/**
 * A driver's side of the cluster: it places processes on nodes, sends their agents signed
 * requests, prints the output they forward (each line prefixed with the process and node) and
 * ends a process when its agent reports the end or its node leaves. Thread-safe.
 */
public final class ClusterBackend implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("multiprocessing4j.cluster");
    /** The longest a node may take to start a JVM before the start fails. */
    private static final long START_TIMEOUT_SECONDS = 120;
    private static final long SIGNAL_TIMEOUT_SECONDS = 10;
    /** How long a start waits for a restarted node's member list to settle. */
    private static final long NOT_MEMBER_GRACE_SECONDS = 30;

    private final HazelcastInstance client;
    private final Signer signer;
    private final UUID self;
    private final IExecutorService agents;
    private final IExecutorService poolAgents;
    private final IMap<String, AgentEvent> ended;
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "multiprocessing4j-driver-sweeper");
        t.setDaemon(true);
        return t;
    });
    private final ITopic<AgentEvent> events;
    private final UUID eventsRegistration;
    private final UUID membershipRegistration;
    private final UUID lifecycleRegistration;
    private final Map<String, RemoteProcess> processes = new ConcurrentHashMap<>();
    private final AtomicLong started = new AtomicLong();
    private final Direct shared;
    private final SharedFactory objects;

    public ClusterBackend(HazelcastInstance client, byte[] authkey) {
        this.client = client;
        this.signer = new Signer(authkey);
        this.self = client.getLocalEndpoint().getUuid();
        this.shared = new Direct(client, client.getConfig().getClusterName(), self.toString(), true);
        this.objects = new SharedFactory(shared, self.toString());
        Access.register(shared);
        this.agents = client.getExecutorService(HazelcastSettings.AGENT_EXECUTOR);
        this.poolAgents = client.getExecutorService(HazelcastSettings.POOL_EXECUTOR);
        this.ended = client.getMap(HazelcastSettings.ENDED_MAP);
        this.events = client.getTopic(HazelcastSettings.EVENTS_PREFIX + self);
        this.eventsRegistration = events.addMessageListener(this::onEvent);
        this.membershipRegistration = client.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent e) {
                // A new node gets the next process placed by least load.
            }

            @Override
            public void memberRemoved(MembershipEvent e) {
                nodeLeft(e.getMember().getUuid(), nodeName(e.getMember()));
            }
        });
        sweeper.scheduleWithFixedDelay(this::sweepEnded, 2, 2, TimeUnit.SECONDS);
        this.lifecycleRegistration = client.getLifecycleService().addLifecycleListener(e -> {
            if (e.getState() == LifecycleEvent.LifecycleState.CLIENT_DISCONNECTED) {
                // The agents end this driver's processes when they lose it; say so here.
                for (RemoteProcess p : processes.values()) {
                    p.end(-9, new NodeDiedException(p.name, p.node, "this driver lost its connection to the cluster,"
                            + " and the nodes end a driver's processes when they lose it"));
                }
            }
        });
    }

    /** Makes this driver's shared objects. */
    public SharedFactory objects() {
        return objects;
    }

    /** Starts the workers of a pool across the nodes: see {@link ClusterPoolRunner}. */
    public ChunkRunner openPool(PoolSpec spec) {
        return new ClusterPoolRunner(this, client, self + "/pool-" + started.incrementAndGet(), spec);
    }

    UUID self() {
        return self;
    }

    /**
     * Signs {@code body} and sends it to {@code member}'s agent, through the pool executor if
     * {@code poolWork}; completes with the agent's reply once its seal is checked (an
     * {@link AuthenticationException} if it is not this key's), or with Hazelcast's failure to
     * reach the member.
     */
    CompletableFuture<Protocol.Reply> send(Member member, byte[] body, boolean poolWork) {
        byte[] signature = signer.sign(Signer.REQUEST, body);
        CompletableFuture<Protocol.Reply> reply = new CompletableFuture<>();
        (poolWork ? poolAgents : agents).submitToMember(new AgentCall(body, signature), member,
                new ExecutionCallback<byte[]>() {
                    @Override
                    public void onResponse(byte[] sealed) {
                        Protocol.Reply r = Protocol.unseal(signer, signature, sealed);
                        if (r == null) {
                            reply.completeExceptionally(new AuthenticationException("node '" + nodeName(member)
                                    + "' refused the request or answered without the cluster's authkey: the driver's"
                                    + " authkey differs from the node's (or the reply was forged)"));
                        } else {
                            reply.complete(r);
                        }
                    }

                    @Override
                    public void onFailure(Throwable t) {
                        reply.completeExceptionally(t);
                    }
                });
        return reply;
    }

    /**
     * Sends a signed request to {@code member}'s agent and waits at most {@code seconds} for the
     * reply; a failure to reach it becomes a FAILED reply saying so, a refusal an
     * {@link AuthenticationException}.
     */
    Protocol.Reply call(Member member, byte[] body, long seconds, String what) {
        String node = nodeName(member);
        Protocol.Reply reply;
        try {
            reply = send(member, body, false).get(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Protocol.Reply(Protocol.FAILED, -1, "interrupted while node '" + node + "' was asked to " + what,
                    null);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            if (cause instanceof AuthenticationException) {
                throw (AuthenticationException) cause;
            }
            return new Protocol.Reply(Protocol.FAILED, -1, "node '" + node + "' could not " + what + ": " + cause, null);
        }
        if (reply.status() == Protocol.REFUSED) {
            throw new AuthenticationException(reply.message());
        }
        return reply;
    }

    /**
     * Looks up, every 2 s, whether a process still running here ended without its event coming
     * (topics are best effort): the agents also keep each end in a map for a while.
     */
    private void sweepEnded() {
        try {
            if (processes.isEmpty()) {
                return;
            }
            for (AgentEvent e : ended.getAll(new java.util.HashSet<>(processes.keySet())).values()) {
                handleEvent(e, "the map of ended processes");
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "could not look up ended processes", e);
        }
    }

    /** A backend that places each process on {@code node}, or by least load if null. */
    public ProcessBackend placing(String node) {
        return launch -> start(launch, node);
    }

    /** The names of the nodes in the cluster now, in member order. */
    public List<String> nodes() {
        List<String> names = new ArrayList<>();
        for (Member m : client.getCluster().getMembers()) {
            names.add(nodeName(m));
        }
        return names;
    }

    private ProcessControl start(ProcessLaunch launch, String node) {
        Set<UUID> unreachable = new HashSet<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(NOT_MEMBER_GRACE_SECONDS);
        long pauseMillis = 10;
        while (true) {
            Member member = choose(launch.name(), node, unreachable);
            try {
                return start(launch, member);
            } catch (ProcessStartException e) {
                // Around a node's restart the member list moves: a member that has just joined may
                // not be reachable for a moment, and one that has just left may still be listed
                // ("not in member list"). Placed by load, the process goes to another node; placed
                // on a named node, it goes to that node's newer member, or waits a moment for the
                // list to settle, within a bounded grace.
                if (!(e.getCause() instanceof TargetNotMemberException) || System.nanoTime() - deadline > 0) {
                    throw e;
                }
                if (node == null) {
                    if (unreachable.size() + 1 >= client.getCluster().getMembers().size()) {
                        throw e;
                    }
                    unreachable.add(member.getUuid());
                } else if (namedElsewhere(node, member)) {
                    unreachable.add(member.getUuid());
                } else {
                    try {
                        TimeUnit.MILLISECONDS.sleep(pauseMillis);
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        throw new ProcessStartException("interrupted while waiting for node '" + node
                                + "' to start process '" + launch.name() + "'", interrupted);
                    }
                    pauseMillis = Math.min(pauseMillis * 2, 500);
                }
            }
        }
    }

    /** Whether the cluster lists a member named {@code node} other than {@code member}. */
    private boolean namedElsewhere(String node, Member member) {
        for (Member m : client.getCluster().getMembers()) {
            if (!m.getUuid().equals(member.getUuid()) && node.equals(nodeName(m))) {
                return true;
            }
        }
        return false;
    }

    private ProcessControl start(ProcessLaunch launch, Member member) {
        String key = self + "/" + started.incrementAndGet();
        RemoteProcess p = new RemoteProcess(this, key, launch.name(), nodeName(member), member.getUuid(), launch.daemon());
        processes.put(key, p);
        byte[] body = Protocol.start(member.getUuid(), self, key, launch);
        Protocol.Reply reply;
        try {
            reply = send(member, body, false).get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            processes.remove(key);
            signal(p, 9); // it may have started meanwhile
            Thread.currentThread().interrupt();
            throw new ProcessStartException("interrupted while node '" + p.node + "' started process '"
                    + launch.name() + "'", e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            processes.remove(key);
            signal(p, 9);
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            if (cause instanceof AuthenticationException) {
                throw (AuthenticationException) cause;
            }
            throw new ProcessStartException("node '" + p.node + "' could not start process '" + launch.name()
                    + "': " + cause, cause);
        }
        if (reply.status() == Protocol.REFUSED) {
            processes.remove(key);
            throw new AuthenticationException(reply.message());
        } else if (reply.status() != Protocol.OK) {
            processes.remove(key);
            throw new ProcessStartException(reply.message(), null);
        }
        p.started(reply.pid());
        if (member(member.getUuid()) == null) {
            p.end(-9, new NodeDiedException(p.name, p.node)); // it left while the process started
        }
        return p;
    }

    private Member choose(String process, String node, Set<UUID> unreachable) {
        List<Member> members = new ArrayList<>(client.getCluster().getMembers());
        members.removeIf(m -> unreachable.contains(m.getUuid()));
        if (members.isEmpty()) {
            throw new ProcessStartException("cannot start process '" + process + "': the cluster has no nodes", null);
        }
        if (node != null) {
            for (Member m : members) {
                if (node.equals(nodeName(m))) {
                    return m;
                }
            }
            throw new ProcessStartException("cannot start process '" + process + "' on node '" + node
                    + "': the cluster has no node of that name; its nodes are " + nodes(), null);
        }
        Map<UUID, Integer> mine = new ConcurrentHashMap<>();
        for (RemoteProcess p : processes.values()) {
            mine.merge(p.member, 1, Integer::sum);
        }
        Map<String, Integer> all = new java.util.HashMap<>();
        try {
            IMap<String, Integer> load = client.getMap(HazelcastSettings.LOAD_MAP);
            for (Map.Entry<String, Integer> e : load.entrySet()) {
                all.put(e.getKey(), e.getValue());
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "could not read the nodes' load", e);
        }
        long turn = started.get();
        // Least loaded first; among equals, take turns, so that a burst of starts spreads.
        members.sort(Comparator.comparingInt((Member m) -> Math.max(mine.getOrDefault(m.getUuid(), 0),
                all.getOrDefault(m.getUuid().toString(), 0))));
        int least = Math.max(mine.getOrDefault(members.get(0).getUuid(), 0),
                all.getOrDefault(members.get(0).getUuid().toString(), 0));
        List<Member> equal = new ArrayList<>();
        for (Member m : members) {
            if (Math.max(mine.getOrDefault(m.getUuid(), 0), all.getOrDefault(m.getUuid().toString(), 0)) == least) {
                equal.add(m);
            }
        }
        return equal.get((int) (turn % equal.size()));
    }

    /** The cluster's member {@code uuid} now, or null if it is not (or no longer) in the cluster. */
    Member member(UUID uuid) {
        for (Member m : client.getCluster().getMembers()) {
            if (m.getUuid().equals(uuid)) {
                return m;
            }
        }
        return null;
    }

    void signal(RemoteProcess p, int signal) {
        Member member = member(p.member);
        if (member == null) {
            return; // its node is gone, and the process with it
        }
        try {
            send(member, Protocol.signal(member.getUuid(), p.key, signal), false).get(SIGNAL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.log(Level.FINE, "could not signal " + p, e);
        }
    }

    void forget(RemoteProcess p) {
        processes.remove(p.key);
    }

    private void onEvent(Message<AgentEvent> message) {
        handleEvent(message.getMessageObject(), message.getPublishingMember());
    }

    private void handleEvent(AgentEvent e, Object from) {
        if (!signer.verify(Signer.EVENT, e.body, e.signature)) {
            LOG.warning("ignored an event not signed with the cluster's authkey (from " + from + ")");
            return;
        }
        Protocol.Event event;
        try {
            event = Protocol.readEvent(e.body);
        } catch (IOException | RuntimeException bad) {
            LOG.warning("ignored a malformed event: " + bad);
            return;
        }
        RemoteProcess p = processes.get(event.key());
        if (event.kind() == Protocol.OUTPUT) {
            String prefix = "[" + (p != null ? p.name + "@" + p.node : event.key()) + "] ";
            PrintStream to = event.standardError() ? System.err : System.out;
            to.println(prefix + event.line());
        } else if (p != null) {
            Throwable thrown = event.exception() == null ? null : Backends.decodeThrowable(event.exception());
            p.end(event.exitCode(), thrown);
        }
    }

    private void nodeLeft(UUID member, String node) {
        for (RemoteProcess p : processes.values()) {
            if (p.member.equals(member)) {
                p.end(-9, new NodeDiedException(p.name, node));
            }
        }
    }

    static String nodeName(Member m) {
        String name = m.getAttribute(HazelcastSettings.NODE_ATTRIBUTE);
        return name != null ? name : String.valueOf(m.getAddress());
    }

    /**
     * Terminates the daemon processes and waits for the others to end, as a JVM does with its
     * children at exit; then stops listening. Idempotent.
     */
    @Override
    public void close() {
        for (RemoteProcess p : processes.values()) {
            if (p.daemon) {
                p.terminate();
            }
        }
        try {
            for (RemoteProcess p : processes.values()) {
                p.await(-1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sweeper.shutdownNow();
        objects.destroyPrivate();
        Access.unregister(shared);
        shared.close();
        try {
            events.removeMessageListener(eventsRegistration);
            events.destroy(); // this driver's own topic
            client.getCluster().removeMembershipListener(membershipRegistration);
            client.getLifecycleService().removeLifecycleListener(lifecycleRegistration);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "could not remove listeners", e);
        }
    }
}
