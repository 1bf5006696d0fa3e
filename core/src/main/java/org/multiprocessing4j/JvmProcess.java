package org.multiprocessing4j;

import java.io.Serializable;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.multiprocessing4j.internal.access.JvmProcessAccess;
import org.multiprocessing4j.internal.access.SharedSecrets;
import org.multiprocessing4j.internal.codec.Codec;
import org.multiprocessing4j.internal.launch.ChildClassPath;
import org.multiprocessing4j.internal.launch.ChildCommand;
import org.multiprocessing4j.internal.launch.PreloadList;
import org.multiprocessing4j.internal.platform.ExitStatus;
import org.multiprocessing4j.internal.runtime.ProcessRegistry;
import org.multiprocessing4j.internal.shm.Transit;
import org.multiprocessing4j.spi.ProcessBackend;
import org.multiprocessing4j.spi.ProcessControl;
import org.multiprocessing4j.spi.ProcessLaunch;

/**
 * A piece of this program that runs in its own operating-system process, a child JVM: the
 * counterpart of Python's {@code multiprocessing.Process}.
 *
 * <pre>{@code
 * JvmProcess p = new JvmProcess(() -> System.out.println("Worker"));
 * p.start();
 * p.join();
 * System.out.println(p.exitCode());   // OptionalInt[0]
 * }</pre>
 *
 * <p>Give it a target ({@link SerializableRunnable}) or subclass it and override {@link #run()}.
 * {@link #start()} serializes this object (the target with what it captured, or the subclass
 * with its fields), starts a child JVM with this JVM's {@code java}, module path and
 * code-shaping options, and runs {@code run()} there. The child's standard output and error are
 * this JVM's; its standard input is empty.
 *
 * <p>The child's class path comes from where the classes it needs were loaded: the JDK's class
 * path, each {@link java.net.URLClassLoader} over jar files and directories between it and
 * them (so {@code mvn exec:java}, plugin systems and application servers work), the code
 * source of a class loaded some other way. Under a Spring Boot executable jar
 * ({@code java -jar app.jar}) the child starts through Boot's own launcher with the same jar.
 * A class that no class path can reproduce (one defined from bytes, say) makes {@code start()}
 * fail at once, naming it.
 *
 * <h2>Life cycle</h2>
 * A process is <em>initial</em> until {@code start()}, then <em>started</em> until its JVM ends,
 * then <em>stopped</em> with an exit code: 0 when {@code run()} returned, {@code n} after
 * {@code System.exit(n)}, 1 when {@code run()} threw (the throwable is printed on the child's
 * standard error after a {@code Process <name>:} header, and {@link #exception()} returns it),
 * and {@code -N} when signal N ended it ({@link #terminate()} gives -15, {@link #kill()} -9,
 * and so does the same signal sent by anyone else). {@link #close()} releases it for good.
 *
 * <h2>Children and the end of a program</h2>
 * A program whose {@code main} returns keeps running while a non-daemon child runs. When the
 * JVM shuts down, it terminates its daemon children and waits for the others. If a JVM dies in
 * any way, {@code kill -9} included, its children notice within milliseconds and end, so no
 * process outlives its owner.
 *
 * <h2>Threads</h2>
 * All methods are thread-safe. Blocking methods ({@link #join()}) respond to interrupts by
 * throwing {@link InterruptedException}; the child is unaffected.
 *
 * <h2>Inside the child</h2>
 * {@link Multiprocessing#currentProcess()} returns the received copy of this object, with the
 * name the parent gave it; {@link Multiprocessing#parentProcess()} returns the parent.
 * {@code System.in} is empty. The child's file descriptor 0 is the library's control pipe
 * from the parent (its end-of-file tells the child that the parent died), so a subprocess
 * that the child starts with {@code ProcessBuilder.inheritIO()} would read a standard input
 * that never ends while the parent lives: give such a subprocess
 * {@code Redirect.from(new File("/dev/null"))} for its input.
 *
 * <h2>Memory consistency</h2>
 * Memory consistency effects: the child works on a copy. {@link #start()} serializes this
 * object (the target and what it captured, or a subclass's fields) in the calling thread before
 * any JVM is started, and the child runs what it decodes from those bytes: changes made to those
 * objects after {@code start()} (or by another thread while it runs) are not seen by the child,
 * and nothing the child does to its copy comes back, except how it ended ({@link #exitCode()}
 * and {@link #exception()}, itself a copy). The shared objects of this package (queues, pipes,
 * locks, events, shared values and arrays, {@link SharedMemory}) travel as handles to the same
 * shared memory: writes to that memory made by the calling thread before {@code start()} are
 * visible to {@code run()} in the child, which reads its handshake from the control pipe
 * (written by {@code start()} after them) before it runs anything. As with
 * {@link Thread#join()}, a successful return from {@link #join()} (or {@link #join(Duration)}
 * returning true, or {@link #isAlive()} returning false after {@code start()}) comes after the
 * child's JVM has ended and been reaped: what the child wrote to shared memory before it ended
 * is visible then, and {@code exitCode()} and {@code exception()} hold their final values. A
 * child killed by a signal may have been stopped between two writes; a lock it held is taken
 * over by the next thread that wants it ({@link ProcessLock#heldAfterOwnerDied()}).
 */
