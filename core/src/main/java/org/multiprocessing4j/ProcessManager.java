package org.multiprocessing4j;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.multiprocessing4j.internal.manager.ManagerClient;
import org.multiprocessing4j.internal.manager.ManagerRef;
import org.multiprocessing4j.internal.manager.ManagerServer;
import org.multiprocessing4j.internal.manager.Registration;

/**
 * A server process that holds shared objects, and hands out proxies to them: Python's
 * {@code multiprocessing.Manager()} and {@code BaseManager.register}. Every method called on a
 * proxy runs in the server, on the one object there; arguments and results travel by value.
 *
 * <pre>{@code
 * try (ProcessManager manager = Multiprocessing.getContext().manager()) {
 *     ConcurrentMap<String, Integer> counts = manager.dict();
 *     JvmProcess p = new JvmProcess(() -> counts.merge("hits", 1, (SerializableBiFunction<Integer, Integer, Integer>) Integer::sum));
 *     p.start();
 *     p.join();
 *     System.out.println(counts.get("hits")); // 1
 * }
 * }</pre>
 *
 * <p><b>The server</b> is a daemon child process of the JVM that started the manager (the
 * owner), named {@code ProcessManager-N}; like any daemon child it ends when its owner ends,
 * however the owner ends. {@link #close()} stops it.
 *
 * <p><b>Proxies</b> ({@link #dict()}, {@link #list()}, {@link #create}) implement their
 * interface and {@link java.io.Serializable}: capture one in a process's target or a pool task,
 * and in that process it reaches the same object. Any thread may call a proxy; each calling
 * thread of each process gets its own pipe to the server on its first call, and the server
 * serves each pipe in a thread of its own. A call blocks until the server has run it.
 * <ul>
 * <li>Arguments are encoded in the caller before anything is sent; one that is not
 *     serializable is refused there with a {@link ProcessSerializationException} naming it. So
 *     the functions given to {@code compute}, {@code merge} and the like must be serializable:
 *     {@code (SerializableBiFunction<Integer, Integer, Integer>) Integer::sum}.
 * <li>Results come back as copies. A method that returns a view or a cursor of the object in
 *     the server ({@code keySet()}, {@code entrySet()}, {@code values()}, {@code iterator()},
 *     {@code listIterator()}, {@code subList}, {@code stream()}) returns a snapshot taken during
 *     the call; changing the snapshot does not change the object in the server.
 * <li>An exception thrown in the server is thrown by the call, with the server's stack trace,
 *     as its own class if that class can be decoded here, as a {@link RemoteThrowable}
 *     otherwise (a checked exception the interface method does not declare arrives wrapped in
 *     an {@link java.lang.reflect.UndeclaredThrowableException}, as with any proxy).
 * <li>{@code toString()} runs in the server. {@code equals} and {@code hashCode} run there if the
 *     interface declares them ({@code Map} and {@code List} compare by value); otherwise two
 *     proxies are equal when they stand for the same object.
 * <li>If the server ends (closed, killed) every waiting and later call throws an
 *     {@link IllegalStateException} naming the manager and, in the owner, how it ended. A
 *     thread interrupted while it waits for a reply gets an {@code IllegalStateException} too,
 *     with its interrupt status kept; the call may or may not have run.
 * <li>Objects live until the manager is closed (there is no reference counting yet).
 * </ul>
 *
 * <p><b>Atomicity.</b> Each call of a {@link #dict()} proxy is atomic ({@code compute},
 * {@code merge}, {@code putIfAbsent} and the other {@code ConcurrentMap} methods included): the
 * server's object is a {@link ConcurrentHashMap}, which, as any {@code ConcurrentMap}, takes no
 * null keys or values. The server runs the calls of a {@link #list()} proxy one at a time. A
 * custom object is called from several server threads at once, as in Python: make it
 * thread-safe.
 *
 * <p>Memory consistency effects: the server runs a call after the caller's actions before the
 * call, and the caller sees its result; values travel as copies.
 */
