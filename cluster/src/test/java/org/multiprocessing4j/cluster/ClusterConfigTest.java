package org.multiprocessing4j.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Misuse of the cluster's configuration gets a clear error at once, naming what was wrong. */
class ClusterConfigTest {
    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    @Test
    void aCompleteConfigKeepsWhatItWasGiven() {
        ClusterConfig c = ClusterConfig.builder().members("127.0.0.1:5701", "h:5702").authkey(KEY)
                .clusterName("c").allowPackages("com.acme").connectTimeout(Duration.ofSeconds(3)).build();
        assertEquals(List.of("127.0.0.1:5701", "h:5702"), c.members());
        assertArrayEquals(KEY, c.authkey());
        assertEquals("c", c.clusterName());
        assertEquals(List.of("com.acme"), c.allowedPackages());
        assertEquals(Duration.ofSeconds(3), c.connectTimeout());
        assertFalse(c.toString().contains("0123"), "toString never shows the key: " + c);
    }

    @Test
    void badInputIsRefusedNamingWhatWasWrong() {
        ClusterConfig.Builder b = ClusterConfig.builder();
        assertMessage(IllegalArgumentException.class, "'localhost' is not host:port", () -> b.members("localhost"));
        assertMessage(IllegalArgumentException.class, "has no numeric port", () -> b.members("h:x"));
        assertMessage(IllegalArgumentException.class, "outside 1..65535", () -> b.members("h:70000"));
        assertThrows(NullPointerException.class, () -> b.members((String) null));
        assertMessage(IllegalArgumentException.class, "holds 3 bytes; an authkey needs at least 16", () -> b.authkey(new byte[3]));
        assertMessage(IllegalArgumentException.class, "blank", () -> b.clusterName(" "));
        assertMessage(IllegalArgumentException.class, "must be positive", () -> b.connectTimeout(Duration.ZERO));
        assertMessage(IllegalStateException.class, "no member address", b::build);
        b.members("h:1");
        assertMessage(IllegalStateException.class, "no authkey", b::build);
        assertMessage(IllegalStateException.class, "no authkey", () -> ClusterNode.builder().start());
        assertMessage(IllegalArgumentException.class, "is not host:port", () -> ClusterNode.builder().bind("nowhere"));
    }

    @Test
    void anAuthkeyFileMustBePrivate(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("cluster.key");
        Files.write(key, ("0123456789abcdef0123456789abcdef" + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        assertMessage(IllegalArgumentException.class, "readable by others than its owner; make it private (chmod 600",
                () -> ClusterConfig.builder().authkeyFile(key));
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        ClusterConfig c = ClusterConfig.builder().members("h:1").authkeyFile(key).build();
        assertArrayEquals(KEY, c.authkey(), "the final line break is not part of the key");
        assertMessage(IllegalArgumentException.class, "cannot read the authkey file",
                () -> ClusterConfig.builder().authkeyFile(dir.resolve("missing")));
    }

    @Test
    void aConfigFileGivesTheSameSettings(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("cluster.key");
        Files.write(key, KEY);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        Path file = dir.resolve("cluster.properties");
        Files.writeString(file, "members = h1:5701, h2:5702\nauthkey-file = cluster.key\ncluster-name = c\n"
                + "allow-packages = com.acme, org.example\nconnect-timeout-seconds = 7\nbind = h1:5701\nname = a\n");
        ClusterConfig c = ClusterConfig.load(file);
        assertEquals(List.of("h1:5701", "h2:5702"), c.members());
        assertArrayEquals(KEY, c.authkey(), "the key file is found beside the configuration");
        assertEquals("c", c.clusterName());
        assertEquals(List.of("com.acme", "org.example"), c.allowedPackages());
        assertEquals(Duration.ofSeconds(7), c.connectTimeout());

        Files.writeString(file, "members = h1:5701\nauthkey-file = cluster.key\nmembrs = typo\n");
        assertMessage(IllegalArgumentException.class, "unknown keys [membrs]", () -> ClusterConfig.load(file));
        Files.writeString(file, "members = h1:5701\nauthkey-file = cluster.key\nconnect-timeout-seconds = soon\n");
        assertMessage(IllegalArgumentException.class, "connect-timeout-seconds in", () -> ClusterConfig.load(file));
        Files.writeString(file, "members = h1\n");
        assertMessage(IllegalArgumentException.class, "'h1' is not host:port", () -> ClusterConfig.load(file));
        Files.writeString(file, "members = h1:1\n");
        assertMessage(IllegalStateException.class, "no authkey", () -> ClusterConfig.load(file));
        assertMessage(IllegalArgumentException.class, "cannot read the cluster configuration",
                () -> ClusterConfig.load(dir.resolve("missing.properties")));
    }

    private static void assertMessage(Class<? extends Throwable> type, String part, org.junit.jupiter.api.function.Executable call) {
        Throwable t = assertThrows(type, call);
        assertTrue(t.getMessage().contains(part), () -> "message has '" + part + "': " + t.getMessage());
    }
}
