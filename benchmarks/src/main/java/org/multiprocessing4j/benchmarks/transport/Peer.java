package org.multiprocessing4j.benchmarks.transport;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The second JVM of a probe: this JVM's {@code java} and class path running
 * {@link PeerMain} with a role and its arguments. The child ends itself when its standard
 * input reaches EOF (so it dies with this JVM, even after SIGKILL); {@link #close()} closes
 * that input and then kills it by pid if it has not gone within a second. A shutdown hook ends
 * every peer still alive.
 */
final class Peer implements AutoCloseable {
    private static final Set<Peer> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Peer::close), "peer-reaper"));
    }

    private final Process process;
    private final OutputStream stdin;

    private Peer(Process process) {
        this.process = process;
        this.stdin = process.getOutputStream();
    }

    static Peer start(String role, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        for (String key : System.getProperties().stringPropertyNames()) {
            if (key.startsWith("probe.")) {
                cmd.add("-D" + key + "=" + System.getProperty(key)); // the waiting strategy's knobs
            }
        }
        cmd.add(PeerMain.class.getName());
        cmd.add(role);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        Peer peer = new Peer(pb.start());
        LIVE.add(peer);
        return peer;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** User + system CPU time of the peer (all threads) in clock ticks, from /proc/PID/stat; -1 if unknown. */
    long cpuTicks() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid()), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" +");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 (utime) and 15 (stime)
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        try {
            stdin.close();
        } catch (IOException ignored) {
            // the child is gone already
        }
        try {
            if (!process.waitFor(1, TimeUnit.SECONDS)) {
                ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);
            Thread.currentThread().interrupt();
        }
        LIVE.remove(this);
    }
}
