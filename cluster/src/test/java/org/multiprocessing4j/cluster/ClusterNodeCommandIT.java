package org.multiprocessing4j.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multiprocessing4j.JvmProcess;
import org.multiprocessing4j.cluster.internal.HazelcastSettings;

/** The node's command line, as an operator runs it: {@code java -cp … ClusterNode --bind … --authkey-file …}. */
class ClusterNodeCommandIT {
    private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");

    private static ProcessBuilder node(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(HazelcastSettings.JVM_OPTIONS);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ClusterNode.class.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    @Test
    void badArgumentsPrintTheUsageAndExit2(@TempDir Path dir) throws Exception {
        Process p = node("--bogus", "x").redirectErrorStream(true).redirectOutput(dir.resolve("out").toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the node command ended within 60 s");
        assertEquals(2, p.exitValue());
        String out = Files.readString(dir.resolve("out"));
        assertTrue(out.contains("ClusterNode: unknown option --bogus") && out.contains("usage: java -cp"), out);

        Process noKey = node("--bind", "127.0.0.1:1").redirectErrorStream(true).redirectOutput(dir.resolve("out2").toFile()).start();
        assertTrue(noKey.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, noKey.exitValue());
        assertTrue(Files.readString(dir.resolve("out2")).contains("--authkey-file is required"));
    }

    @Test
    void aNodeStartedFromTheCommandLineRunsProcessesAndEndsOnSigterm(@TempDir Path dir) throws Exception {
        HAZELCAST_LOG.setLevel(Level.SEVERE);
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Path keyFile = dir.resolve("cluster.key");
        Files.write(keyFile, key);
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        String bind = "127.0.0.1:" + LocalNodes.freePort();
        File log = dir.resolve("node.log").toFile();
        Path config = dir.resolve("cluster.properties");
        Files.writeString(config, "bind = " + bind + "\nmembers = " + bind + "\nauthkey-file = cluster.key\nname = from-file\n");
        Process node = node("--config", config.toString(), "--name", "cli").redirectError(log).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
            String first = out.readLine(); // blocks until the node is up, or its JVM ended
            assertEquals("multiprocessing4j node cli serving at " + bind, first, () -> "node log: " + read(log));
            long remotePid;
            try (Cluster cluster = Cluster.connect(ClusterConfig.load(config))) {
                assertEquals(List.of("cli"), cluster.nodes());
                JvmProcess p = cluster.context().process(() -> System.exit(7));
                p.start();
                assertTrue(p.join(Duration.ofSeconds(60)));
                assertEquals(OptionalInt.of(7), p.exitCode());
                remotePid = p.pid();
                assertEquals(node.pid(), ProcessHandle.of(p.pid()).flatMap(ProcessHandle::parent).map(ProcessHandle::pid)
                        .orElse(node.pid()), "the process was the node's child");
            }
            node.destroy(); // SIGTERM, as an operator's Ctrl-C or systemd stop
            assertTrue(node.waitFor(60, TimeUnit.SECONDS), "the node ended within 60 s of SIGTERM");
            assertEquals(143, node.exitValue());
            assertTrue(ProcessHandle.of(remotePid).filter(ProcessHandle::isAlive).isEmpty(), "nothing left of the node");
        } finally {
            node.destroyForcibly();
        }
    }

    private static String read(File f) {
        try {
            return Files.readString(f.toPath());
        } catch (IOException e) {
            return "(none: " + e + ")";
        }
    }
}
