package org.multiprocessing4j.cluster;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A cluster's settings in a properties file, shared by drivers ({@link ClusterConfig#load}) and
 * nodes ({@code ClusterNode --config}): {@code members}, {@code authkey-file} (relative to the
 * file's directory), {@code cluster-name}, {@code allow-packages}, and for a node {@code bind} and
 * {@code name}, for a driver {@code connect-timeout-seconds}. Lists are comma-separated.
 */
final class ConfigFile {
    /** The keys a file may hold; drivers and nodes read the same file and ignore the other's keys. */
    private static final Set<String> KEYS = Set.of("members", "authkey-file", "cluster-name", "allow-packages",
            "connect-timeout-seconds", "bind", "name");

    private final Path file;
    private final Properties p = new Properties();

    private ConfigFile(Path file) {
        this.file = file;
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the cluster configuration " + file + ": " + e, e);
        }
        Set<String> unknown = new TreeSet<>(p.stringPropertyNames());
        unknown.removeAll(KEYS);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("the cluster configuration " + file + " has unknown keys " + unknown
                    + "; the keys are " + new TreeSet<>(KEYS));
        }
    }

    static ConfigFile read(Path file) {
        return new ConfigFile(file);
    }

    String get(String key) {
        String v = p.getProperty(key);
        return v == null ? null : v.trim();
    }

    List<String> list(String key) {
        String v = get(key);
        return v == null || v.isEmpty() ? List.of()
                : Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toList());
    }

    /** The key file named by {@code authkey-file}, relative to this file's directory. */
    Path authkeyFile() {
        String v = get("authkey-file");
        if (v == null) {
            return null;
        }
        Path dir = file.toAbsolutePath().getParent();
        return dir == null ? Path.of(v) : dir.resolve(v);
    }

    Path path() {
        return file;
    }
}
