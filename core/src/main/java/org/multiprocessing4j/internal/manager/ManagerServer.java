package org.multiprocessing4j.internal.manager;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
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
    private transient Map<Integer, Served> objects;
    private transient AtomicInteger ids;

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

    private record Served(Object target, MethodTable table, Object lock) {
    }

    @Override
    public void run() {
        objects = new ConcurrentHashMap<>();
        ids = new AtomicInteger(Wire.SERVER_OBJECT);
        int clients = 0;
        try {
            while (true) {
                Object request = requests.take();
                if (request instanceof PipeConnection connection) {
                    Thread t = new Thread(() -> serve(connection), name + "-client-" + ++clients);
                    t.setDaemon(true);
                    t.start();
                } else if (STOP.equals(request)) {
                    LibraryLog.debug("manager " + name + " stops");
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void serve(PipeConnection connection) {
        try (connection) {
            connection.sendBytes(Wire.HELLO); // from now on the client sees end-of-file if this process dies
            while (true) {
                connection.sendBytes(answer(connection.recvBytes()));
            }
        } catch (PipeClosedException clientGone) {
            // The client closed its end or ended, perhaps mid-call: serve the others on.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException unexpected) {
            LibraryLog.warning("manager " + name + " dropped a client: " + unexpected);
        }
    }

    private byte[] answer(byte[] request) {
        int id = Wire.objectId(request);
        int index = Wire.method(request);
        try {
            Object[] args = Wire.arguments(request);
            if (id == Wire.SERVER_OBJECT) {
                return Wire.ok(create((String) args[0]), () -> "an object id");
            }
            Served served = objects.get(id);
            if (served == null) {
                throw new IllegalStateException("manager " + name + " has no object " + id);
            }
            Method m = served.table.method(index);
            Object result;
            if (served.lock == null) {
                result = Snapshots.byValue(m.invoke(served.target, args), m.getReturnType());
            } else {
                synchronized (served.lock) {
                    result = Snapshots.byValue(m.invoke(served.target, args), m.getReturnType());
                }
            }
            return Wire.ok(result, () -> "the result of " + m.getName());
        } catch (InvocationTargetException e) {
            return Wire.threw(e.getCause());
        } catch (Throwable t) {
            return Wire.threw(t);
        }
    }

    private int create(String typeid) {
        Registration r = registry.get(typeid);
        if (r == null) {
            throw new IllegalArgumentException("manager " + name + " has no typeid '" + typeid + "'");
        }
        Object target = r.factory().get();
        if (!r.iface().isInstance(target)) {
            throw new IllegalStateException("the factory of typeid '" + typeid + "' made "
                    + (target == null ? "null" : "a " + target.getClass().getName()) + ", not a " + r.iface().getName());
        }
        int id = ids.incrementAndGet();
        objects.put(id, new Served(target, MethodTable.of(r.iface()), r.oneCallAtATime() ? new Object() : null));
        return id;
    }
}
