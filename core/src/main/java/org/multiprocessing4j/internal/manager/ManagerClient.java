package org.multiprocessing4j.internal.manager;

import java.io.Serializable;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.multiprocessing4j.Connection;
import org.multiprocessing4j.PipeClosedException;
import org.multiprocessing4j.ProcessPipe;

/**
 * A manager seen from one JVM: one pipe to its server per calling thread, opened on the thread's
 * first call by putting one end on the manager's request queue and waiting for the server's
 * hello on it (checking every {@link #LIVENESS} meanwhile that the server still runs, so that a
 * server killed before it took the pipe does not leave the caller waiting). A call is then a
 * request and a reply on the thread's pipe; if the server dies, the pipe's end-of-file ends the
 * wait.
 *
 * <p>One instance per manager and JVM ({@link #of}). In the JVM that started the manager,
 * {@link #owner} also knows how the server ended and closes every pipe on {@link #close()}.
 */
public final class ManagerClient {
    private static final Duration LIVENESS = Duration.ofMillis(100);
    private static final Map<String, ManagerClient> CLIENTS = new ConcurrentHashMap<>();

    private final ManagerRef ref;
    /** In the owner: how the server ended, waiting a little for its exit code; elsewhere null. */
    private final Supplier<String> howEnded;
    private final ThreadLocal<Connection> links = new ThreadLocal<>();
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private ManagerClient(ManagerRef ref, Supplier<String> howEnded) {
        this.ref = ref;
        this.howEnded = howEnded;
    }

    /** The client of the manager {@code ref} in this JVM. */
    static ManagerClient of(ManagerRef ref) {
        return CLIENTS.computeIfAbsent(ref.key, k -> new ManagerClient(ref, null));
    }

    /** Registers the client of the JVM that started the manager; {@code howEnded} describes the server's end. */
    public static ManagerClient owner(ManagerRef ref, Supplier<String> howEnded) {
        ManagerClient c = new ManagerClient(ref, howEnded);
        CLIENTS.put(ref.key, c);
        return c;
    }

    /**
     * A proxy for a new object of {@code typeid} in the server (the caller has checked that the
     * manager has the typeid and that {@code iface} is its interface).
     */
    public <I> I create(String typeid, Class<I> iface) {
        int id = serverCall(Wire.CREATE, new Object[] {typeid}, () -> "create('" + typeid + "')");
        return proxy(new ProxyHandler(ref, typeid, id, iface), iface);
    }

    /**
     * A proxy for the one object of {@code typeid} the server keeps under {@code objectName},
     * made at the first such call from any client; the server checks the typeid and interface.
     */
    public <I> I named(String typeid, String objectName, Class<I> iface) {
        int id = serverCall(Wire.NAMED, new Object[] {typeid, objectName, iface.getName()},
                () -> typeid + " '" + objectName + "'");
        return proxy(new ProxyHandler(ref, typeid, id, iface), iface);
    }

    /** Runs a method of the server itself, which answers an object id. */
    private int serverCall(int method, Object[] args, Supplier<String> what) {
        try {
            return (Integer) call(Wire.SERVER_OBJECT, method, args, what);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static <I> I proxy(ProxyHandler handler, Class<I> iface) {
        ClassLoader loader = iface.getClassLoader() != null ? iface.getClassLoader() : ManagerClient.class.getClassLoader();
        return iface.cast(Proxy.newProxyInstance(loader, new Class<?>[] {iface, Serializable.class}, handler));
    }

    /**
     * Runs method {@code method} of object {@code objectId} in the server and returns its result,
     * or throws what it threw there.
     *
     * @param what names the call in errors, e.g. "ConcurrentMap.merge on dict 3 of manager 'Manager-1'"
     * @throws org.multiprocessing4j.ProcessSerializationException if an argument cannot be
     *         serialized; nothing is sent
     * @throws IllegalStateException if the manager is closed or has ended, or the thread is
     *         interrupted while waiting (its interrupt status is kept)
     */
    Object call(int objectId, int method, Object[] args, Supplier<String> what) throws Throwable {
        byte[] request = Wire.request(objectId, method, args, what);
        checkOpen();
        Connection link = null;
        byte[] reply;
        try {
            link = link();
            link.sendBytes(request);
            reply = link.recvBytes();
        } catch (PipeClosedException serverGone) {
            drop(link);
            throw gone();
        } catch (InterruptedException e) {
            drop(link); // a reply may still come: the pipe is out of step
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + ref.describe() + " to run " + what.get()
                    + "; the call may or may not have run", e);
        } catch (IllegalStateException e) {
            drop(link);
            checkOpen(); // closed meanwhile: say so rather than "pipe closed"
            throw ref.serverAlive() ? e : gone();
        }
        return Wire.result(reply);
    }

    /**
     * Opens the calling thread's link to the server now, so that an unreachable server or a
     * wrong authkey fails here rather than at the first call.
     */
    public void connect() throws InterruptedException {
        link();
    }

    private Connection link() throws InterruptedException {
        Connection link = links.get();
        if (link == null && ref.address != null) {
            link = remoteLink();
        } else if (link == null) {
            ProcessPipe pipe = ProcessPipe.open(true);
            try {
                ref.requests.put(pipe.second());
            } catch (RuntimeException | InterruptedException e) {
                pipe.close();
                throw e;
            } finally {
                pipe.second().close(); // the server holds it now, through the handle it takes
            }
            link = pipe.first();
            open.add(link);
            links.set(link);
            if (closed) { // close() ran meanwhile and did not see this pipe
                drop(link);
                checkOpen();
            }
            try {
                // Until the server has taken its end, end-of-file cannot tell that it died: watch its pid.
                while (!link.poll(LIVENESS)) {
                    if (!ref.serverAlive()) {
                        throw gone();
                    }
                }
                link.recvBytes(); // Wire.HELLO
            } catch (RuntimeException | InterruptedException e) {
                drop(link);
                throw e;
            }
        }
        return link;
    }

    private Connection remoteLink() throws InterruptedException {
        Connection link;
        try {
            link = Connection.connect(ref.address, ref.authkey);
        } catch (java.io.UncheckedIOException e) {
            throw new IllegalStateException(ref.describe() + " cannot be reached: " + e.getMessage(), e);
        }
        open.add(link);
        links.set(link);
        try {
            checkOpen();
            link.recvBytes(); // Wire.HELLO
        } catch (PipeClosedException serverGone) {
            drop(link);
            throw gone();
        } catch (RuntimeException | InterruptedException e) {
            drop(link);
            throw e;
        }
        return link;
    }

    private void drop(Connection link) {
        if (link != null) {
            links.remove();
            open.remove(link);
            link.close();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException(ref.describe() + " is closed");
        }
    }

    private IllegalStateException gone() {
        String how = howEnded != null ? howEnded.get() : "has ended";
        return new IllegalStateException(ref.describe() + " " + how + "; its shared objects are gone");
    }

    /** Fails every later call, and wakes calls waiting now; idempotent. */
    public void close() {
        closed = true;
        for (Connection link : open) {
            open.remove(link);
            link.close();
        }
    }
}
