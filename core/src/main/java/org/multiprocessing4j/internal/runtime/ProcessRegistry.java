package org.multiprocessing4j.internal.runtime;

import java.io.IOException;
import java.io.FileInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.FileChannel;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import org.multiprocessing4j.JvmProcess;
import org.multiprocessing4j.ProcessStartException;
import org.multiprocessing4j.StartMethod;
import org.multiprocessing4j.internal.access.SharedSecrets;
import org.multiprocessing4j.internal.launch.ClassDataArchive;
import org.multiprocessing4j.internal.launch.ForkServerLauncher;
import org.multiprocessing4j.internal.launch.Handshake;
import org.multiprocessing4j.internal.launch.Launcher;
import org.multiprocessing4j.internal.launch.SpawnLauncher;
import org.multiprocessing4j.internal.log.LibraryLog;
import org.multiprocessing4j.internal.platform.RuntimeDirectory;
import org.multiprocessing4j.internal.platform.Signals;

/**
 * This JVM's place in its process family: the current process, its parent (in a child), the
 * children it started, the counter that names them, and the shutdown sequence.
 *
 * <p>Shutdown (a JVM shutdown hook, or the child bootstrap when {@code run()} is done) runs
 * once: it stops new children from starting, terminates daemon children (all children if this
 * JVM is a child ending because of a signal or because its parent died), waits for the
 * children, and removes this JVM's runtime directory. A program's own JVM installs no signal
 * handlers: SIGTERM to it is an ordinary exit, which waits for non-daemon children. A child
 * that is signalled, or whose parent dies, while its shutdown waits for its own children ends
 * them and halts within a second.
 */
public final class ProcessRegistry {
    /** How long shutdown waits for a terminated child before it kills it. */
    private static final long TERMINATE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** How long a child whose parent died, or that was signalled while exiting, has before it halts. */
    private static final long ESCALATION_HALT_MILLIS = 1000;

    private enum EndReason { EXIT, SIGNALLED, ORPHANED }

    private static final Map<LaunchedChild, JvmProcess> CHILDREN = new ConcurrentHashMap<>();
    private static final AtomicInteger CREATED = new AtomicInteger();
    private static final AtomicLong REPORTS = new AtomicLong();
    private static final AtomicBoolean SHUTDOWN_STARTED = new AtomicBoolean();
    private static final AtomicBoolean REPORTED = new AtomicBoolean();
    private static final AtomicBoolean ESCALATED = new AtomicBoolean();
    // Launches hold the read side; shutdown takes the write side to stop them for good.
    private static final ReadWriteLock LAUNCH_LOCK = new ReentrantReadWriteLock();
    private static final Object SESSION_LOCK = new Object();

    private static final String START_METHOD_PROPERTY = "multiprocessing4j.startMethod";
    private static final Object START_METHOD_LOCK = new Object();
    private static StartMethod startMethod; // guarded by START_METHOD_LOCK; null until fixed
    private static volatile int[] identity = new int[0];
    private static volatile boolean isChild;
    private static volatile boolean currentDaemon;
    private static volatile String childName;
    private static volatile JvmProcess current;
    private static volatile JvmProcess parent;
    private static volatile Path reportPath;
    private static volatile boolean acceptingChildren = true;
    private static volatile EndReason endReason = EndReason.EXIT;
    private static Path session; // guarded by SESSION_LOCK
    private static volatile FileChannel controlChannel;
    private static volatile boolean exiting;
    private static volatile boolean launchedAny;
    private static volatile boolean forkServerUsed;

    static {
        LibraryLog.setProcessNameSource(new CurrentName());
        Runtime.getRuntime().addShutdownHook(new ShutdownHook());
    }

    // Named classes rather than lambdas on every path a child takes before it runs the user's
    // code: a JVM's first lambda boots the invokedynamic machinery, milliseconds per child.

