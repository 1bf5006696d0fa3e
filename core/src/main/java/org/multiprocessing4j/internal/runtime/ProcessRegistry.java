package org.multiprocessing4j.internal.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import org.multiprocessing4j.JvmProcess;
import org.multiprocessing4j.ProcessStartException;
import org.multiprocessing4j.StartMethod;
import org.multiprocessing4j.internal.access.SharedSecrets;
import org.multiprocessing4j.internal.jfr.ChildRecordings;
import org.multiprocessing4j.internal.jfr.Jfr;
import org.multiprocessing4j.internal.jfr.JfrEvents;
import org.multiprocessing4j.internal.launch.ChildClassPath;
import org.multiprocessing4j.internal.launch.ForkServerLauncher;
import org.multiprocessing4j.internal.launch.Handshake;
import org.multiprocessing4j.internal.launch.Launcher;
import org.multiprocessing4j.internal.launch.SpawnLauncher;
import org.multiprocessing4j.internal.log.LibraryLog;
import org.multiprocessing4j.internal.platform.RuntimeDirectory;
import org.multiprocessing4j.spi.OutputSink;
import org.multiprocessing4j.spi.ProcessControl;
import org.multiprocessing4j.spi.ProcessLaunch;

/**
 * The children this JVM started: it launches them, keeps each until its JVM has ended, numbers
 * the processes created here, and owns the session directory where children leave their exit
 * reports. Who this JVM is lives in {@link CurrentProcess}, the default start method in
 * {@link StartMethodSetting}, and what happens to the children when this JVM ends in
 * {@link JvmShutdown}. Thread-safe.
 */
public final class ProcessRegistry {
    private static final Map<LaunchedChild, JvmProcess> CHILDREN = new ConcurrentHashMap<>();
    private static final AtomicInteger CREATED = new AtomicInteger();
    private static final AtomicLong REPORTS = new AtomicLong();
    private static final Object SESSION_LOCK = new Object();
    private static Path session; // guarded by SESSION_LOCK

    static {
        // A JVM that starts children must end them as it ends.
        JvmShutdown.install();
    }

    private ProcessRegistry() {
    }

    /** The identity of a newly created process: this process's identity plus the next count. */
    public static int[] nextIdentity() {
        int[] mine = CurrentProcess.identity();
        int[] next = Arrays.copyOf(mine, mine.length + 1);
        next[mine.length] = CREATED.incrementAndGet();
        return next;
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

    /** The children started here whose end has not been seen yet; for the shutdown sequence. */
    static Collection<LaunchedChild> children() {
        return CHILDREN.keySet();
    }

    /**
     * Refuses early what would make a launch fail: a daemon may not have children.
     *
     * @throws IllegalStateException naming the reason
     */
    public static void checkMayStartChildren(String name) {
        if (CurrentProcess.isDaemon()) {
            throw new IllegalStateException("cannot start process '" + name + "': daemonic processes are"
                    + " not allowed to have children (process '" + CurrentProcess.name() + "' is a daemon)");
        }
        if (!JvmShutdown.acceptsChildren()) {
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
                                        ChildClassPath classPath, byte[] payload, Runnable afterEnd) {
        boolean forkServer = (method != null ? method : StartMethodSetting.get(true)) == StartMethod.FORKSERVER;
        Launcher launcher = forkServer ? ForkServerLauncher.INSTANCE : SpawnLauncher.INSTANCE;
        JvmShutdown.noteLaunch(forkServer);
        return launchWith(launcher, process, name, processIdentity, daemon, jvmOptions, classPath, payload, afterEnd);
    }

    /**
     * Starts a process encoded elsewhere (a backend's driver) as a SPAWN child of this JVM, on
     * this JVM's class path, with its standard output and error going to {@code output}; the
     * returned control's {@code whenEnded()} completes once the child has ended and its output
     * has been read to the end (or 2 s after it ended, if something else holds its pipes open).
     */
    public static ProcessControl launchPiped(ProcessLaunch launch, OutputSink output) {
        JvmShutdown.noteLaunch(false);
        JvmProcess view = SharedSecrets.getJvmProcessAccess().newView(launch.name(), launch.identity(),
                launch.daemon(), null);
        CountDownLatch[] drained = new CountDownLatch[1];
        LaunchedChild child = launchWith((classPath, options) -> {
            Process jvm = SpawnLauncher.INSTANCE.startPiped(classPath, options);
            drained[0] = PipedChild.pump(jvm, launch.name(), output);
            return jvm;
        }, view, launch.name(), launch.identity(), launch.daemon(), launch.jvmOptions(),
                ChildClassPath.ofApplicationLoader(), launch.payload(), () -> { });
        SharedSecrets.getJvmProcessAccess().adoptAsCurrent(view, child);
        return new PipedChild(child, drained[0]);
    }

    private static LaunchedChild launchWith(Launcher launcher, JvmProcess process, String name, int[] processIdentity,
                                            boolean daemon, List<String> jvmOptions, ChildClassPath classPath,
                                            byte[] payload, Runnable afterEnd) {
        StartMethod defaultMethod = StartMethodSetting.get(true);
        boolean recording = Jfr.on();
        Object starting = recording ? JfrEvents.processStarting() : null;
        Lock launching = JvmShutdown.launchLock();
        launching.lock();
        try {
            if (!JvmShutdown.acceptsChildren()) {
                throw new IllegalStateException("cannot start process '" + name + "': this JVM is shutting down");
            }
            Path report = session().resolve(REPORTS.incrementAndGet() + ".exit");
            Handshake handshake = new Handshake(name, processIdentity, daemon,
                    ProcessHandle.current().pid(), CurrentProcess.name(), LibraryLog.levelForChildren(),
                    LibraryLog.stderrHandlerForChildren(), report.toString(),
                    defaultMethod.name(), recording ? ChildRecordings.prefixForChildren() : "", payload);
            Process jvm;
            try {
                jvm = launcher.start(classPath, jvmOptions);
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
            if (starting != null) {
                JfrEvents.processStarted(starting, name, child.pid(),
                        (launcher == ForkServerLauncher.INSTANCE ? StartMethod.FORKSERVER : StartMethod.SPAWN).name());
            }
            return child;
        } finally {
            launching.unlock();
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

    /** Deletes the session directory, if one was made; the last step of the shutdown sequence. */
    static void deleteSession() {
        synchronized (SESSION_LOCK) {
            if (session != null) {
                RuntimeDirectory.deleteRecursively(session);
            }
        }
    }
}