public final class ProcessManager implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Duration STOP_PATIENCE = Duration.ofSeconds(10);
    /** The typeid of {@link #dict()}. */
    static final String DICT = "dict";
    /** The typeid of {@link #list()}. */
    static final String LIST = "list";

    private final String name;
    private final Map<String, Registration> registry;
    private final JvmProcess server;
    private final ProcessQueue<Object> requests;
    private final ManagerClient client;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ProcessManager(ProcessContext context, Map<String, Registration> registry) {
        this.name = "ProcessManager-" + COUNTER.incrementAndGet();
        this.registry = registry;
        this.requests = ProcessQueue.create();
        try {
            server = context.process(name, new ManagerServer(name, requests, registry));
            server.setDaemon(true);
            server.start();
        } catch (RuntimeException e) {
            requests.close();
            throw e;
        }
        ManagerRef ref = new ManagerRef(UUID.randomUUID().toString(), name, server.pid(), requests);
        this.client = ManagerClient.owner(ref, this::howEnded);
    }

    /**
     * Starts a manager with only the built-in types ({@link #dict()}, {@link #list()}), with the
     * default context's start method; as {@link ProcessContext#manager()}. Blocks while the
     * server's JVM is launched, not until it is ready (the first call waits for that).
     *
     * @return a running manager
     * @throws ProcessStartException if the server process cannot be started
     */
    public static ProcessManager start() {
        return builder().start();
    }

    /**
     * A builder for a manager with custom types, started with the default context's start
     * method.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder(Multiprocessing.getContext());
    }

    static Builder builder(ProcessContext context) {
        return new Builder(context);
    }

    /**
     * A new, empty map in the server, as Python's {@code manager.dict()}; every call runs there
     * atomically. See the class description for what travels how.
     *
     * @param <K> the type of the keys
     * @param <V> the type of the values
     * @return a proxy for the new map
     * @throws IllegalStateException if the manager is closed or has ended
     */
    @SuppressWarnings("unchecked")
    public <K, V> ConcurrentMap<K, V> dict() {
        return create(DICT, ConcurrentMap.class);
    }

    /**
     * A new, empty list in the server, as Python's {@code manager.list()}; the server runs its
     * calls one at a time.
     *
     * @param <E> the type of the elements
     * @return a proxy for the new list
     * @throws IllegalStateException if the manager is closed or has ended
     */
    @SuppressWarnings("unchecked")
    public <E> List<E> list() {
        return create(LIST, List.class);
    }

    /**
     * A new object of a registered type, made in the server by its factory; as calling a
     * registered typeid on a Python {@code BaseManager}. Blocks until the server has made it.
     *
     * @param typeid the name it was registered under
     * @param iface the interface it was registered with
     * @param <I> the interface
     * @return a proxy implementing {@code iface} (and {@link java.io.Serializable})
     * @throws NullPointerException if {@code typeid} or {@code iface} is null
     * @throws IllegalArgumentException if no type is registered as {@code typeid}, or with
     *         another interface
     * @throws IllegalStateException if the manager is closed or has ended
     * @throws RuntimeException whatever the factory threw in the server
     */
    public <I> I create(String typeid, Class<I> iface) {
        Objects.requireNonNull(typeid, "typeid");
        Objects.requireNonNull(iface, "iface");
        Registration r = registry.get(typeid);
        if (r == null) {
            throw new IllegalArgumentException("manager " + name + " has no typeid '" + typeid + "'; it has "
                    + registry.keySet());
        }
        if (r.iface() != iface) {
            throw new IllegalArgumentException("typeid '" + typeid + "' is registered with " + r.iface().getName()
                    + ", not " + iface.getName());
        }
        checkOpen();
        return client.create(typeid, iface);
    }

    /**
     * The OS pid of the server process.
     *
     * @return its pid
     */
    public long pid() {
        return server.pid();
    }

    /**
     * Whether {@link #close()} has been called.
     *
     * @return true once closed
     */
    public boolean isClosed() {
        return closed.get();
    }

    /**
     * Stops the server and waits for it to end (terminating it if it has not ended within 10
     * s); its objects are gone. Later calls of its proxies, here and in every other process,
     * fail with an {@link IllegalStateException}; calls waiting now fail too. Idempotent;
     * thread-safe. Only the process that started the manager can close it.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        client.close();
        boolean interrupted = false;
        try {
            if (server.isAlive()) {
                requests.put(ManagerServer.STOP);
                if (!server.join(STOP_PATIENCE)) {
                    server.terminate();
                    server.join();
                }
            }
        } catch (InterruptedException e) {
            interrupted = true;
            server.kill();
        } catch (IllegalStateException e) {
            // Not yet ended: the queue is unusable; terminate below.
            server.terminate();
        } finally {
            joinQuietly();
            requests.close();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void joinQuietly() {
        while (true) {
            try {
                server.join();
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                server.kill();
            }
        }
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException("manager " + name + " (pid " + server.pid() + ") is closed");
        }
    }

    /** How the server ended, for the error of a call that found it gone. */
    private String howEnded() {
        try {
            server.join(Duration.ofSeconds(5)); // its watcher records the exit code soon after the death

        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (closed.get()) {
            return "is closed";
        }
        return server.exitCode().isEmpty() ? "has ended" : "has ended: " + server
                + server.exception().map(t -> ", having thrown " + t).orElse("");
    }

    /** {@code ProcessManager[ProcessManager-1, pid 1234, running]}. */
    @Override
    public String toString() {
        return "ProcessManager[" + name + ", pid " + server.pid() + ", " + (closed.get() ? "closed" : "running") + "]";
    }

    /**
     * Registers custom types, then starts a manager: Python's {@code BaseManager.register}. Not
     * thread-safe; use it from one thread.
     */
    public static final class Builder {
        private final ProcessContext context;
        private final Map<String, Registration> registry = new LinkedHashMap<>();

        Builder(ProcessContext context) {
            this.context = context;
            registry.put(DICT, new Registration(DICT, ConcurrentMap.class,
                    (SerializableSupplier<Object>) ConcurrentHashMap::new, false));
            registry.put(LIST, new Registration(LIST, List.class,
                    (SerializableSupplier<Object>) ArrayList::new, true));
        }

        /**
         * Registers a type: {@link ProcessManager#create(String, Class) create(typeid, iface)}
         * will make an object with {@code factory} in the server, and return a proxy for
         * {@code iface}.
         *
         * @param typeid the name of the type
         * @param iface the interface the proxies implement; the objects must implement it
         * @param factory makes an object in the server; it travels there, so what it captures
         *        must be serializable
         * @param <I> the interface
         * @return this builder
         * @throws NullPointerException if an argument is null
         * @throws IllegalArgumentException if {@code iface} is not an interface, or
         *         {@code typeid} is taken (also by the built-in {@code dict} and {@code list})
         */
        public <I> Builder register(String typeid, Class<I> iface, SerializableSupplier<? extends I> factory) {
            Objects.requireNonNull(typeid, "typeid");
            Objects.requireNonNull(iface, "iface");
            Objects.requireNonNull(factory, "factory");
            if (!iface.isInterface()) {
                throw new IllegalArgumentException(iface.getName() + " is not an interface; a proxy implements an"
                        + " interface, so register the type under one");
            }
            if (registry.containsKey(typeid)) {
                throw new IllegalArgumentException("typeid '" + typeid + "' is already registered"
                        + (typeid.equals(DICT) || typeid.equals(LIST) ? " (it is built in)" : ""));
            }
            registry.put(typeid, new Registration(typeid, iface, factory, false));
            return this;
        }

        /**
         * Starts the manager's server process with the registered types. Blocks while its JVM is
         * launched.
         *
         * @return a running manager
         * @throws ProcessSerializationException if a factory cannot be serialized, naming it
         * @throws ProcessStartException if the server process cannot be started
         */
        public ProcessManager start() {
            return new ProcessManager(context, Collections.unmodifiableMap(new LinkedHashMap<>(registry)));
        }
    }
}
