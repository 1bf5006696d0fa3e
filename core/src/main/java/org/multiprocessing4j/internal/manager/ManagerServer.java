package org.multiprocessing4j.internal.manager;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.multiprocessing4j.AuthenticationException;
import org.multiprocessing4j.Connection;
import org.multiprocessing4j.ConnectionListener;
import org.multiprocessing4j.PipeClosedException;
import org.multiprocessing4j.PipeConnection;
import org.multiprocessing4j.ProcessQueue;
import org.multiprocessing4j.SerializableRunnable;
import org.multiprocessing4j.internal.log.LibraryLog;

/**
 * What the manager's process runs: takes connection requests (a pipe end each) from the
 * manager's request queue and serves each pipe in a daemon thread of its own, one call at a
 * time per pipe, until {@link #STOP} arrives on the queue; then returns, and the process ends
 * (the serving threads are daemons). Objects live in {@link #objects} by id until the process
 * ends.
 */
public final class ManagerServer implements SerializableRunnable {
    private static final long serialVersionUID = 1L;
    /** The request that ends the server. */
    public static final String STOP = "stop";

    private final String name;
    private final ProcessQueue<Object> requests;
    private final Map<String, Registration> registry;
    private final AtomicInteger clientCount = new AtomicInteger();
    private transient Map<Integer, Served> objects;
    private transient AtomicInteger ids;
    private transient Map<String, Integer> named;
    private transient Set<Connection> clients;

    /**
     * A server, to be run by the manager's process.
     *
     * @param name the manager's name, for thread names and errors
     * @param requests where clients put the pipe ends they want served, and the owner {@link #STOP}
     * @param registry the typeids the server can make objects of (a serializable map)
     */
    public ManagerServer(String name, ProcessQueue<Object> requests, Map<String, Registration> registry) {
        this.name = name;
        this.requests = requests;
        this.registry = registry;
    }

    /**
     * An object the server holds: what it calls, its method table, the monitor that makes its
     * calls one at a time (or null), and whether results that are objects of a registered
     * interface stay in the server and travel as proxies (for custom types, as in Python).
     */
    private record Served(Object target, MethodTable table, Object lock, boolean returnsProxies) {
    }

    private synchronized void ready() {
        if (objects == null) {
            objects = new ConcurrentHashMap<>();
            ids = new AtomicInteger(Wire.SERVER_OBJECT);
            named = new ConcurrentHashMap<>();
            clients = ConcurrentHashMap.newKeySet();
        }
    }

