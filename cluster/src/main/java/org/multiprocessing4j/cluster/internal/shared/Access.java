package org.multiprocessing4j.cluster.internal.shared;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds how this process reaches a cluster's shared objects: the {@link Direct} access of a
 * driver or node of that cluster in this JVM, else the relay of the node (or driver) that
 * started this process.
 */
public final class Access {
    /** The system property that tells a child where its relay is (set by the JVM that starts it). */
    public static final String RELAY_PROPERTY = "multiprocessing4j.cluster.relay";
    private static final Map<String, Direct> DIRECT = new ConcurrentHashMap<>();
    private static Relay relay;

    private Access() {
    }

    /** Makes {@code access} the way this JVM reaches its cluster (a driver or a node registers itself). */
    public static void register(Direct access) {
        DIRECT.put(access.cluster(), access);
    }

    /** Forgets {@code access} (its instance is closing). */
    public static void unregister(Direct access) {
        DIRECT.remove(access.cluster(), access);
    }

    /**
     * The access to cluster {@code cluster} from this process.
     *
     * @throws IllegalStateException if this process is neither connected to that cluster nor
     *         started by one of its nodes or drivers
     */
    static Ops of(String cluster) {
        Direct d = DIRECT.get(cluster);
        if (d != null) {
            return d;
        }
        Relay r = relay();
        if (r == null) {
            throw new IllegalStateException("this object lives in cluster '" + cluster + "', which this process cannot"
                    + " reach: it is neither connected to it (Cluster.connect) nor started by one of its nodes");
        }
        if (!r.cluster().equals(cluster)) {
            throw new IllegalStateException("this object lives in cluster '" + cluster + "', but this process was"
                    + " started by a node of cluster '" + r.cluster() + "'");
        }
        return r;
    }

    private static synchronized Relay relay() {
        if (relay == null) {
            String path = System.getProperty(RELAY_PROPERTY);
            if (path == null) {
                return null;
            }
            relay = new Relay(Path.of(path));
        }
        return relay;
    }
}