public class JvmProcess implements Serializable {
    private static final long serialVersionUID = 1L;

    static {
        SharedSecrets.setJvmProcessAccess(new JvmProcessAccess() {
            @Override
            public JvmProcess newView(String name, int[] identity, boolean daemon, ProcessControl control) {
                return new JvmProcess(name, identity, daemon, control);
            }

            @Override
            public void adoptAsCurrent(JvmProcess process, ProcessControl control) {
                process.control = control;
            }

            @Override
            public void findClassesOf(JvmProcess process, Collection<ClassLoader> loaders) {
                process.classLoaders = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(loaders));
            }

            @Override
            public void bindBackend(JvmProcess process, ProcessBackend backend) {
                process.bindBackend(backend);
            }
        });
    }

    /** This process's numbers: its parent's, then its own count there ({@code [3, 1]} is {@code 3:1}). */
    private final int[] identity;
    /** The name; travels to the child. */
    private volatile String name;
    /** Whether this is a daemon process; travels to the child. */
    private volatile boolean daemon;
    /** What {@link #run()} calls; travels to the child, and is dropped here once started. */
    private SerializableRunnable target;
    /** The JVM options set with {@link #setJvmOptions}. */
    private volatile List<String> jvmOptions = List.of();
    /** The start method of the context that made this process; null: the default at start(). */
    private volatile StartMethod startMethod;
    /** Where this process starts if not as this JVM's child (a cluster); null: here. */
    private transient volatile ProcessBackend backend;
    /** Null while initial; then the strategy that controls the real process. */
    private transient volatile ProcessControl control;
    private transient volatile boolean closed;
    /** Loaders whose classes the child must find besides those this object's bytes name. */
    private transient volatile List<ClassLoader> classLoaders = List.of();

    /**
     * For subclasses that override {@link #run()}. The name is {@code SimpleClassName-N}, where
     * N counts every process created so far in this JVM (prefixed by this process's own
     * number and a colon in a child: {@code Worker-1:2}).
     */
    protected JvmProcess() {
        this.identity = ProcessRegistry.nextIdentity();
        this.name = defaultName();
    }

    /**
     * A process that runs {@code target}. Its name is {@code Process-N}, where N counts every
     * process created so far in this JVM, named or not.
     *
     * @param target what the child runs; it and everything it captures must be serializable
     * @throws NullPointerException if {@code target} is null
     */
    public JvmProcess(SerializableRunnable target) {
        this(null, target);
    }

    /**
     * A process with a name that runs {@code target}.
     *
     * @param name the process name; null gives the default name, as in Python
     * @param target what the child runs; it and everything it captures must be serializable
     * @throws NullPointerException if {@code target} is null
     */
    public JvmProcess(String name, SerializableRunnable target) {
        this.target = Objects.requireNonNull(target, "target");
        this.identity = ProcessRegistry.nextIdentity();
        this.name = name != null ? name : defaultName();
    }

    /** A facade for a process that already exists: this JVM, or its parent. */
    private JvmProcess(String name, int[] identity, boolean daemon, ProcessControl control) {
        this.identity = identity.clone();
        this.name = name;
        this.daemon = daemon;
        this.control = control;
    }

    private String defaultName() {
        Class<?> c = getClass();
        while (c.getSimpleName().isEmpty()) {
            c = c.getSuperclass(); // anonymous subclasses take their superclass's name
        }
        String prefix = c == JvmProcess.class ? "Process" : c.getSimpleName();
        StringBuilder n = new StringBuilder(prefix).append('-');
        for (int i = 0; i < identity.length; i++) {
            n.append(i == 0 ? "" : ":").append(identity[i]);
        }
        return n.toString();
    }

    /**
     * What the child runs: calls the target given to the constructor, if any. Subclasses
     * override it. Called by the library in the child; calling it directly runs it in the
     * calling thread, as with {@code Thread.run()}.
     */
    public void run() {
        SerializableRunnable t = target;
        if (t != null) {
            t.run();
        }
    }

    /**
     * Starts the child JVM and returns without waiting for {@code run()} to begin. This object
     * is serialized in the caller's thread first; once started, this object no longer holds
     * the target (it lives in the child). The JVM comes from the start method of the
     * {@link ProcessContext} that made this process, else from the default
     * ({@link Multiprocessing#getStartMethod()}, which this call fixes): booted now under
     * {@link StartMethod#SPAWN}, handed over ready under {@link StartMethod#FORKSERVER}. The
     * child runs a copy of this object as it was serialized here; changes made afterwards are
     * not seen there (see the class description, "Memory consistency"). A process made by a
     * context of another kind (a cluster's) is encoded here the same way and then started by
     * that context's backend, on another machine; errors are the same.
     *
     * @throws IllegalStateException if this process was started before, is closed, or this
     *         process is a daemon (daemons may not have children) or its JVM is shutting down
     * @throws ProcessSerializationException if the target, something it captures, or a field
     *         of a subclass is not serializable; the message names the class and where it was
     *         found, and no child is started
     * @throws ProcessStartException if the operating system could not start a JVM, or if a class
     *         the child needs (the target's, a subclass's, one of a captured value) comes from a
     *         class loader whose classes no child JVM could find (neither a class path, a
     *         {@code URLClassLoader} over files nor a Spring Boot jar); the message names the
     *         class, and no child is started
     */
    public void start() {
        synchronized (this) {
            checkOpen("start");
            if (control != null) {
                throw new IllegalStateException("process '" + name
                        + "' has already been started: a process can be started only once");
            }
            ProcessRegistry.checkMayStartChildren(name);
            // Pipe ends captured by the target keep a holder slot for the child until it
            // claims them; whatever it has not claimed is freed when it ends or fails to start.
            Transit transit = Transit.begin();
            byte[] payload;
            ChildClassPath classPath = null;
            Set<Class<?>> classes = new HashSet<>();
            try {
                payload = Codec.defaultCodec().encode(this, "process '" + name + "'", classes);
                Class<?> missing = null;
                if (backend == null) { // a backend's nodes have the application's class path
                    classPath = ChildClassPath.ofClasses(classes, classLoaders);
                    missing = classPath.firstMissing(classes);
                }
                if (missing != null) {
                    throw new ProcessStartException("cannot start process '" + name + "': "
                            + ChildClassPath.describe(missing) + " could not be loaded in a child JVM, which"
                            + " finds classes only on a class path: the JDK's, a URLClassLoader's over jar files"
                            + " and directories, or a Spring Boot executable jar's; load it from one of those", null);
                }
            } catch (RuntimeException | Error e) {
                transit.release();
                throw e;
            } finally {
                transit.stop();
            }
            ProcessBackend elsewhere = backend;
            if (elsewhere != null) {
                transit.release(); // no pipe end of this machine reaches another
                Set<String> names = new HashSet<>();
                for (Class<?> c : classes) {
                    names.add(c.getName());
                }
                control = Objects.requireNonNull(elsewhere.start(new ProcessLaunch(name, identity.clone(), daemon,
                        jvmOptions, payload, names)), "the backend's control");
                target = null;
                return;
            }
            PreloadList.note(classes);
            try {
                control = ProcessRegistry.launch(this, name, identity, daemon, jvmOptions, startMethod,
                        classPath, payload, transit::release);
            } catch (RuntimeException | Error e) {
                transit.release();
                throw e;
            }
            target = null;
        }
    }

    /**
     * Waits until the process has ended. Returns at once if it has (even if the calling thread's
     * interrupt status is set: it stays set). Once it returns, what the
     * child wrote to shared memory before it ended is visible to the calling thread (see the
     * class description, "Memory consistency").
     *
     * @throws IllegalStateException if the process was never started, is closed, or is the
     *         current process
     * @throws InterruptedException if the calling thread is interrupted while waiting; the
     *         process is unaffected
     */
    public void join() throws InterruptedException {
        awaitEnd(startedControl("join"), -1);
    }

    /**
     * Waits as {@link ProcessControl#await}, except that a process that has ended is seen as
     * such at once, interrupted or not: "returns at once if it has" (as {@code Thread.join} and
     * {@code Process.waitFor} do), where a latch would throw for the interrupt status alone.
     */
    private static boolean awaitEnd(ProcessControl c, long nanos) throws InterruptedException {
        return !c.isAlive() || c.await(nanos);
    }

    /**
     * Waits at most {@code timeout} for the process to end. A zero or negative timeout checks
     * once without waiting, as {@code Thread.join(Duration)} does. Returns true at once if the
     * process has ended, as {@link #join()} does.
     *
     * @param timeout how long to wait at most
     * @return true if the process has ended, false if the timeout elapsed first
     * @throws IllegalStateException if the process was never started, is closed, or is the
     *         current process
     * @throws InterruptedException if the calling thread is interrupted while waiting
     */
    public boolean join(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        long nanos;
        try {
            nanos = timeout.isNegative() ? 0 : timeout.toNanos();
        } catch (ArithmeticException tooLong) {
            nanos = Long.MAX_VALUE;
        }
        return awaitEnd(startedControl("join"), nanos);
    }

    /**
     * Whether the process has been started and has not ended yet. Never blocks.
     *
     * @return false before {@code start()} and after the process ended
     * @throws IllegalStateException if this process is closed
     */
    public boolean isAlive() {
        checkOpen("isAlive");
        ProcessControl c = control;
        return c != null && c.isAlive();
    }

    /**
     * A future that completes with this process once it has ended, as
     * {@link java.lang.Process#onExit()} does: {@link #isAlive()} is false, and
     * {@link #exitCode()} and {@link #exception()} hold their final values, when it completes.
     * Each call returns a new future; completing or cancelling it does not affect the process.
     * Actions chained without an executor run in the library thread that saw the end: keep them
     * short, or give them an executor. Does not block.
     *
     * @throws IllegalStateException if the process was never started, is closed, or is the
     *         current process
     */
    public CompletableFuture<JvmProcess> onExit() {
        return startedControl("onExit").whenEnded().thenApply(ended -> this);
    }

    /**
     * Sends the process SIGTERM, which ends it with exit code -15 (its JVM runs its shutdown
     * hooks first). Does nothing if the process has already ended. Does not wait: call
     * {@link #join()} to wait for the end.
     *
     * @throws IllegalStateException if the process was never started, or is closed
     */
    public void terminate() {
        startedControl("terminate").terminate();
    }

    /**
     * Sends the process SIGKILL, which ends it at once with exit code -9. Does nothing if the
     * process has already ended. Does not wait.
     *
     * @throws IllegalStateException if the process was never started, or is closed
     */
    public void kill() {
        startedControl("kill").kill();
    }

    /**
     * The exit code: empty until the process has ended (and before it was started), then 0
     * for a normal end, {@code n} after {@code System.exit(n)}, 1 after an uncaught throwable,
     * {@code -N} after signal N. Never blocks; works after {@link #close()}.
     *
     * @return the exit code, once known
     */
    public OptionalInt exitCode() {
        ProcessControl c = control;
        return c == null ? OptionalInt.empty() : c.exitCode();
    }

    /**
     * The operating system's id of the process.
     *
     * @return the child's pid
     * @throws IllegalStateException if the process was never started, or is closed
     */
    public long pid() {
        return startedControl("pid").pid();
    }

    /**
     * The name: given to the constructor, or {@code Process-N} / {@code SimpleClassName-N}.
     * Works after {@link #close()}.
     *
     * @return the name, never null
     */
    public String getName() {
        return name;
    }

    /**
     * Renames the process, at any time; a running child keeps the name it started with.
     *
     * @param name the new name
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalStateException if this process is closed
     */
    public void setName(String name) {
        Objects.requireNonNull(name, "name");
        checkOpen("setName");
        this.name = name;
    }

    /**
     * Whether this is a daemon process: one that is terminated when its parent's JVM shuts
     * down, rather than waited for, and that may not start children of its own. Works after
     * {@link #close()}.
     *
     * @return the daemon flag
     */
    public boolean isDaemon() {
        return daemon;
    }

    /**
     * Sets the daemon flag, before {@link #start()} only.
     *
     * @param daemon true for a daemon process
     * @throws IllegalStateException if the process has been started, or is closed
     */
    public synchronized void setDaemon(boolean daemon) {
        checkOpen("setDaemon");
        if (control != null) {
            throw new IllegalStateException("cannot set the daemon flag of process '" + name
                    + "': it has already been started");
        }
        this.daemon = daemon;
    }

    /**
     * What {@code run()} threw in the child, once the process has ended: the original
     * throwable if it could be recreated here, otherwise a {@link RemoteThrowable} with its
     * class name, message and stack trace. Works after {@link #close()}.
     *
     * @return the child's uncaught throwable, if it threw
     */
    public Optional<Throwable> exception() {
        ProcessControl c = control;
        return c == null ? Optional.empty() : c.exception();
    }

    /** Called by {@link ProcessContext#bind}. */
    private synchronized void bindBackend(ProcessBackend backend) {
        checkOpen("bind");
        if (control != null) {
            throw new IllegalStateException("cannot bind process '" + name + "' to a context: it has already been started");
        }
        this.backend = Objects.requireNonNull(backend, "backend");
    }

    synchronized void bindStartMethod(StartMethod method) {
        checkOpen("bind");
        if (control != null) {
            throw new IllegalStateException("cannot change the start method of process '" + name
                    + "': it has already been started");
        }
        this.startMethod = method;
    }

    /**
     * Sets JVM options for this process's child, before {@link #start()} only. They come after
     * the options inherited from this JVM ({@code -D…}, {@code --add-opens}, {@code -ea}, heap
     * settings…), so for repeated options such as {@code -Xmx} or {@code -Dkey=} they win.
     *
     * @param options JVM options such as {@code -Xmx64m} or {@code -Dkey=value}
     * @throws NullPointerException if {@code options} or one of them is null
     * @throws IllegalArgumentException if an option is not a JVM option, or would replace the
     *         class path or main class, which the library controls
     * @throws IllegalStateException if the process has been started, or is closed
     */
    public synchronized void setJvmOptions(List<String> options) {
        Objects.requireNonNull(options, "options");
        checkOpen("setJvmOptions");
        if (control != null) {
            throw new IllegalStateException("cannot set the JVM options of process '" + name
                    + "': it has already been started");
        }
        for (int i = 0; i < options.size(); i++) {
            Objects.requireNonNull(options.get(i), "options contains null at index " + i);
        }
        String problem = ChildCommand.validate(options);
        if (problem != null) {
            throw new IllegalArgumentException("bad JVM options for process '" + name + "': " + problem);
        }
        this.jvmOptions = List.copyOf(options);
    }

    /**
     * The JVM options set with {@link #setJvmOptions}; empty by default (the child still
     * inherits this JVM's options).
     *
     * @return an unmodifiable list
     * @throws IllegalStateException if this process is closed
     */
    public List<String> getJvmOptions() {
        checkOpen("getJvmOptions");
        return jvmOptions;
    }

    /**
     * Releases this process object. Idempotent. Afterwards every method except
     * {@link #getName()}, {@link #isDaemon()}, {@link #exitCode()}, {@link #exception()} and
     * {@link #toString()} throws {@link IllegalStateException}.
     *
     * @throws IllegalStateException if the process is still running
     */
    public synchronized void close() {
        if (closed) {
            return;
        }
        ProcessControl c = control;
        if (c != null && c.isAlive()) {
            throw new IllegalStateException("cannot close process '" + name
                    + "' while it is still running: join, terminate or kill it first");
        }
        closed = true;
        target = null;
    }

    /**
     * As Python prints a process: {@code <JvmProcess(Process-1, started)>}, with the status
     * {@code initial}, {@code started}, {@code stopped}, {@code stopped[SIGTERM]} (a signal),
     * {@code stopped[1]} (another exit code) or {@code closed}, then {@code  daemon} for a
     * daemon process. The class name is the simple name of this object's class.
     */
    @Override
    public String toString() {
        Class<?> c = getClass();
        while (c.getSimpleName().isEmpty()) {
            c = c.getSuperclass();
        }
        return "<" + c.getSimpleName() + "(" + name + ", " + status() + (daemon ? " daemon" : "") + ")>";
    }

    private String status() {
        if (closed) {
            return "closed";
        }
        ProcessControl c = control;
        if (c == null) {
            return "initial";
        }
        if (c.isAlive()) {
            return "started";
        }
        OptionalInt code = c.exitCode();
        if (code.isEmpty() || code.getAsInt() == 0) {
            return "stopped";
        }
        return "stopped[" + ExitStatus.describe(code.getAsInt()) + "]";
    }

    private void checkOpen(String method) {
        if (closed) {
            throw new IllegalStateException("cannot call " + method + "() on process '" + name
                    + "': it is closed");
        }
    }

    private ProcessControl startedControl(String method) {
        checkOpen(method);
        ProcessControl c = control;
        if (c == null) {
            throw new IllegalStateException("cannot call " + method + "() on process '" + name
                    + "': it has not been started");
        }
        return c;
    }
}
