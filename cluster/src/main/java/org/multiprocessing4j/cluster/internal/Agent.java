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
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.ProcessPool;
import org.multiprocessing4j.StartMethod;
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

    private record Running(String key, UUID owner, String name, ProcessControl control) {
    }

    private record Pool(String key, UUID owner, ProcessPool pool) {
    }

    private final Map<String, Pool> pools = new ConcurrentHashMap<>();

    public Agent(String node, byte[] authkey) {
        this.node = node;
        this.signer = new Signer(authkey);
    }

    /** Starts serving on {@code member}, whose user context must hold this agent. */
    public void attach(HazelcastInstance member) {
        this.member = member;
        member.getClientService().addClientListener(new ClientListener() {
            @Override
            public void clientConnected(Client client) {
                // Nothing to do: a driver's first request says who it is.
            }

            @Override
            public void clientDisconnected(Client client) {
                endProcessesOf(client.getUuid(), "its driver disconnected");
            }
        });
        sweeper.scheduleWithFixedDelay(this::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
        attached.countDown();
        publishLoad();
    }

    /** Handles a request from {@link AgentCall}: checks its signature, then obeys it. */
    byte[] handle(byte[] body, byte[] signature) {
        try {
            if (!attached.await(60, TimeUnit.SECONDS)) {
                return Protocol.refusal(Protocol.FAILED, "node '" + node + "' is still starting");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Protocol.refusal(Protocol.FAILED, "node '" + node + "' was interrupted");
        }
        if (!signer.verify(body, signature)) {
            LOG.warning("node " + node + " refused a request that was not signed with the cluster's authkey");
            return Protocol.refusal(Protocol.REFUSED, "node '" + node + "' refused the request: it was not signed"
                    + " with the cluster's authkey (the driver's authkey differs from the node's)");
        }
        Object request;
        try {
            request = Protocol.readRequest(body, replays);
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
            control = Backends.launchHere(launch, (standardError, line) ->
                    publish(events, Protocol.output(s.key(), standardError, line)));
        } catch (RuntimeException e) {
            return Protocol.refusal(Protocol.FAILED, "node '" + node + "' could not start process '" + launch.name()
                    + "': " + e.getMessage());
        }
        Running r = new Running(s.key(), s.owner(), launch.name(), control);
        running.put(s.key(), r);
        publishLoad();
        control.whenEnded().whenComplete((ignored, error) -> {
            running.remove(s.key());
            int code = control.exitCode().orElse(-9);
            byte[] thrown = control.exception().map(Backends::encodeThrowable).orElse(null);
            publish(events, Protocol.ended(s.key(), code, thrown));
            publishLoad();
        });
        if (!isConnected(s.owner())) {
            control.kill(); // the driver left while this started: nobody would ever end it
        }
        return Protocol.reply(control.pid());
    }

    private byte[] openPool(Protocol.PoolOpen o) {
        if (closed) {
            return Protocol.refusal(Protocol.FAILED, "node '" + node + "' is shutting down");
        }
        try {
            // The workers know their node, to name it when a task's class is missing here.
            List<String> options = new ArrayList<>(o.jvmOptions());
            options.add("-D" + Backends.NODE_PROPERTY + "=" + node);
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
        if (!isConnected(o.owner())) {
            endProcessesOf(o.owner(), "its driver left while its pool started");
        }
        return Protocol.reply(0);
    }

    /** Runs a task on a pool of this node and waits for it: this executor thread is the task's. */
    private byte[] runInPool(Protocol.PoolRun r) {
        Pool p = pools.get(r.pool());
        if (p == null) {
            return Protocol.refusal(Protocol.FAILED, "node '" + node + "' has no such pool (it was closed)");
        }
        try {
            Object result = Backends.submitEncoded(p.pool(), r.task(), r.description()).get();
            return Protocol.replyWith((byte[]) result);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Protocol.refusal(Protocol.FAILED, "node '" + node + "' was interrupted while it ran " + r.description());
        } catch (ExecutionException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
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

    private void publish(ITopic<AgentEvent> events, byte[] body) {
        try {
            events.publish(new AgentEvent(body, signer.sign(body)));
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

    private boolean isConnected(UUID owner) {
        for (Client c : member.getClientService().getConnectedClients()) {
            if (c.getUuid().equals(owner)) {
                return true;
            }
        }
        return false;
    }

    /** Ends the processes of owners that are no longer connected (a missed disconnect event). */
    private void sweep() {
        try {
            Set<UUID> connected = new HashSet<>();
            for (Client c : member.getClientService().getConnectedClients()) {
                connected.add(c.getUuid());
            }
            for (Running r : running.values()) {
                if (!connected.contains(r.owner())) {
                    endProcessesOf(r.owner(), "its driver is no longer connected");
                }
            }
            for (Pool p : pools.values()) {
                if (!connected.contains(p.owner())) {
                    endProcessesOf(p.owner(), "its driver is no longer connected");
                }
            }
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

    /** How many processes run here now. */
    public int runningCount() {
        return running.size();
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
        for (Running r : running.values()) {
            try {
                r.control().await(TimeUnit.SECONDS.toNanos(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