    private static final class CurrentName implements Supplier<String> {
        @Override
        public String get() {
            return currentName();
        }
    }

    private static final class ShutdownHook extends Thread {
        ShutdownHook() {
            super("multiprocessing4j-shutdown");
        }

        @Override
        public void run() {
            onJvmShutdown();
        }
    }

    private static final class SignalHandler implements IntConsumer {
        @Override
        public void accept(int signal) {
            onSignal(signal);
        }
    }

    private static final class ParentWatcher extends Thread {
        private final FileChannel pipe;
        private final ParentProcessControl parentControl;

        ParentWatcher(FileChannel pipe, ParentProcessControl parentControl) {
            super("multiprocessing4j-parent-watch");
            setDaemon(true);
            this.pipe = pipe;
            this.parentControl = parentControl;
        }

        @Override
        public void run() {
            watchParent(pipe, parentControl);
        }
    }

    private ProcessRegistry() {
    }

    /** Loads this class, which registers the shutdown hook; otherwise does nothing. */
    public static void init() {
        // Class initialization did the work.
    }

    /** The identity of a newly created process: this process's identity plus the next count. */
    public static int[] nextIdentity() {
        int[] mine = identity;
        int[] next = Arrays.copyOf(mine, mine.length + 1);
        next[mine.length] = CREATED.incrementAndGet();
        return next;
    }

    /** The process object for this JVM: {@code MainProcess} unless this JVM is a child. */
    public static JvmProcess current() {
        JvmProcess c = current;
        if (c == null) {
            synchronized (ProcessRegistry.class) {
                if (current == null) {
                    // In a child, only while its process object is being received.
                    current = SharedSecrets.getJvmProcessAccess().newView(currentName(), identity, currentDaemon,
                            CurrentProcessControl.INSTANCE);
                }
                c = current;
            }
        }
        return c;
    }

    private static String currentName() {
        JvmProcess c = current;
        if (c != null) {
            return c.getName();
        }
        return isChild ? childName : "MainProcess";
    }

    /** This JVM's parent process, in a child. */
    public static Optional<JvmProcess> parent() {
        return Optional.ofNullable(parent);
    }

    /** The children started here that have not ended yet. */
    public static List<JvmProcess> activeChildren() {
        List<JvmProcess> live = new ArrayList<>();
        CHILDREN.forEach((child, process) -> {
            if (child.isAlive()) {
                live.add(process);
            }
        });
        return live;
    }

    /**
     * Refuses early what would make a launch fail: a daemon may not have children.
     *
     * @throws IllegalStateException naming the reason
     */
    public static void checkMayStartChildren(String name) {
        if (currentDaemon) {
            throw new IllegalStateException("cannot start process '" + name + "': daemonic processes are"
                    + " not allowed to have children (process '" + currentName() + "' is a daemon)");
        }
        if (!acceptingChildren) {
            throw new IllegalStateException("cannot start process '" + name + "': this JVM is shutting down");
        }
    }

