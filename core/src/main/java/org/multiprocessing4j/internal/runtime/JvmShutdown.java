package org.multiprocessing4j.internal.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.multiprocessing4j.internal.launch.ClassDataArchive;
import org.multiprocessing4j.internal.launch.ForkServerLauncher;
import org.multiprocessing4j.internal.log.LibraryLog;

/**
 * The library's part of this JVM's end, run once: from a JVM shutdown hook (any exit, a signal
 * to a child, {@code main} returning), or from the child bootstrap when {@code run()} is done.
 *
 * <ol>
 * <li>Stop accepting new children: launches hold the read side of {@link #launchLock()};
 *     shutdown takes the write side once and stops them for good.
 * <li>Terminate daemon children; all children if this JVM is a child ending because of a
 *     signal or its parent's death.
 * <li>Wait for the children: one 5 s grace for all the terminated ones together, then SIGKILL;
 *     no limit for the others (as Python does).
 * <li>Retire the idle forkserver JVMs (they hold no one's state), give a class-data training
 *     run its time, and delete this JVM's runtime directory, in that order: the idle JVMs and
 *     the training run must be gone before the directory they may use.
 * </ol>
 *
 * A program's own JVM installs no signal handlers: SIGTERM to it is an ordinary exit, which
 * waits for non-daemon children. A child that is signalled, or whose parent dies, while its
 * shutdown waits for its own children ends them and halts within a second ({@link #escalate}).
 */
public final class JvmShutdown {
    /** Why this JVM ends; decides whether shutdown ends only daemon children or all of them. */
    enum EndReason { EXIT, SIGNALLED, ORPHANED }

    /** How long shutdown waits for a terminated child before it kills it. */
    private static final long TERMINATE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** How long a child whose parent died, or that was signalled while exiting, has before it halts. */
    static final long ESCALATION_HALT_MILLIS = 1000;

    private static final AtomicBoolean STARTED = new AtomicBoolean();
    private static final AtomicBoolean ESCALATED = new AtomicBoolean();
    // Launches hold the read side; shutdown takes the write side to stop them for good.
    private static final ReadWriteLock LAUNCH_LOCK = new ReentrantReadWriteLock();
    private static volatile boolean acceptingChildren = true;
    private static volatile EndReason endReason = EndReason.EXIT;
    private static volatile boolean launchedAny;
    private static volatile boolean forkServerUsed;
    // Set by a child's signal handler before it looks at STARTED; read by run() after it sets
    // STARTED. Both volatile, so at least one of them sees the other: a signal that races an
    // exit already under way either escalates or makes that exit end every child.
    private static volatile boolean signalReceived;

    static {
        // Its log lines, like every other, are named after this process.
        CurrentProcess.install();
        Runtime.getRuntime().addShutdownHook(new ShutdownHook());
    }

    /** A named class, not a lambda (see {@link ChildBootstrap}). */
    private static final class ShutdownHook extends Thread {
        ShutdownHook() {
            super("multiprocessing4j-shutdown");
        }

        @Override
        public void run() {
            // The parent watcher keeps watching while shutdown waits for children: if the
            // parent dies meanwhile, it ends them (see escalate).
            ChildBootstrap.afterShutdown(JvmShutdown.run(endReason));
        }
    }

    private JvmShutdown() {
    }

    /**
     * Loads this class, which registers the shutdown hook (from now on this JVM's exit runs the
     * library's shutdown sequence) and names the library's log lines after this process.
     * Otherwise does nothing.
     */
    public static void install() {
        // Class initialization did the work.
    }

    /** Whether this JVM may still start children (it is not shutting down). */
    static boolean acceptsChildren() {
        return acceptingChildren;
    }

    /**
     * Held (locked) by a launch while it starts a child, which must check
     * {@link #acceptsChildren()} after taking it: shutdown waits for launches under way and
     * then refuses all later ones.
     */
    static Lock launchLock() {
        return LAUNCH_LOCK.readLock();
    }

    /** A launch is about to start a child: shutdown has children and maybe idle JVMs to end. */
    static void noteLaunch(boolean forkServer) {
        launchedAny = true;
        forkServerUsed |= forkServer;
    }

    /** The forkserver has been asked to boot idle JVMs, which shutdown retires. */
    static void noteForkServerUsed() {
        forkServerUsed = true;
    }

    /** Whether the shutdown sequence has begun. */
    static boolean hasStarted() {
        return STARTED.get();
    }

    /** Why the coming exit happens; set by the child bootstrap before it calls {@code System.exit}. */
    static void setEndReason(EndReason reason) {
        endReason = reason;
    }

    /**
     * A signal has reached this child: if the shutdown sequence starts after this, it ends
     * every child, not only the daemons. Called before {@link #hasStarted()} is checked.
     */
    static void noteSignal() {
        signalReceived = true;
    }

    /**
     * Runs the shutdown sequence, unless it has begun already (then returns at once).
     *
     * @return why this JVM ends as the sequence saw it: {@code reason}, or
     *     {@link EndReason#SIGNALLED} if a signal arrived while an ordinary exit was starting
     */
    static EndReason run(EndReason reason) {
        if (!STARTED.compareAndSet(false, true)) {
            return reason;
        }
        if (reason == EndReason.EXIT && signalReceived) {
            // System.exit had begun when the signal came; the handler's own exit call now
            // blocks behind it, so this sequence must do what a signalled exit does.
            reason = EndReason.SIGNALLED;
        }
        LAUNCH_LOCK.writeLock().lock();
        acceptingChildren = false;
        LAUNCH_LOCK.writeLock().unlock();
        LibraryLog.info("process shutting down");
        LibraryLog.debug("running the library's shutdown hooks");
        boolean endEveryone = reason != EndReason.EXIT;
        List<LaunchedChild> terminated = new ArrayList<>();
        for (LaunchedChild child : ProcessRegistry.children()) {
            if (child.isAlive() && (child.isDaemon() || endEveryone)) {
                LibraryLog.info("calling terminate() for " + (child.isDaemon() ? "daemon " : "process ")
                        + child.name());
                child.terminate();
                terminated.add(child);
            }
        }
        // One grace period for all the terminated children together, then SIGKILL.
        long graceEnds = System.nanoTime() + TERMINATE_GRACE_NANOS;
        for (LaunchedChild child : ProcessRegistry.children()) {
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
        ProcessRegistry.deleteSession();
        return reason;
    }

    /**
     * Ends this JVM soon, whatever its shutdown is waiting for: terminates every child and halts
     * after a short grace. For a signal, or the parent's death, that arrives during shutdown.
     */
    static void escalate(int haltCode, String why) {
        if (!ESCALATED.compareAndSet(false, true)) {
            return;
        }
        LibraryLog.info(why + "; ending its children and exiting");
        for (LaunchedChild child : ProcessRegistry.children()) {
            child.terminate();
        }
        haltAfter(ESCALATION_HALT_MILLIS, haltCode);
    }

    /** Halts this JVM with {@code code} after {@code millis}, whatever it is doing then. */
    static void haltAfter(long millis, int code) {
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
