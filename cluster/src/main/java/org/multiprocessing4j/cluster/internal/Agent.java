package org.multiprocessing4j.cluster.internal;

import com.hazelcast.client.Client;
import com.hazelcast.client.ClientListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.topic.ITopic;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.multiprocessing4j.BrokenPoolException;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.ProcessPool;
import org.multiprocessing4j.StartMethod;
import org.multiprocessing4j.cluster.internal.shared.Access;
import org.multiprocessing4j.cluster.internal.shared.Direct;
import org.multiprocessing4j.cluster.internal.shared.Names;
import org.multiprocessing4j.cluster.internal.shared.RelayServer;
import org.multiprocessing4j.spi.Backends;
import org.multiprocessing4j.spi.ProcessControl;
import org.multiprocessing4j.spi.ProcessLaunch;

/**
 * The library's agent on one node: it starts the processes drivers ask for as child JVMs of
 * this node (through the core's launcher), forwards their output and their end to the driver
 * that owns them, signals them on request, and ends every process of a driver that is gone
 * (its connection closed, or silent past Hazelcast's client heartbeat timeout), so no process
 * outlives its driver. Only signed requests are obeyed. Thread-safe.
 */
public final class Agent implements AutoCloseable {
    /** Where the agent sits in its member's user context, for {@link AgentCall}. */
    public static final String USER_CONTEXT_KEY = "multiprocessing4j.agent";
    private static final Logger LOG = Logger.getLogger("multiprocessing4j.cluster");
    /** How often the agent looks for owners that left without a disconnect event. */
    private static final long SWEEP_MILLIS = 2000;
    /**
     * How long an owner may be missing from this member's connections before its work here is
     * ended: short for one seen connected before (it left), longer for one never seen (a node that
     * just joined, which drivers connect to a little after they learn of it).
     */
    private static final long GONE_NANOS = TimeUnit.SECONDS.toNanos(4);
    private static final long NEVER_SEEN_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final long ENDED_TTL_MINUTES = 10;