    /**
     * Starts a child JVM for {@code process} and sends it its handshake. The caller has called
     * {@link #checkMayStartChildren} (before serializing, so a refusal costs nothing); this
     * checks again, under the lock that shutdown takes, that this JVM is not shutting down.
     *
     * @throws ProcessStartException if no JVM could be started
     */
    public static ProcessControl launch(JvmProcess process, String name, int[] processIdentity,
                                        boolean daemon, List<String> jvmOptions, StartMethod method,
                                        byte[] payload, Runnable afterEnd) {
        StartMethod defaultMethod = startMethod(true);
        boolean forkServer = (method != null ? method : defaultMethod) == StartMethod.FORKSERVER;
        Launcher launcher = forkServer ? ForkServerLauncher.INSTANCE : SpawnLauncher.INSTANCE;
        launchedAny = true;
        forkServerUsed |= forkServer;
        LAUNCH_LOCK.readLock().lock();
        try {
            if (!acceptingChildren) {
                throw new IllegalStateException("cannot start process '" + name + "': this JVM is shutting down");
            }
            Path report = session().resolve(REPORTS.incrementAndGet() + ".exit");
            Handshake handshake = new Handshake(name, processIdentity, daemon,
                    ProcessHandle.current().pid(), currentName(), LibraryLog.levelForChildren(),
                    LibraryLog.stderrHandlerForChildren(), report.toString(),
                    defaultMethod.name(), payload);
            Process jvm;
            try {
                jvm = launcher.start(jvmOptions);
            } catch (IOException | IllegalStateException e) {
                throw new ProcessStartException("cannot start a JVM for process '" + name + "': "
                        + e.getMessage(), e);
            }
            LaunchedChild child = new LaunchedChild(jvm, name, daemon, report, c -> {
                CHILDREN.remove(c);
                afterEnd.run();
            });
            CHILDREN.put(child, process);
            child.begin(handshake);
            return child;
        } finally {
            LAUNCH_LOCK.readLock().unlock();
        }
    }

    /**
     * The default start method. {@code fix}: from now on it can only be changed by force, as in
     * Python once a process has been started or the method asked for.
     */
    public static StartMethod startMethod(boolean fix) {
        synchronized (START_METHOD_LOCK) {
            if (startMethod != null) {
                return startMethod;
            }
            String configured = System.getProperty(START_METHOD_PROPERTY);
            StartMethod m;
            try {
                m = configured == null || configured.isBlank() ? StartMethod.SPAWN : StartMethod.fromName(configured);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("bad -D" + START_METHOD_PROPERTY + ": " + e.getMessage(), e);
            }
            if (fix) {
                startMethod = m;
            }
            return m;
        }
    }

    /** Gets {@code method} ready for a first start: boots an idle JVM for the forkserver. */
    public static void prepare(StartMethod method) {
        if (method == StartMethod.FORKSERVER && acceptingChildren && !currentDaemon) {
            forkServerUsed = true;
            ForkServerLauncher.INSTANCE.prestart();
        }
    }

    /**
     * Sets the default start method.
     *
     * @throws IllegalStateException if it was set or fixed before and {@code force} is false
     */
    public static void setStartMethod(StartMethod method, boolean force) {
        synchronized (START_METHOD_LOCK) {
            if (startMethod != null && !force) {
                throw new IllegalStateException("the start method has already been set (to " + startMethod
                        + ", by an earlier setStartMethod, getStartMethod or start()):"
                        + " use setStartMethod(method, true) to change it anyway");
            }
            startMethod = method;
        }
    }

    private static Path session() {
        synchronized (SESSION_LOCK) {
            if (session == null) {
                try {
                    session = RuntimeDirectory.createSession();
                } catch (UncheckedIOException e) {
                    throw new ProcessStartException(e.getMessage(), e.getCause());
                }
            }
            return session;
        }
    }

    // ---------------------------------------------------------------- the child's side

    /**
     * Makes this JVM a child: called by the bootstrap with its handshake, before the process
     * object is deserialized. Installs the signal handlers that let the parent tell a SIGTERM
     * from an exit code of 143, and starts watching the control pipe for the parent's death.
     */
    public static void enterChild(Handshake handshake, FileInputStream controlPipe) {
        prepareChild(controlPipe);
        childName = handshake.name;
        identity = handshake.identity.clone();
        currentDaemon = handshake.daemon;
        reportPath = Path.of(handshake.reportPath);
        setStartMethod(StartMethod.valueOf(handshake.startMethod), true);
        LibraryLog.inherit(handshake.logLevel, handshake.stderrHandler);
        ParentProcessControl parentControl = new ParentProcessControl(handshake.parentPid);
        int[] parentIdentity = Arrays.copyOf(handshake.identity, Math.max(0, handshake.identity.length - 1));
        parent = SharedSecrets.getJvmProcessAccess().newView(handshake.parentName, parentIdentity, false, parentControl);
        new ParentWatcher(controlChannel, parentControl).start();
    }

