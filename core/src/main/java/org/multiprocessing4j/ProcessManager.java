package org.multiprocessing4j;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;
import org.multiprocessing4j.internal.connection.ConnectionSettings;
import org.multiprocessing4j.internal.manager.BuiltInTypes;
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
 *     the call, unmodifiable (a change to it could not reach the server, so it fails rather than
 *     being lost: {@code Collections.reverse} of a long list proxy, which goes through
 *     {@code listIterator().set}, throws {@link UnsupportedOperationException}). One exception,
 *     as in Python: a method of a custom type declared to return an interface that a custom
 *     typeid of the manager is registered with returns a proxy; the object it returned stays
 *     in the server (until the manager ends).
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
    private final String name;
    /** The types the server has; null for a manager from {@link #connect} (the server knows). */
    private final Map<String, Registration> registry;
    /** The server process of a manager this JVM started; null otherwise. */
    private final JvmProcess server;
    private final ProcessQueue<Object> requests;
    /** Where a served or connected manager listens; null for a local one. */
    private final SocketAddress address;
    /** What this JVM serves, and its listener and accepting thread, for {@link #serve}; null otherwise. */
    private final ManagerServer served;
    private final ConnectionListener listener;
    private final Thread acceptor;
    private final ManagerClient client;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ProcessManager(ProcessContext context, Map<String, Registration> registry) {
        this.name = "ProcessManager-" + COUNTER.incrementAndGet();
        this.registry = registry;
        this.requests = ProcessQueue.create();
        this.address = null;
        this.served = null;
        this.listener = null;
        this.acceptor = null;
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

    /** A manager this JVM serves at {@code listener} ({@code registry} non-null), or one it reaches there. */
    private ProcessManager(String name, Map<String, Registration> registry, SocketAddress address, byte[] authkey,
                           ConnectionListener listener) {
        this.name = name;
        this.registry = registry;
        this.server = null;
        this.requests = null;
        this.address = address;
        this.listener = listener;
        if (listener != null) {
            this.served = new ManagerServer(name, null, registry);
            this.acceptor = new Thread(() -> served.serve(listener), name + "-listener");
            acceptor.start(); // not a daemon: a served manager keeps this JVM alive until closed
        } else {
            this.served = null;
            this.acceptor = null;
        }
        this.client = ManagerClient.owner(new ManagerRef(name, address, authkey), this::howEnded);
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
     * Serves a manager with the built-in types from this JVM at {@code address}, for processes
     * anywhere that {@link #connect} with the same authkey: Python's
     * {@code get_server().serve_forever()}. Returns at once; a non-daemon thread accepts clients
     * (so this JVM keeps running) until {@link #close()}. Each client is authenticated before
     * anything it sends is decoded (see {@link ConnectionListener}); one that fails is turned
     * away and the others are served on. The objects are those a client asks for by name:
     * {@link #dict(String)}, {@link #list(String)}, {@link #queue(String)}; this JVM may use
     * them too, through the returned manager.
     *
     * @param address where to listen: an {@link java.net.InetSocketAddress} (port 0 picks one;
     *        see {@link #address()}) or a {@link java.net.UnixDomainSocketAddress}
     * @param authkey the shared secret; required for a network address
     * @return the served manager
     * @throws NullPointerException if {@code address} is null
     * @throws IllegalArgumentException as {@link ConnectionListener#open}
     * @throws java.io.UncheckedIOException if the address cannot be bound
     */
    public static ProcessManager serve(SocketAddress address, byte[] authkey) {
        return builder().serve(address, authkey);
    }

    /**
     * Reaches the manager served at {@code address} ({@link #serve}, {@link Builder#serve}):
     * Python's {@code BaseManager(address, authkey).connect()}. Connects and authenticates the
     * calling thread at once; other threads connect at their first call. Its
     * {@link #dict(String)}, {@link #list(String)}, {@link #queue(String)} and
     * {@link #create(String, Class)} reach the server's objects by name, shared with every other
     * client. {@link #close()} disconnects this JVM; the server goes on.
     *
     * @param address where the manager listens
     * @param authkey its authkey
     * @return the connected manager
     * @throws NullPointerException if {@code address} is null
     * @throws IllegalArgumentException as {@link Connection#connect}
     * @throws AuthenticationException if the keys differ
     * @throws IllegalStateException if nothing serves a manager there
     * @throws InterruptedException if interrupted while connecting
     */
    public static ProcessManager connect(SocketAddress address, byte[] authkey) throws InterruptedException {
        ConnectionSettings.check(address, authkey, "ProcessManager.connect");
        ProcessManager m = new ProcessManager("manager at " + address, null, address, authkey, null);
        try {
            m.client.connect();
        } catch (RuntimeException | InterruptedException e) {
            m.close();
            throw e;
        }
        return m;
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
        checkOpen();
        return client.create(BuiltInTypes.DICT, ConcurrentMap.class);
    }

    /**
     * The map the server keeps under {@code name}, made empty by the first process that asks:
     * how processes that share no proxy (clients of a served manager) share a map.
     *
     * @param name the map's name
     * @param <K> the type of the keys
     * @param <V> the type of the values
     * @return a proxy for it
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalStateException if the manager is closed or has ended
     */
    @SuppressWarnings("unchecked")
    public <K, V> ConcurrentMap<K, V> dict(String name) {
        return named(BuiltInTypes.DICT, name, ConcurrentMap.class);
    }

    /**
     * The list the server keeps under {@code name}; as {@link #dict(String)}.
     *
     * @param name the list's name
     * @param <E> the type of the elements
     * @return a proxy for it
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalStateException if the manager is closed or has ended
     */
    @SuppressWarnings("unchecked")
    public <E> List<E> list(String name) {
        return named(BuiltInTypes.LIST, name, List.class);
    }

    /**
     * A new, unbounded queue in the server, as Python's {@code manager.Queue()}: for processes
     * outside the family (clients of a served manager); within a family a {@link ProcessQueue}
     * is faster. {@code take()} and {@code poll(timeout)} wait in the server; a thread
     * interrupted while it waits gets an {@link IllegalStateException}, and the server puts back
     * at the head of the queue an item it took for a caller that gave up or died before the
     * reply was sent (nothing is lost, but another consumer may meanwhile have taken an item
     * put after it).
     *
     * @param <E> the type of the items
     * @return a proxy for it
     * @throws IllegalStateException if the manager is closed or has ended
     */
    @SuppressWarnings("unchecked")
    public <E> BlockingQueue<E> queue() {
        checkOpen();
        return client.create(BuiltInTypes.QUEUE, BlockingQueue.class);
    }

    /**
     * The queue the server keeps under {@code name}; as {@link #dict(String)} and {@link #queue()}:
     * a job queue served by one JVM and taken from by workers on others.
     *
     * @param name the queue's name
     * @param <E> the type of the items
     * @return a proxy for it
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalStateException if the manager is closed or has ended
     */
    @SuppressWarnings("unchecked")
    public <E> BlockingQueue<E> queue(String name) {
        return named(BuiltInTypes.QUEUE, name, BlockingQueue.class);
    }

    /**
     * A new lock in the server, as Python's {@code manager.Lock()}: for processes outside the
     * family (clients of a served manager); within a family a {@link ProcessLock} is faster.
     * It is held by the calling thread (each thread has its own connection to the server) and
     * is not reentrant: a holder that locks it again gets an {@link IllegalStateException}
     * rather than waiting for itself. {@code unlock()} by a thread that does not hold it throws
     * {@link IllegalMonitorStateException}. <b>When the connection of a holder ends</b> (its
     * process died, or its manager was closed), the server releases the lock, so nobody waits
     * for a dead holder. {@code newCondition()} is not supported. A thread interrupted while it
     * waits in {@code lock()} gets an {@link IllegalStateException} and does not get the lock.
     *
     * @return a proxy for it
     * @throws IllegalStateException if the manager is closed or has ended
     */
    public Lock lock() {
        checkOpen();
        return client.create(BuiltInTypes.LOCK, Lock.class);
    }

    /**
     * The lock the server keeps under {@code name}; as {@link #dict(String)} and {@link #lock()}.
     *
     * @param name the lock's name
     * @return a proxy for it
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalStateException if the manager is closed or has ended
     */
    public Lock lock(String name) {
        return named(BuiltInTypes.LOCK, name, Lock.class);
    }

    /**
     * A new event in the server, not set, as Python's {@code manager.Event()}: for processes
     * outside the family; within a family a {@link ProcessEvent} is faster. {@code await} waits
     * in the server.
     *
     * @return a proxy for it
     * @throws IllegalStateException if the manager is closed or has ended
     */
    public Event event() {
        checkOpen();
        return client.create(BuiltInTypes.EVENT, Event.class);
    }

    /**
     * The event the server keeps under {@code name}; as {@link #dict(String)} and {@link #event()}.
     *
     * @param name the event's name
     * @return a proxy for it
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalStateException if the manager is closed or has ended
     */
    public Event event(String name) {
        return named(BuiltInTypes.EVENT, name, Event.class);
    }

    /**
     * A new {@code long} in the server holding {@code initialValue}, with atomic operations, as
     * Python's {@code manager.Value('q', v)}: for processes outside the family; within a family
     * a {@link SharedLong} is much faster.
     *
     * @param initialValue its value
     * @return a proxy for it
     * @throws IllegalStateException if the manager is closed or has ended
     */
    public LongValue sharedLong(long initialValue) {
        checkOpen();
        LongValue value = client.create(BuiltInTypes.LONG, LongValue.class);
        value.set(initialValue);
        return value;
    }

    /**
     * The {@code long} the server keeps under {@code name}, 0 when first asked for; as
     * {@link #dict(String)} and {@link #sharedLong(long)}.
     *
     * @param name the value's name
     * @return a proxy for it
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalStateException if the manager is closed or has ended
     */
    public LongValue sharedLong(String name) {
        return named(BuiltInTypes.LONG, name, LongValue.class);
    }

    private <I> I named(String typeid, String objectName, Class<I> iface) {
        Objects.requireNonNull(objectName, "name");
        checkOpen();
        return client.named(typeid, objectName, iface);
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
        checkOpen();
        return client.create(BuiltInTypes.LIST, List.class);
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
        if (registry == null) {
            return named(typeid, typeid, iface); // a remote server shares its registered objects
        }
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
        if (server != null) {
            return server.pid();
        }
        if (listener != null) {
            return ProcessHandle.current().pid();
        }
        throw new UnsupportedOperationException("the pid of a remote " + name + " is not known here");
    }

    /**
     * Where a served or connected manager listens (with the port picked, if port 0 was asked
     * for); empty for a manager started as a child process.
     *
     * @return its address, if it has one
     */
    public Optional<SocketAddress> address() {
        return Optional.ofNullable(address);
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
        if (server == null) {
            if (listener != null) {
                listener.close();
                served.disconnectAll();
                joinAcceptor();
            }
            return;
        }
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

    private void joinAcceptor() {
        uninterruptibly(acceptor::join, () -> { });
    }

    /** Waits for the server to end; an interrupt kills it. */
    private void joinQuietly() {
        uninterruptibly(server::join, server::kill);
    }

    /** A wait that may be interrupted. */
    private interface Wait {
        void run() throws InterruptedException;
    }

    /**
     * Runs {@code wait} until it returns, calling {@code onInterrupt} at each interrupt. The
     * interrupt is kept for the caller, not set again meanwhile: the wait would throw at once
     * for it, round and round.
     */
    private static void uninterruptibly(Wait wait, Runnable onInterrupt) {
        boolean interrupted = false;
        while (true) {
            try {
                wait.run();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
                onInterrupt.run();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException(this + " is closed");
        }
    }

    /** How the server ended, for the error of a call that found it gone. */
    private String howEnded() {
        if (server == null) {
            return closed.get() ? "is closed" : "has ended or dropped the connection";
        }
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
        String where = server != null ? "pid " + server.pid() : listener != null ? "served at " + address : "at " + address;
        return "ProcessManager[" + name + ", " + where + ", " + (closed.get() ? "closed" : "running") + "]";
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
            for (Registration r : BuiltInTypes.REGISTRATIONS) {
                registry.put(r.typeid(), r);
            }
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
                        + (registry.get(typeid).builtIn() ? " (it is built in)" : ""));
            }
            registry.put(typeid, new Registration(typeid, iface, factory, false, false));
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

        /**
         * Serves a manager with the registered types from this JVM; as
         * {@link ProcessManager#serve}. A client's {@link ProcessManager#create(String, Class)
         * create(typeid, iface)} reaches the one object of that typeid, made by its factory at
         * the first such call and shared by every client (Python's remote managers share what
         * their registered callables return).
         *
         * @param address where to listen
         * @param authkey the shared secret; required for a network address
         * @return the served manager
         * @throws NullPointerException if {@code address} is null
         * @throws IllegalArgumentException as {@link ConnectionListener#open}
         * @throws java.io.UncheckedIOException if the address cannot be bound
         */
        public ProcessManager serve(SocketAddress address, byte[] authkey) {
            ConnectionListener listener = ConnectionListener.open(address, authkey);
            try {
                return new ProcessManager("ProcessManager-" + COUNTER.incrementAndGet(),
                        Collections.unmodifiableMap(new LinkedHashMap<>(registry)), listener.address(), authkey, listener);
            } catch (RuntimeException | Error e) {
                listener.close();
                throw e;
            }
        }
    }
}
