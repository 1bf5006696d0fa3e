package org.multiprocessing4j.cluster.internal;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.SerializationConfig;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.multiprocessing4j.cluster.internal.shared.Names;

/**
 * The Hazelcast configuration of members and clients: quiet, reachable only where asked, and
 * unable to decode foreign classes. Community Hazelcast has no TLS and no member
 * authentication, so members bind only to the address given, discover only the members listed
 * (no multicast, no cloud auto-detection), never phone home, and Java-deserialize only the
 * library's classes and the packages the user lists; the library's own messages are not
 * Java-serialized at all.
 */
public final class HazelcastSettings {
    /** The executor that carries requests to agents. */
    public static final String AGENT_EXECUTOR = "mp4j-agent";
    /** The member attribute that holds a node's name. */
    public static final String NODE_ATTRIBUTE = "mp4j.node";
    /** The executor that carries pool tasks to agents (each holds a thread while it runs). */
    public static final String POOL_EXECUTOR = "mp4j-pool";
    /** The map where agents keep, for a while, the ends of processes (for a driver that missed the event). */
    public static final String ENDED_MAP = "mp4j-ended";
    /** The map where agents publish how many processes they run. */
    public static final String LOAD_MAP = "mp4j-load";
    /** The topic of a driver's events: this prefix and the driver's client id. */
    public static final String EVENTS_PREFIX = "mp4j-events-";

    /** Kept so that the level set here stays set (the logging system holds loggers weakly). */
    private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");

    /**
     * The JVM options Hazelcast wants on the JVMs that run it (without them it warns at start and
     * runs slower): what the library puts on the node JVMs it starts itself.
     */
    public static final List<String> JVM_OPTIONS = jvmOptions();

    /**
     * The Hazelcast options for a JVM of this JDK (nodes run this JVM's {@code java}): on JDK 24
     * and later also {@code --sun-misc-unsafe-memory-access=allow}, without which the JDK warns
     * on standard error that Hazelcast 5.7 uses {@code sun.misc.Unsafe} (an option JDK 17 does not
     * know).
     */
    public static List<String> jvmOptions() {
        List<String> options = new java.util.ArrayList<>(List.of(
                "--add-modules=java.se",
                "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
                "--add-opens=java.base/java.lang=ALL-UNNAMED",
                "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
                "--add-opens=java.management/sun.management=ALL-UNNAMED",
                "--add-opens=jdk.management/com.sun.management.internal=ALL-UNNAMED"));
        if (Runtime.version().feature() >= 24) {
            options.add("--sun-misc-unsafe-memory-access=allow");
        }
        return List.copyOf(options);
    }

    private HazelcastSettings() {
    }

    /** Keeps Hazelcast's INFO chatter out of the user's log; its warnings still show. */
    public static void quiet() {
        if (System.getProperty("hazelcast.logging.type") == null) {
            System.setProperty("hazelcast.logging.type", "jdk");
        }
        if (HAZELCAST_LOG.getLevel() == null) {
            HAZELCAST_LOG.setLevel(Level.WARNING);
        }
    }

    /** A member's configuration. */
    public static Config member(String clusterName, String nodeName, String host, int port, Collection<String> members,
                                Collection<String> allowedPackages) {
        quiet();
        Config c = new Config();
        c.setClusterName(clusterName);
        c.setInstanceName("mp4j-" + nodeName + "-" + port);
        c.setProperty("hazelcast.logging.type", "jdk");
        c.setProperty("hazelcast.phone.home.enabled", "false");
        c.setProperty("hazelcast.socket.bind.any", "false");
        c.setProperty("hazelcast.wait.seconds.before.join", "0");
        // A driver whose host vanished without closing its connections is noticed in seconds.
        c.setProperty("hazelcast.client.max.no.heartbeat.seconds", "15");
        // A member that stops answering (a host gone without closing its connections) is removed
        // after 15 s instead of Hazelcast's 60, so its processes' ends are reported that soon.
        c.setProperty("hazelcast.max.no.heartbeat.seconds", "15");
        // The library ends its processes itself at shutdown (ClusterNode's hook).
        c.setProperty("hazelcast.shutdownhook.policy", "TERMINATE");
        NetworkConfig n = c.getNetworkConfig();
        n.setPort(port).setPortAutoIncrement(false);
        n.getInterfaces().setEnabled(true).addInterface(host);
        n.setPublicAddress(host + ":" + port);
        JoinConfig join = n.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(List.copyOf(members)).setConnectionTimeoutSeconds(2);
        c.getMemberAttributeConfig().setAttribute(NODE_ATTRIBUTE, nodeName);
        // Control requests have their own threads, so that pool tasks (each holds a thread of
        // its executor while it runs on the node) never delay a start or a kill.
        c.getExecutorConfig(AGENT_EXECUTOR).setPoolSize(16);
        c.getExecutorConfig(POOL_EXECUTOR).setPoolSize(64);
        // Shared objects: one synchronous backup each, so that what they hold survives the death
        // of the member that owns it (with none, a killed member loses every item it held).
        c.addQueueConfig(new com.hazelcast.config.QueueConfig(Names.QUEUE_PREFIX + "*").setBackupCount(1));
        c.addMapConfig(new com.hazelcast.config.MapConfig(Names.ALL + "*").setBackupCount(1));
        // The sync map's entries are changed only by entry processors: kept as objects, a step
        // does not decode and re-encode its entry on the owner and on the backup.
        c.addMapConfig(new com.hazelcast.config.MapConfig(Names.SYNC_MAP).setBackupCount(1)
                .setInMemoryFormat(com.hazelcast.config.InMemoryFormat.OBJECT));
        c.addListConfig(new com.hazelcast.config.ListConfig(Names.LIST_PREFIX + "*").setBackupCount(1));
        serialization(c.getSerializationConfig(), allowedPackages);
        return c;
    }

    /** A driver's client configuration. */
    public static ClientConfig client(String clusterName, Collection<String> members, Duration connectTimeout,
                                      Collection<String> allowedPackages) {
        quiet();
        ClientConfig c = new ClientConfig();
        c.setClusterName(clusterName);
        c.setProperty("hazelcast.logging.type", "jdk");
        c.getNetworkConfig().setAddresses(List.copyOf(members));
        c.setProperty("hazelcast.client.heartbeat.timeout", "15000");
        c.getConnectionStrategyConfig().getConnectionRetryConfig()
                .setClusterConnectTimeoutMillis(connectTimeout.toMillis());
        serialization(c.getSerializationConfig(), allowedPackages);
        return c;
    }

    private static void serialization(SerializationConfig s, Collection<String> allowedPackages) {
        s.addDataSerializableFactory(Ids.FACTORY, new Ids());
        JavaSerializationFilterConfig filter = new JavaSerializationFilterConfig();
        // None of the library's classes: its messages are IdentifiedDataSerializable, and a
        // library class that Hazelcast would Java-deserialize for anyone who reaches a member
        // could be made to run code (a pool's ChunkCall). A class that does not exist keeps the
        // list from being empty, which would allow everything.
        filter.getWhitelist().addClasses(HazelcastSettings.class.getName() + "$NothingElse");
        for (String p : allowedPackages) {
            filter.getWhitelist().addPackages(p.trim());
        }
        s.setJavaSerializationFilterConfig(filter);
    }
}