    /**
     * The part of becoming a child that needs no handshake: done ahead by a JVM booted for the
     * forkserver, so that handing it a process costs less. Installs the signal handlers (a
     * signal before the handshake just ends the JVM, as it would have anyway) and opens the
     * control pipe's channel without reading from it.
     */
    public static void prepareChild(FileInputStream controlPipe) {
        if (isChild) {
            return;
        }
        isChild = true;
        SignalHandler handler = new SignalHandler();
        for (String signal : new String[] {"TERM", "INT", "HUP"}) {
            Signals.handle(signal, handler);
        }
        controlChannel = controlPipe.getChannel();
        SharedSecrets.getJvmProcessAccess(); // loads JvmProcess now, not while the process waits
    }

    /** A process object to exercise serialization with, without counting it as created. */
    public static JvmProcess warmUpSample() {
        return SharedSecrets.getJvmProcessAccess().newView("warm-up", new int[] {1}, false, null);
    }

    /** Whether this JVM has begun to exit and closed its control pipe itself. */
    public static boolean isExiting() {
        return exiting;
    }

    /** Makes the process object received from the parent the current process. */
    public static void adoptCurrent(JvmProcess process) {
        SharedSecrets.getJvmProcessAccess().adoptAsCurrent(process, CurrentProcessControl.INSTANCE);
        current = process;
    }

    /**
     * Ends a child whose {@code run()} is done and whose non-daemon threads have ended: runs the
     * shutdown sequence, reports how it ended, exits. Never returns.
     */
    public static void exitChild(int exitCode, Throwable failure) {
        shutdown(EndReason.EXIT);
        report(ExitReport.RETURNED, exitCode, failure);
        LibraryLog.info("process exiting with exitcode " + exitCode);
        stopWatchingParent();
        System.exit(exitCode);
    }

    private static void onSignal(int signal) {
        if (SHUTDOWN_STARTED.get()) {
            // Already exiting, perhaps waiting for children: a signal now means "stop waiting".
            escalate(128 + signal, "received signal " + signal + " while shutting down");
            return;
        }
        endReason = EndReason.SIGNALLED;
        report(ExitReport.SIGNALLED, signal, null);
        // What the JVM's own handler would do: run the shutdown hooks, exit with 128+N.
        System.exit(128 + signal);
    }

    /**
     * Ends this JVM soon, whatever its shutdown is waiting for: terminates every child and halts
     * after a short grace. For a signal, or the parent's death, that arrives during shutdown.
     */
    private static void escalate(int haltCode, String why) {
        if (!ESCALATED.compareAndSet(false, true)) {
            return;
        }
        LibraryLog.info(why + "; ending its children and exiting");
        for (LaunchedChild child : CHILDREN.keySet()) {
            child.terminate();
        }
        haltAfter(ESCALATION_HALT_MILLIS, haltCode);
    }