    private final String node;
    private final Signer signer;
    private final ReplayGuard replays = new ReplayGuard();
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "multiprocessing4j-agent-sweeper");
        t.setDaemon(true);
        return t;
    });
    private volatile HazelcastInstance member;
    /** Open once {@link #attach} has run: a driver may call as soon as the member has joined, before. */
    private final java.util.concurrent.CountDownLatch attached = new java.util.concurrent.CountDownLatch(1);
    private volatile boolean closed;
    /** How this node reaches the shared objects, and serves them to its processes. */
    private volatile Direct shared;
    private volatile RelayServer relay;

    private record Running(String key, UUID owner, String name, ProcessControl control) {
    }

    private record Pool(String key, UUID owner, ProcessPool pool) {
    }

    private final Map<String, Pool> pools = new ConcurrentHashMap<>();
    /** Keys of processes killed before their start had registered them. */
    private final Set<String> killedEarly = ConcurrentHashMap.newKeySet();
    /** Owners (drivers) this member has seen connected. */
    private final Set<UUID> seenOwners = ConcurrentHashMap.newKeySet();
    /** When an owner with work here was first found not connected to this member. */
    private final Map<UUID, Long> missingSince = new ConcurrentHashMap<>();

    public Agent(String node, byte[] authkey) {
        this.node = node;
        this.signer = new Signer(authkey);
    }

    /** Starts serving on {@code member}, whose user context must hold this agent. */
    public void attach(HazelcastInstance member) {
        this.member = member;
        String self = member.getCluster().getLocalMember().getUuid().toString();
        this.shared = new Direct(member, member.getConfig().getClusterName(), self, false);
        Access.register(shared);
        this.relay = new RelayServer(shared);
        member.getClientService().addClientListener(new ClientListener() {
            @Override
            public void clientConnected(Client client) {
                seenOwners.add(client.getUuid());
                missingSince.remove(client.getUuid());
            }

            @Override
            public void clientDisconnected(Client client) {
                missingSince.putIfAbsent(client.getUuid(), System.nanoTime());
                onSweeper(Agent.this::sweep, 0);
                onSweeper(() -> releaseProgram(client.getUuid()), GONE_NANOS);
            }
        });
        member.getCluster().addMembershipListener(new com.hazelcast.cluster.MembershipListener() {
            @Override
            public void memberAdded(com.hazelcast.cluster.MembershipEvent e) {
                // Its agent publishes its own load.
            }

            @Override
            public void memberRemoved(com.hazelcast.cluster.MembershipEvent e) {
                String gone = e.getMember().getUuid().toString();
                if (isOldest()) {
                    // Its processes died with it: free their locks, break the barriers it took part in.
                    onSweeper(() -> shared.sweep(gone + "/", gone), 0);
                }
                try {
                    member.getMap(HazelcastSettings.LOAD_MAP).removeAsync(e.getMember().getUuid().toString());
                } catch (RuntimeException ignored) {
                    // This member is leaving too.
                }
            }
        });
        sweeper.scheduleWithFixedDelay(this::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
        attached.countDown();
        publishLoad();
    }

    /**
     * Writes back the shared values this node's processes changed in the relay's memory, before
     * the node tells a driver anything it could act on (a line of output, a process's end, a
     * task's result).
     */
    private void writeBack() {
        RelayServer r = relay;
        if (r != null) {
            try {
                r.writeBack();
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "node " + node + " could not write back its shared values", e);
            }
        }
    }

    /** Whether this member is the oldest of the cluster: the one that cleans up after the dead. */
    private boolean isOldest() {
        HazelcastInstance m = member;
        return m != null && m.getCluster().getMembers().iterator().next().localMember();
    }

    /**
     * A driver that disconnected and has not come back: the oldest member frees what its threads
     * held and destroys its private shared objects.
     */
    private void releaseProgram(UUID program) {
        try {
            for (Client c : member.getClientService().getConnectedClients()) {
                if (c.getUuid().equals(program)) {
                    return;
                }
            }
            if (isOldest()) {
                shared.sweep(program + "/", program.toString());
                shared.destroyAll(Names.programPrefix(program.toString()));
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "node " + node + " could not clean up after driver " + program, e);
        }
    }

    /**
     * Handles a request from {@link AgentCall}: checks its signature, then obeys it. The reply is
     * sealed ({@link Protocol#seal}): bound to this request, so the driver can trust it.
     */
    byte[] handle(byte[] body, byte[] signature) {
        byte[] answer = answer(body, signature);
        writeBack();
        return Protocol.seal(signer, signature, answer);
    }

    private byte[] answer(byte[] body, byte[] signature) {
        try {
            if (!attached.await(60, TimeUnit.SECONDS)) {
                return Protocol.refusal(Protocol.FAILED, "node '" + node + "' is still starting");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Protocol.refusal(Protocol.FAILED, "node '" + node + "' was interrupted");
        }
        if (!signer.verify(Signer.REQUEST, body, signature)) {
            LOG.warning("node " + node + " refused a request that was not signed with the cluster's authkey");
            return Protocol.refusal(Protocol.REFUSED, "node '" + node + "' refused the request: it was not signed"
                    + " with the cluster's authkey (the driver's authkey differs from the node's)");
        }
        Object request;
        try {
            request = Protocol.readRequest(body, replays, member.getCluster().getLocalMember().getUuid());
        } catch (IOException | RuntimeException e) {
            return Protocol.refusal(Protocol.REFUSED, "node '" + node + "' refused a request: " + e.getMessage());
        }
        if (request instanceof Protocol.Start) {
            return start((Protocol.Start) request);
        } else if (request instanceof Protocol.PoolOpen) {
            return openPool((Protocol.PoolOpen) request);
        } else if (request instanceof Protocol.PoolRun) {
            return runInPool((Protocol.PoolRun) request);
        } else if (request instanceof Protocol.PoolClose) {
            Pool p = pools.remove(((Protocol.PoolClose) request).pool());
            if (p != null) {
                p.pool().terminate();
            }
            return Protocol.reply(0);
        }
        Protocol.Signal s = (Protocol.Signal) request;
        Running r = running.get(s.key());
        if (r == null && s.signal() == 9) {
            killedEarly.add(s.key()); // a start still under way (its driver gave up on it): kill it when it comes
        }
        if (r != null) {
            if (s.signal() == 9) {
                r.control().kill();
            } else {
                r.control().terminate();
            }
        }
        return Protocol.reply(r == null ? -1 : r.control().pid());
    }

    private byte[] start(Protocol.Start s) {
        ProcessLaunch launch = s.launch();
        if (closed) {
            return Protocol.refusal(Protocol.FAILED, "node '" + node + "' is shutting down");
        }
        String missing = firstMissing(launch.classNames());
        if (missing != null) {
            return Protocol.refusal(Protocol.FAILED, "cannot start process '" + launch.name() + "' on node '" + node
                    + "': class " + missing + " is not on that node's class path; every node must run with the"
                    + " application's jars on its class path (java -cp <the application's class path>"
                    + " org.multiprocessing4j.cluster.ClusterNode ...)");
        }
        String topic = HazelcastSettings.EVENTS_PREFIX + s.owner();
        ITopic<AgentEvent> events = member.getTopic(topic);
        ProcessControl control;
        try {
            control = Backends.launchHere(withRelay(launch), (standardError, line) ->
                    publish(events, Protocol.output(s.key(), standardError, line)));
        } catch (RuntimeException e) {
            return Protocol.refusal(Protocol.FAILED, "node '" + node + "' could not start process '" + launch.name()
                    + "': " + e.getMessage());
        }
        Running r = new Running(s.key(), s.owner(), launch.name(), control);
        running.put(s.key(), r);
        if (killedEarly.remove(s.key())) {
            control.kill();
        }
        publishLoad();
        control.whenEnded().whenComplete((ignored, error) -> {
            running.remove(s.key());
            int code = control.exitCode().orElse(-9);
            byte[] thrown = control.exception().map(Backends::encodeThrowable).orElse(null);
            byte[] ended = Protocol.ended(s.key(), code, thrown);
            publish(events, ended);
            try {
                // Also kept for a while, for a driver that missed the event (topics are best effort).
                member.getMap(HazelcastSettings.ENDED_MAP).setAsync(s.key(),
                        new AgentEvent(ended, signer.sign(Signer.EVENT, ended)), ENDED_TTL_MINUTES, TimeUnit.MINUTES);
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "node " + node + " could not record the end of " + s.key(), e);
            }
            publishLoad();
        });
        return Protocol.reply(control.pid());
    }

    /** The launch with the options that tell the process its node and where the node's relay is. */
    private ProcessLaunch withRelay(ProcessLaunch l) {
        List<String> options = new ArrayList<>(l.jvmOptions());
        options.add("-D" + Backends.NODE_PROPERTY + "=" + node);
        options.add(relay.jvmOption());
        return new ProcessLaunch(l.name(), l.identity(), l.daemon(), options, l.payload(), l.classNames());
    }

    private byte[] openPool(Protocol.PoolOpen o) {
        if (closed) {
            return Protocol.refusal(Protocol.FAILED, "node '" + node + "' is shutting down");
        }
        try {
            // The workers know their node, to name it when a task's class is missing here.
            List<String> options = new ArrayList<>(o.jvmOptions());
            options.add("-D" + Backends.NODE_PROPERTY + "=" + node);
            options.add(relay.jvmOption());
            ProcessPool.Builder b = Multiprocessing.getContext(StartMethod.SPAWN).poolBuilder()
                    .processes(o.processes()).jvmOptions(options).maxTasksPerChild(o.maxTasksPerChild());
            if (o.initializer() != null) {
                b.initializer(Backends.initializerOf(o.initializer()));
            }
            pools.put(o.pool(), new Pool(o.pool(), o.owner(), b.build()));
        } catch (RuntimeException e) {
            return Protocol.refusal(Protocol.FAILED, "node '" + node + "' could not start a pool of " + o.processes()
                    + " workers: " + e.getMessage());
        }
        return Protocol.reply(0);
    }

    /** Runs a task on a pool of this node and waits for it: this executor thread is the task's. */
    private byte[] runInPool(Protocol.PoolRun r) {
        Pool p = pools.get(r.pool());
        if (p == null) {
            return Protocol.refusal(Protocol.GONE, "node '" + node + "' has no such pool (it was closed, or ended when"
                    + " its driver seemed gone)");
        }
        try {
            Object result = Backends.submitEncoded(p.pool(), r.task(), r.description()).get();
            return Protocol.replyWith((byte[]) result);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Protocol.refusal(Protocol.FAILED, "node '" + node + "' was interrupted while it ran " + r.description());
        } catch (ExecutionException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            if (cause instanceof BrokenPoolException) {
                // The initializer failed here: the driver's pool breaks, as a local pool would.
                return Protocol.refusal(Protocol.BROKEN, "on node '" + node + "', " + cause.getMessage());
            }
            return Protocol.refusal(Protocol.FAILED, "on node '" + node + "': " + cause.getMessage());
        }
    }

    private static String firstMissing(Set<String> classNames) {
        ClassLoader loader = ClassLoader.getSystemClassLoader();
        for (String name : classNames) {
            try {
                Class.forName(name, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                return name;
            }
        }
        return null;
    }

    /** Publishes an event for drivers (a line of output, a process's end): the values changed here are written back first. */
    private void publish(ITopic<AgentEvent> events, byte[] body) {
        writeBack();
        try {
            events.publish(new AgentEvent(body, signer.sign(Signer.EVENT, body)));
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "node " + node + " could not publish an event", e);
        }
    }

    private void publishLoad() {
        HazelcastInstance m = member;
        if (m == null || closed) {
            return;
        }
        try {
            IMap<String, Integer> load = m.getMap(HazelcastSettings.LOAD_MAP);
            load.setAsync(m.getCluster().getLocalMember().getUuid().toString(), running.size());
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "node " + node + " could not publish its load", e);
        }
    }


    /**
     * Ends the work of owners that are gone: not connected to this member for a while (a driver
     * that died, or is cut off). Runs every 2 s and after a disconnect event.
     */
    private void sweep() {
        try {
            Set<UUID> connected = new HashSet<>();
            for (Client c : member.getClientService().getConnectedClients()) {
                connected.add(c.getUuid());
            }
            seenOwners.addAll(connected);
            Set<UUID> owners = new HashSet<>();
            for (Running r : running.values()) {
                owners.add(r.owner());
            }
            for (Pool p : pools.values()) {
                owners.add(p.owner());
            }
            long now = System.nanoTime();
            for (UUID owner : owners) {
                if (connected.contains(owner)) {
                    missingSince.remove(owner);
                    continue;
                }
                long since = missingSince.computeIfAbsent(owner, o -> now);
                if (now - since > (seenOwners.contains(owner) ? GONE_NANOS : NEVER_SEEN_NANOS)) {
                    endProcessesOf(owner, "its driver is no longer connected");
                }
            }
            missingSince.keySet().retainAll(owners);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "node " + node + ": sweep failed", e);
        }
    }

    private void endProcessesOf(UUID owner, String why) {
        for (Pool p : pools.values()) {
            if (p.owner().equals(owner)) {
                LOG.fine("node " + node + " ends a pool of a driver that is gone: " + why);
                pools.remove(p.key());
                p.pool().terminate();
            }
        }
        for (Running r : running.values()) {
            if (r.owner().equals(owner) && r.control().isAlive()) {
                LOG.fine("node " + node + " kills process " + r.name() + " (pid " + r.control().pid() + "): " + why);
                r.control().kill();
            }
        }
    }

    /**
     * Runs {@code task} on the sweeper after {@code delayNanos}, unless this agent is closing:
     * Hazelcast still delivers client and member events while the node shuts down, after the
     * sweeper has stopped, and there is nothing left to sweep then.
     */
    private void onSweeper(Runnable task, long delayNanos) {
        try {
            sweeper.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // The agent is closed: see above.
        }
    }

    /** Kills every process started here and stops the sweeper. Idempotent. */
    @Override
    public void close() {
        closed = true;
        sweeper.shutdownNow();
        for (Pool p : pools.values()) {
            p.pool().terminate();
        }
        pools.clear();
        for (Running r : running.values()) {
            r.control().kill();
        }
        boolean interrupted = false;
        for (Running r : running.values()) {
            try {
                r.control().await(TimeUnit.SECONDS.toNanos(5));
            } catch (InterruptedException e) {
                interrupted = true;
                break;
            }
        }
        // Only now: the relay gives back what its processes had been lent and the locks they
        // held, which must not happen while they still run.
        if (relay != null) {
            relay.close();
            Access.unregister(shared);
            shared.close();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
