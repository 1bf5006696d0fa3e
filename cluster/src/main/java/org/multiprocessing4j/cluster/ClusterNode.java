package org.multiprocessing4j.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import org.multiprocessing4j.cluster.internal.Agent;
import org.multiprocessing4j.cluster.internal.Authkeys;
import org.multiprocessing4j.cluster.internal.HazelcastSettings;

/**
 * One machine's part of a cluster: a Hazelcast member and the library's agent, which starts the
 * processes drivers ask for as child JVMs of this node. Run one per machine, with the
 * application's class path (Hazelcast Community cannot ship code, so every node must have the
 * application's jars; a process whose class a node lacks fails to start, naming the class and
 * the node):
 *
 * <pre>
 * java -cp app.jar:libs/* org.multiprocessing4j.cluster.ClusterNode \
 *      --bind 10.0.0.1:5701 --members 10.0.0.1:5701,10.0.0.2:5701 --authkey-file cluster.key
 * </pre>
 *
 * <p>A node binds only to the address given (127.0.0.1 if none), finds the other members only
 * at the addresses listed (no multicast, no cloud discovery), never phones home, obeys only
 * requests signed with the authkey, and ends its processes when it ends or when their driver
 * goes away. Traffic is not encrypted: use a private network or a VPN.
 *
 * <p>Thread-safe; {@link #close()} is idempotent.
 */
public final class ClusterNode implements AutoCloseable {
    /**
     * The JVM options a node's JVM should have: Hazelcast wants access to a few JDK internals
     * (without them it warns at start and runs slower), and on JDK 24 and later
     * {@code --sun-misc-unsafe-memory-access=allow} (without it the JDK warns that Hazelcast uses
     * {@code sun.misc.Unsafe}). The list is this JDK's. Give them to {@code java} when you start
     * a node by hand, or to a node started as a {@code JvmProcess}.
     */
    public static final List<String> JVM_OPTIONS = HazelcastSettings.JVM_OPTIONS;

    private final String name;
    private final InetSocketAddress address;
    private final HazelcastInstance member;
    private final Agent agent;
    private final CountDownLatch closedLatch = new CountDownLatch(1);
    private final Thread exitHook;

    private ClusterNode(String name, InetSocketAddress address, HazelcastInstance member, Agent agent) {
        this.name = name;
        this.address = address;
        this.member = member;
        this.agent = agent;
        // However this JVM ends, its processes end first: the core would wait for a non-daemon
        // child at exit, and a node's children belong to their drivers.
        this.exitHook = new Thread(agent::close, "multiprocessing4j-node-" + name + "-exit");
        Runtime.getRuntime().addShutdownHook(exitHook);
    }

    /**
     * A new builder.
     *
     * @return a builder binding to 127.0.0.1:5701 with no members and no authkey
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The command-line entry point: {@code [--config FILE] --bind HOST:PORT --members HOST:PORT,...
     * --authkey-file FILE [--name NAME] [--cluster-name NAME] [--allow-packages P,...]}, where a
     * config file ({@link ClusterConfig#load}'s, with {@code bind} and {@code name} too) gives
     * what the options after it do not. Runs
     * until the JVM is told to end (SIGTERM, Ctrl-C), then ends its processes and leaves.
     *
     * @param args the arguments
     * @throws InterruptedException if the main thread is interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        Builder b = builder();
        try {
            for (int i = 0; i < args.length; i++) {
                String option = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option " + option + " needs a value");
                }
                String value = args[++i];
                switch (option) {
                    case "--config": b.config(Path.of(value)); break;
                    case "--bind": b.bind(value); break;
                    case "--members": b.members(value.split(",")); break;
                    case "--authkey-file": b.authkeyFile(Path.of(value)); break;
                    case "--name": b.name(value); break;
                    case "--cluster-name": b.clusterName(value); break;
                    case "--allow-packages": b.allowPackages(value.split(",")); break;
                    default: throw new IllegalArgumentException("unknown option " + option);
                }
            }
            if (b.authkey == null) {
                throw new IllegalArgumentException("--authkey-file is required");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("ClusterNode: " + e.getMessage());
            System.err.println("usage: java -cp <the application's class path> org.multiprocessing4j.cluster.ClusterNode"
                    + " [--config FILE] --bind HOST:PORT --members HOST:PORT,... --authkey-file FILE [--name NAME]"
                    + " [--cluster-name NAME] [--allow-packages PACKAGE,...]   (options after --config add to it or override it)");
            System.exit(2);
            return;
        }
        ClusterNode node = b.start();
        System.out.println("multiprocessing4j node " + node.name() + " serving at " + b.bind);
        node.awaitClose();
    }

    /** @return this node's name, by which {@link Cluster#context(String)} places processes on it */
    public String name() {
        return name;
    }

    /** @return the address this node's member listens on */
    public InetSocketAddress address() {
        return address;
    }

    /**
     * Blocks until this node is closed: what a program that only runs a node does after
     * starting it.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public void awaitClose() throws InterruptedException {
        closedLatch.await();
    }

    /**
     * Kills the processes this node runs, waits for them to end (at most a few seconds), and
     * leaves the cluster. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closedLatch.getCount() == 0) {
                return;
            }
            try {
                Runtime.getRuntime().removeShutdownHook(exitHook);
            } catch (IllegalStateException shuttingDown) {
                // The hook runs, or has run, anyway.
            }
            try {
                agent.close();
            } finally {
                try {
                    member.shutdown();
                } finally {
                    closedLatch.countDown();
                }
            }
        }
    }

    @Override
    public String toString() {
        return "ClusterNode[" + name + " at " + address + "]";
    }

    /** Builds and starts a {@link ClusterNode}. Not thread-safe. */
    public static final class Builder {
        private String bind = "127.0.0.1:5701";
        private final List<String> members = new ArrayList<>();
        private byte[] authkey;
        private String name;
        private String clusterName = ClusterConfig.DEFAULT_CLUSTER_NAME;
        private final List<String> allowedPackages = new ArrayList<>();