    @Override
    public void run() {
        ready();
        try {
            while (true) {
                Object request = requests.take();
                if (request instanceof PipeConnection connection) {
                    serveInThread(connection);
                } else if (STOP.equals(request)) {
                    LibraryLog.debug("manager " + name + " stops");
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Serves the clients {@code listener} accepts, each in a daemon thread of its own, until the
     * listener is closed: a manager served by this JVM ({@code ProcessManager.serve}). A client
     * that fails to authenticate is turned away and the next one served. Blocks.
     */
    public void serve(ConnectionListener listener) {
        ready();
        while (true) {
            try {
                serveInThread(listener.accept());
            } catch (AuthenticationException e) {
                LibraryLog.debug("manager " + name + " turned a client away: " + e.getMessage());
            } catch (IllegalStateException closed) {
                if (listener.isClosed()) {
                    return;
                }
                LibraryLog.warning("manager " + name + " could not accept a client: " + closed);
            } catch (java.io.UncheckedIOException e) {
                LibraryLog.warning("manager " + name + " could not accept a client: " + e);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Closes the connections of every client served now: their calls fail, as if the server had ended. */
    public void disconnectAll() {
        ready();
        for (Connection c : clients) {
            c.close();
        }
    }

    private void serveInThread(Connection connection) {
        int n = clientCount.incrementAndGet();
        Thread t = new Thread(() -> serve(connection), name + "-client-" + n);
        t.setDaemon(true);
        t.start();
    }

    private void serve(Connection connection) {
        clients.add(connection);
        CallerWatch.serving(connection);
        try (connection) {
            connection.sendBytes(Wire.HELLO); // from now on the client sees end-of-file if this process dies
            while (true) {
                byte[] reply = answer(connection.recvBytes());
                Runnable undo = CallerWatch.takeUndo();
                if (undo == null) {
                    connection.sendBytes(reply);
                } else if (CallerWatch.callerGone()) {
                    undo.run(); // nobody would read the reply: put the item back
                } else {
                    try {
                        connection.sendBytes(reply);
                    } catch (RuntimeException | InterruptedException e) {
                        undo.run();
                        throw e;
                    }
                }
            }
        } catch (PipeClosedException clientGone) {
            // The client closed its end or ended, perhaps mid-call: serve the others on.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IllegalStateException closed) {
            if (!connection.isClosed()) {
                LibraryLog.warning("manager " + name + " dropped a client: " + closed);
            }
        } catch (RuntimeException unexpected) {
            LibraryLog.warning("manager " + name + " dropped a client: " + unexpected);
        } finally {
            clients.remove(connection);
            int released = ServerLock.releaseAllHeldByCurrentThread();
            if (released > 0) {
                LibraryLog.info("manager " + name + " released " + released + " lock(s) held by a client that is gone");
            }
        }
    }

    private byte[] answer(byte[] request) {
        try {
            Wire.checkRequest(request);
            int id = Wire.objectId(request);
            int index = Wire.method(request);
            Object[] args = Wire.arguments(request);
            if (id == Wire.SERVER_OBJECT) {
                int made = index == Wire.NAMED ? named((String) args[0], (String) args[1], (String) args[2])
                        : create((String) args[0]);
                return Wire.ok(made, () -> "an object id");
            }
            Served served = objects.get(id);
            if (served == null) {
                throw new IllegalStateException("manager " + name + " has no object " + id);
            }
            Method m = served.table.method(index);
            Object result;
            if (served.lock == null) {
                result = m.invoke(served.target, args);
            } else {
                synchronized (served.lock) {
                    result = m.invoke(served.target, args);
                }
            }
            ReturnedProxy stays = served.returnsProxies ? asProxy(result, m.getReturnType()) : null;
            return Wire.ok(stays != null ? stays : Snapshots.byValue(result, m.getReturnType()),
                    () -> "the result of " + m.getName());
        } catch (InvocationTargetException e) {
            return Wire.threw(e.getCause());
        } catch (Throwable t) {
            return Wire.threw(t);
        }
    }

    private Registration registration(String typeid) {
        Registration r = registry.get(typeid);
        if (r == null) {
            throw new IllegalArgumentException("manager " + name + " has no typeid '" + typeid + "'; it has "
                    + registry.keySet());
        }
        return r;
    }

    private int named(String typeid, String objectName, String ifaceName) {
        Registration r = registration(typeid);
        if (!r.iface().getName().equals(ifaceName)) {
            throw new IllegalArgumentException("typeid '" + typeid + "' of manager " + name + " is registered with "
                    + r.iface().getName() + ", not " + ifaceName);
        }
        return named.computeIfAbsent(typeid + ":" + objectName, k -> create(typeid));
    }

    private int create(String typeid) {
        Registration r = registration(typeid);
        Object target = r.factory().get();
        if (!r.iface().isInstance(target)) {
            throw new IllegalStateException("the factory of typeid '" + typeid + "' made "
                    + (target == null ? "null" : "a " + target.getClass().getName()) + ", not a " + r.iface().getName());
        }
        return hold(target, r);
    }

    private int hold(Object target, Registration r) {
        int id = ids.incrementAndGet();
        objects.put(id, new Served(target, MethodTable.of(r.iface()), r.oneCallAtATime() ? new Object() : null,
                !r.builtIn()));
        return id;
    }

    /**
     * A result that stays in the server, as a handle the caller turns into a proxy: a non-null
     * result of a method declared to return an interface a custom typeid is registered with
     * (Python's {@code method_to_typeid}, implied by the types). Null for any other result,
     * which travels by value: a {@code List} or {@code Map} result stays a copy, since the
     * server keeps every object it holds until it ends.
     */
    private ReturnedProxy asProxy(Object result, Class<?> declared) {
        if (result == null || !declared.isInterface()) {
            return null;
        }
        for (Registration r : registry.values()) {
            if (r.iface() == declared && !r.builtIn()) {
                return new ReturnedProxy(r.typeid(), hold(result, r));
            }
        }
        return null;
    }
}