    private static void haltAfter(long millis, int code) {
        Thread deadline = new Thread(() -> {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                return;
            }
            Runtime.getRuntime().halt(code);
        }, "multiprocessing4j-exit-deadline");
        deadline.setDaemon(true);
        deadline.start();
    }

    /**
     * Blocks on the control pipe until the parent is gone. Reads through a {@link FileChannel}
     * so that {@link #stopWatchingParent} can wake it: a JVM exits only after waiting up to
     * 300 ms for threads blocked in native reads, which would add that much to every child's
     * exit.
     */
    private static void watchParent(FileChannel controlPipe, ParentProcessControl parentControl) {
        ByteBuffer discard = ByteBuffer.allocate(64);
        try {
            while (controlPipe.read(discard) >= 0) {
                discard.clear(); // The parent sends nothing after the handshake; only end-of-file matters.
            }
        } catch (AsynchronousCloseException exiting) {
            return; // this JVM is exiting and closed the pipe itself
        } catch (IOException broken) {
            // Same meaning as end-of-file: the parent is gone.
        }
        parentControl.markGone();
        REPORTED.set(true); // nobody is left to read a report
        if (SHUTDOWN_STARTED.get()) {
            escalate(1, "parent process " + parentControl.pid() + " has ended");
            return;
        }
        endReason = EndReason.ORPHANED;
        LibraryLog.info("parent process " + parentControl.pid() + " has ended; exiting");
        haltAfter(ESCALATION_HALT_MILLIS, 1);
        System.exit(1);
    }

    /** Wakes the parent watcher before this JVM exits (see {@link #watchParent}). */
    private static void stopWatchingParent() {
        exiting = true;
        FileChannel pipe = controlChannel;
        if (pipe != null) {
            try {
                pipe.close();
            } catch (IOException ignored) {
                // Closed already.
            }
        }
    }

    private static void report(byte kind, int code, Throwable failure) {
        Path path = reportPath;
        if (path == null || !REPORTED.compareAndSet(false, true)) {
            return;
        }
        try {
            ExitReport.write(path, kind, code, failure);
        } catch (IOException e) {
            LibraryLog.debug("could not write the exit report " + path + ": " + e);
        }
    }

    // ---------------------------------------------------------------- shutdown

    private static void onJvmShutdown() {
        EndReason reason = endReason;
        // The parent watcher keeps watching while shutdown waits for children: if the parent
        // dies meanwhile, it ends them (see escalate).
        shutdown(reason);
        if (isChild && reason == EndReason.EXIT) {
            // System.exit(n) from user code: the JVM's exit value is n, whatever it is.
            report(ExitReport.EXITED, 0, null);
        }
        if (reason != EndReason.ORPHANED) {
            stopWatchingParent();
        }
    }

    private static void shutdown(EndReason reason) {
        if (!SHUTDOWN_STARTED.compareAndSet(false, true)) {
            return;
        }
        LAUNCH_LOCK.writeLock().lock();
        acceptingChildren = false;
        LAUNCH_LOCK.writeLock().unlock();
        LibraryLog.info("process shutting down");
        LibraryLog.debug("running the library's shutdown hooks");
        boolean endEveryone = reason != EndReason.EXIT;
        List<LaunchedChild> terminated = new ArrayList<>();
        for (LaunchedChild child : CHILDREN.keySet()) {
            if (child.isAlive() && (child.isDaemon() || endEveryone)) {
                LibraryLog.info("calling terminate() for " + (child.isDaemon() ? "daemon " : "process ")
                        + child.name());
                child.terminate();
                terminated.add(child);
            }
        }
        // One grace period for all the terminated children together, then SIGKILL.
        long graceEnds = System.nanoTime() + TERMINATE_GRACE_NANOS;
        for (LaunchedChild child : CHILDREN.keySet()) {
            if (!child.isAlive()) {
                continue;
            }
            LibraryLog.info("calling join() for process " + child.name());
            if (terminated.contains(child)) {
                if (!awaitUninterruptibly(child, Math.max(0, graceEnds - System.nanoTime()))) {
                    child.kill();
                    awaitUninterruptibly(child, TERMINATE_GRACE_NANOS);
                }
            } else {
                awaitUninterruptibly(child, -1);
            }
        }
        if (forkServerUsed) {
            ForkServerLauncher.INSTANCE.retireIdle(true);
        }
        if (launchedAny) {
            ClassDataArchive.close();
        }
        LibraryLog.debug("running the remaining shutdown hooks");
        synchronized (SESSION_LOCK) {
            if (session != null) {
                RuntimeDirectory.deleteRecursively(session);
            }
        }
    }

    private static boolean awaitUninterruptibly(LaunchedChild child, long nanos) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return child.await(nanos);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
