package org.multiprocessing4j.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.multiprocessing4j.cluster.internal.Authkeys;

/**
 * How a driver reaches a cluster: the addresses of some of its nodes, the cluster's authkey,
 * and the cluster's name. Immutable; made with {@link #builder()}.
 *
 * <pre>{@code
 * ClusterConfig config = ClusterConfig.builder()
 *         .members("10.0.0.1:5701", "10.0.0.2:5701")
 *         .authkeyFile(Path.of("/etc/myapp/cluster.key"))
 *         .build();
 * }</pre>
 */
public final class ClusterConfig {
    /** The cluster name nodes and drivers use unless told otherwise. */
    public static final String DEFAULT_CLUSTER_NAME = "multiprocessing4j";

    private final List<String> members;
    private final byte[] authkey;
    private final String clusterName;
    private final List<String> allowedPackages;
    private final Duration connectTimeout;

    private ClusterConfig(Builder b) {
        this.members = List.copyOf(b.members);
        this.authkey = b.authkey.clone();
        this.clusterName = b.clusterName;
        this.allowedPackages = List.copyOf(b.allowedPackages);
        this.connectTimeout = b.connectTimeout;
    }

    /**
     * A new builder.
     *
     * @return a builder with no members and no authkey
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads a configuration from a properties file:
     *
     * <pre>
     * members = 10.0.0.1:5701, 10.0.0.2:5701
     * authkey-file = cluster.key          # relative to this file's directory; chmod 600
     * cluster-name = multiprocessing4j    # optional
     * allow-packages = com.acme.jobs      # optional
     * connect-timeout-seconds = 30        # optional
     * </pre>
     *
     * The nodes can read the same file ({@code ClusterNode --config FILE}), with their own
     * {@code bind} and {@code name}, which a driver ignores.
     *
     * @param file the properties file
     * @return the configuration
     * @throws IllegalArgumentException if it cannot be read, has an unknown key or a bad value
     *         (the message names it)
     * @throws IllegalStateException if it names no member or no authkey file
     */
    public static ClusterConfig load(Path file) {
        ConfigFile f = ConfigFile.read(Objects.requireNonNull(file, "file"));
        Builder b = builder().members(f.list("members"));
        if (f.authkeyFile() != null) {
            b.authkeyFile(f.authkeyFile());
        }
        if (f.get("cluster-name") != null) {
            b.clusterName(f.get("cluster-name"));
        }
        b.allowPackages(f.list("allow-packages").toArray(new String[0]));
        String timeout = f.get("connect-timeout-seconds");
        if (timeout != null) {
            try {
                b.connectTimeout(Duration.ofSeconds(Long.parseLong(timeout)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("connect-timeout-seconds in " + file + " is not a number: " + timeout, e);
            }
        }
        return b.build();
    }

    /** @return the node addresses, {@code host:port} */
    public List<String> members() {
        return members;
    }

    /** @return a copy of the authkey */
    public byte[] authkey() {
        return authkey.clone();
    }

    /** @return the cluster's name */
    public String clusterName() {
        return clusterName;
    }

    /** @return the packages whose classes Hazelcast may Java-deserialize, besides the library's */
    public List<String> allowedPackages() {
        return allowedPackages;
    }

    /** @return how long {@link Cluster#connect} tries to reach a node */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    @Override
    public String toString() {
        return "ClusterConfig[members=" + members + ", cluster=" + clusterName + "]"; // never the key
    }

    /** Builds a {@link ClusterConfig}. Not thread-safe. */
    public static final class Builder {
        private final List<String> members = new ArrayList<>();
        private byte[] authkey;
        private String clusterName = DEFAULT_CLUSTER_NAME;
        private final List<String> allowedPackages = new ArrayList<>();
        private Duration connectTimeout = Duration.ofSeconds(30);

        private Builder() {
        }

        /**
         * Adds node addresses to try, {@code host:port} each; one reachable node is enough.
         *
         * @param addresses the addresses
         * @return this builder
         * @throws NullPointerException if an address is null
         * @throws IllegalArgumentException if one is not {@code host:port}
         */
        public Builder members(String... addresses) {
            return members(Arrays.asList(addresses));
        }

        /** As {@link #members(String...)}. @param addresses the addresses @return this builder */
        public Builder members(Collection<String> addresses) {
            for (String a : addresses) {
                Addresses.check(Objects.requireNonNull(a, "address"), "member address");
                members.add(a);
            }
            return this;
        }

        /**
         * The cluster's authkey: the nodes obey only requests signed with it.
         *
         * @param key at least 16 bytes (32 random bytes are best); copied
         * @return this builder
         * @throws IllegalArgumentException if it is shorter than 16 bytes
         */
        public Builder authkey(byte[] key) {
            this.authkey = Authkeys.check(Objects.requireNonNull(key, "key").clone(), "the authkey");
            return this;
        }

        /**
         * Reads the authkey from {@code file}: its bytes, less one final line break. The file
         * must be readable by its owner only.
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
         * The cluster's name (default {@value ClusterConfig#DEFAULT_CLUSTER_NAME}), as the nodes were given.
         *
         * @param name the name
         * @return this builder
         */
        public Builder clusterName(String name) {
            if (Objects.requireNonNull(name, "name").isBlank()) {
                throw new IllegalArgumentException("the cluster name is blank");
            }
            this.clusterName = name;
            return this;
        }

        /**
         * Packages whose classes Hazelcast may Java-deserialize for this driver, besides the
         * library's (needed only for objects of yours that travel through Hazelcast itself).
         *
         * @param packages package names, such as {@code com.acme.jobs}
         * @return this builder
         */
        public Builder allowPackages(String... packages) {
            for (String p : packages) {
                allowedPackages.add(Objects.requireNonNull(p, "package"));
            }
            return this;
        }

        /**
         * How long {@link Cluster#connect} tries to reach a node before it fails (default 30 s).
         *
         * @param timeout a positive duration
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            if (Objects.requireNonNull(timeout, "timeout").isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("the connect timeout must be positive: " + timeout);
            }
            this.connectTimeout = timeout;
            return this;
        }

        /**
         * The configuration.
         *
         * @return a new configuration
         * @throws IllegalStateException if no member or no authkey was given
         */
        public ClusterConfig build() {
            if (members.isEmpty()) {
                throw new IllegalStateException("no member address: give at least one with members(\"host:port\")");
            }
            if (authkey == null) {
                throw new IllegalStateException("no authkey: give the cluster's key with authkey(...) or authkeyFile(...)");
            }
            return new ClusterConfig(this);
        }
    }
}