        private Builder() {
        }

        /**
         * Takes the settings of a properties file: {@code bind}, {@code members},
         * {@code authkey-file} (relative to the file's directory), {@code name},
         * {@code cluster-name}, {@code allow-packages} (see {@link ClusterConfig#load}); calls
         * after this one override them.
         *
         * @param file the properties file
         * @return this builder
         * @throws IllegalArgumentException if it cannot be read, has an unknown key or a bad value
         */
        public Builder config(Path file) {
            ConfigFile f = ConfigFile.read(Objects.requireNonNull(file, "file"));
            if (f.get("bind") != null) {
                bind(f.get("bind"));
            }
            members(f.list("members").toArray(new String[0]));
            if (f.authkeyFile() != null) {
                authkeyFile(f.authkeyFile());
            }
            if (f.get("name") != null) {
                name(f.get("name"));
            }
            if (f.get("cluster-name") != null) {
                clusterName(f.get("cluster-name"));
            }
            allowPackages(f.list("allow-packages").toArray(new String[0]));
            return this;
        }

        /**
         * The address the member listens on, {@code host:port} (default 127.0.0.1:5701). Give a
         * private network's address to reach other machines.
         *
         * @param hostPort the address
         * @return this builder
         * @throws IllegalArgumentException if it is not {@code host:port}
         */
        public Builder bind(String hostPort) {
            Addresses.check(Objects.requireNonNull(hostPort, "hostPort"), "bind address");
            this.bind = hostPort;
            return this;
        }

        /**
         * The addresses of the cluster's members, this one's included or not.
         *
         * @param addresses {@code host:port} each
         * @return this builder
         * @throws IllegalArgumentException if one is not {@code host:port}
         */
        public Builder members(String... addresses) {
            for (String a : addresses) {
                Addresses.check(Objects.requireNonNull(a, "address").trim(), "member address");
                members.add(a.trim());
            }
            return this;
        }

        /**
         * The cluster's authkey.
         *
         * @param key at least 16 bytes; copied
         * @return this builder
         * @throws IllegalArgumentException if it is shorter than 16 bytes
         */
        public Builder authkey(byte[] key) {
            this.authkey = Authkeys.check(Objects.requireNonNull(key, "key").clone(), "the authkey");
            return this;
        }

        /**
         * Reads the authkey from a file readable by its owner only (its bytes, less a final line break).
         *
         * @param file the key file
         * @return this builder
         * @throws IllegalArgumentException if it cannot be read, is readable by others, or is too short
         */
        public Builder authkeyFile(Path file) {
            this.authkey = Authkeys.read(Objects.requireNonNull(file, "file"));
            return this;
        }

        /**
         * The node's name (default its bind address), unique in the cluster.
         *
         * @param nodeName the name
         * @return this builder
         */
        public Builder name(String nodeName) {
            if (Objects.requireNonNull(nodeName, "nodeName").isBlank()) {
                throw new IllegalArgumentException("the node name is blank");
            }
            this.name = nodeName;
            return this;
        }

        /**
         * The cluster's name (default {@value ClusterConfig#DEFAULT_CLUSTER_NAME}).
         *
         * @param cluster the name
         * @return this builder
         */
        public Builder clusterName(String cluster) {
            if (Objects.requireNonNull(cluster, "cluster").isBlank()) {
                throw new IllegalArgumentException("the cluster name is blank");
            }
            this.clusterName = cluster;
            return this;
        }

        /**
         * Packages whose classes Hazelcast may Java-deserialize on this node, besides the library's.
         *
         * @param packages package names
         * @return this builder
         */
        public Builder allowPackages(String... packages) {
            for (String p : packages) {
                allowedPackages.add(Objects.requireNonNull(p, "package"));
            }
            return this;
        }

        /**
         * Starts the member and its agent; returns once the member has joined (or formed) the
         * cluster.
         *
         * @return the running node
         * @throws IllegalStateException if no authkey was given, or the cluster already has a node
         *         of this name
         * @throws RuntimeException from Hazelcast if the member cannot start (the port is taken, say)
         */
        public ClusterNode start() {
            if (authkey == null) {
                throw new IllegalStateException("no authkey: give the cluster's key with authkey(...) or authkeyFile(...)");
            }
            String host = Addresses.host(bind);
            int port = Addresses.check(bind, "bind address");
            String nodeName = name != null ? name : bind;
            List<String> all = new ArrayList<>(members);
            if (all.isEmpty()) {
                all.add(bind);
            }
            Agent agent = new Agent(nodeName, authkey);
            Config config = HazelcastSettings.member(clusterName, nodeName, host, port, all, allowedPackages);
            config.getUserContext().put(Agent.USER_CONTEXT_KEY, agent);
            HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
            for (com.hazelcast.cluster.Member m : member.getCluster().getMembers()) {
                if (!m.localMember() && nodeName.equals(m.getAttribute(HazelcastSettings.NODE_ATTRIBUTE))) {
                    member.shutdown();
                    throw new IllegalStateException("cannot start node '" + nodeName + "': the cluster already has a"
                            + " node of that name (at " + m.getAddress() + "); give each node its own --name");
                }
            }
            agent.attach(member);
            return new ClusterNode(nodeName, new InetSocketAddress(host, port), member, agent);
        }
    }
}
