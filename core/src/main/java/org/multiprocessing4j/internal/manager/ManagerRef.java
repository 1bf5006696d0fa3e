package org.multiprocessing4j.internal.manager;

import java.io.Serializable;
import java.net.SocketAddress;
import java.time.Instant;
import java.util.UUID;
import java.util.Optional;
import org.multiprocessing4j.ProcessQueue;

/**
 * How any process of the family reaches a manager: its request queue, and the name and
 * identity of its server process (to tell, while waiting for a reply, whether it still runs).
 * Travels inside every proxy.
 */
public final class ManagerRef implements Serializable {
    private static final long serialVersionUID = 1L;

    final String key;
    final String name;
    final long pid;
    /** The server's start time in epoch milliseconds, or -1 if the system does not tell. */
    final long startMillis;
    final ProcessQueue<Object> requests;
    /** A remote manager's address, or null for one in this family (reached through {@link #requests}). */
    final SocketAddress address;
    /** A remote manager's authkey; travels with the proxies, over private channels only. */
    final byte[] authkey;

    /**
     * Made by the owner once the server process has started.
     *
     * @param key unique among the managers of all processes (a random UUID)
     * @param name the manager's name
     * @param pid the server process's pid; its start time is read now
     * @param requests the manager's request queue
     */
    public ManagerRef(String key, String name, long pid, ProcessQueue<Object> requests) {
        this.key = key;
        this.name = name;
        this.pid = pid;
        this.startMillis = ProcessHandle.of(pid).flatMap(h -> h.info().startInstant()).map(Instant::toEpochMilli)
                .orElse(-1L);
        this.requests = requests;
        this.address = null;
        this.authkey = null;
    }

    /**
     * A manager reached over a socket ({@code ProcessManager.connect}, or {@code serve} for the
     * serving JVM's own calls).
     *
     * @param name how errors name it
     * @param address where it listens
     * @param authkey its authkey (copied)
     */
    public ManagerRef(String name, SocketAddress address, byte[] authkey) {
        this.key = UUID.randomUUID().toString();
        this.name = name;
        this.pid = -1;
        this.startMillis = -1;
        this.requests = null;
        this.address = address;
        this.authkey = authkey == null ? null : authkey.clone();
    }

    /** Whether the server process still runs (a pid taken by another process since does not count). */
    boolean serverAlive() {
        if (address != null) {
            return true; // a socket's end-of-file tells when the server is gone
        }
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty() || !h.get().isAlive()) {
            return false;
        }
        return startMillis < 0 || h.get().info().startInstant().map(Instant::toEpochMilli).orElse(startMillis) == startMillis;
    }

    /** {@code manager 'SyncManager-1' (pid 1234)}. */
    String describe() {
        return address != null ? "manager '" + name + "' at " + address : "manager '" + name + "' (pid " + pid + ")";
    }
}
