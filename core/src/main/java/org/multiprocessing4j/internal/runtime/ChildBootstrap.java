package org.multiprocessing4j.internal.runtime;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;
import org.multiprocessing4j.JvmProcess;
import org.multiprocessing4j.StartMethod;
import org.multiprocessing4j.internal.access.SharedSecrets;
import org.multiprocessing4j.internal.launch.Handshake;
import org.multiprocessing4j.internal.log.LibraryLog;
import org.multiprocessing4j.internal.platform.Signals;
import org.multiprocessing4j.spi.ProcessControl;

/**
 * How a JVM becomes a child and how it ends as one: called by the child's main class
 * ({@code ChildMain}) with its handshake, it installs the signal handlers that let the parent
 * tell a SIGTERM from an exit code of 143, watches the control pipe for the parent's death,
 * and writes the exit report that tells the parent how this JVM ended. In a program's own JVM
 * none of this runs, and {@link #afterShutdown} does nothing.
 *
 * <p>Named classes rather than lambdas on every path a child takes before it runs the user's
 * code: a JVM's first lambda boots the invokedynamic machinery, milliseconds per child.
 */
public final class ChildBootstrap {
    private static final AtomicBoolean REPORTED = new AtomicBoolean();
    private static volatile Path reportPath;
    private static volatile FileChannel controlChannel;
    private static volatile boolean exiting;

    static {
        // A signalled child exits through the shutdown hook: it must be there from the start.
        JvmShutdown.install();
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

    private ChildBootstrap() {
    }

    /**
     * Makes this JVM a child: called by the bootstrap with its handshake, before the process
     * object is deserialized. Installs the signal handlers and starts watching the control pipe
     * for the parent's death.
     */
    public static void enterChild(Handshake handshake, FileInputStream controlPipe) {
        prepareChild(controlPipe);
        reportPath = Path.of(handshake.reportPath);
        StartMethodSetting.set(StartMethod.valueOf(handshake.startMethod), true);
        LibraryLog.inherit(handshake.logLevel, handshake.stderrHandler);
        ParentProcessControl parentControl = new ParentProcessControl(handshake.parentPid);
        CurrentProcess.enter(handshake, parentControl);
        new ParentWatcher(controlChannel, parentControl).start();
    }

    /**
     * The part of becoming a child that needs no handshake: done ahead by a JVM booted for the
     * forkserver, so that handing it a process costs less. Installs the signal handlers (a
     * signal before the handshake just ends the JVM, as it would have anyway) and opens the
     * control pipe's channel without reading from it.
     */
    public static void prepareChild(FileInputStream controlPipe) {
        if (!CurrentProcess.markChild()) {
            return;
        }
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
        CurrentProcess.adopt(process);
    }

    /**
     * Ends a child whose {@code run()} is done and whose non-daemon threads have ended: runs the
     * shutdown sequence, reports how it ended, exits. Never returns.
     */
    public static void exitChild(int exitCode, Throwable failure) {
        JvmShutdown.run(JvmShutdown.EndReason.EXIT);
        report(ExitReport.RETURNED, exitCode, failure);
        LibraryLog.info("process exiting with exitcode " + exitCode);
        stopWatchingParent();
        System.exit(exitCode);
    }

    /**
     * The child's part of the shutdown hook, after the shutdown sequence: reports an exit that
     * user code made with {@code System.exit}, and wakes the parent watcher (unless the parent's
     * death is why this JVM exits: the watcher is what called exit then).
     */
    static void afterShutdown(JvmShutdown.EndReason reason) {
        if (CurrentProcess.isChild() && reason == JvmShutdown.EndReason.EXIT && !REPORTED.get()
                && !jdkSignalHandlerRunning()) {
            // System.exit(n) from user code: the JVM's exit value is n, whatever it is.
            report(ExitReport.EXITED, 0, null);
        }
        if (reason != JvmShutdown.EndReason.ORPHANED) {
            stopWatchingParent();
        }
    }

    /**
     * Whether one of the JDK's signal-handler threads ("SIGTERM handler") is alive: then it is
     * what runs this exit, with its 128+N, and the exit is no {@code System.exit} of user code.
     * That happens when a signal reaches a JVM before {@link #prepareChild} installed this
     * class's handlers (an idle forkserver JVM still warming up): the JDK's own handler starts
     * the exit, and the main thread may meanwhile become a child, read its handshake and make
     * the report path known before this hook runs. On JDK 25 the JDK logs the exit first, which
     * leaves plenty of time. Our own handler's thread has the same name, but it sets the end
     * reason to SIGNALLED before it exits, so this is asked only for an ordinary exit.
     */
    private static boolean jdkSignalHandlerRunning() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() + 16];
        int n = root.enumerate(threads, true);
        for (int i = 0; i < n; i++) {
            String name = threads[i].getName();
            if (name.startsWith("SIG") && name.endsWith(" handler") && threads[i].isAlive()) {
                return true;
            }
        }
        return false;
    }

    private static void onSignal(int signal) {
        JvmShutdown.noteSignal();
        if (JvmShutdown.hasStarted()) {
            // Already exiting, perhaps waiting for children: a signal now means "stop waiting".
            JvmShutdown.escalate(128 + signal, "received signal " + signal + " while shutting down");
            return;
        }
        JvmShutdown.setEndReason(JvmShutdown.EndReason.SIGNALLED);
        report(ExitReport.SIGNALLED, signal, null);
        // What the JVM's own handler would do: run the shutdown hooks, exit with 128+N.
        System.exit(128 + signal);
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
        if (JvmShutdown.hasStarted()) {
            JvmShutdown.escalate(1, "parent process " + parentControl.pid() + " has ended");
            return;
        }
        JvmShutdown.setEndReason(JvmShutdown.EndReason.ORPHANED);
        LibraryLog.info("parent process " + parentControl.pid() + " has ended; exiting");
        JvmShutdown.haltAfter(JvmShutdown.ESCALATION_HALT_MILLIS, 1);
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

    /** Writes the exit report, once, if this JVM is a child whose parent may still read it. */
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
}
