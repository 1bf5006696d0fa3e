package org.multiprocessing4j;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.multiprocessing4j.internal.connection.ReadyWait;
import org.multiprocessing4j.internal.log.LibraryLog;
import org.multiprocessing4j.internal.log.PythonLevels;
import org.multiprocessing4j.internal.runtime.CurrentProcess;
import org.multiprocessing4j.internal.runtime.JvmShutdown;
import org.multiprocessing4j.internal.runtime.ProcessRegistry;
import org.multiprocessing4j.internal.runtime.StartMethodSetting;

/**
 * The module-level functions of Python's {@code multiprocessing}: the current process, its
 * parent and children, the CPU count, and the library's logger. All methods are thread-safe
 * and never block.
 */
public final class Multiprocessing {
    static {
        // As importing Python's multiprocessing does: from now on, this JVM's exit runs the
        // library's shutdown sequence (and logs it, if logging is on).
        JvmShutdown.install();
    }

    private Multiprocessing() {
    }

    /**
     * The process this code runs in: in a program's own JVM a process named
     * {@code MainProcess}; in a child, the process object its parent started, with the name the
     * parent gave it. Its {@code pid()} is this JVM's pid and it is always alive; it cannot be
     * joined, terminated or killed through this object.
     *
     * @return the current process
     */
    public static JvmProcess currentProcess() {
        return CurrentProcess.get();
    }

    /**
     * The parent of the current process: empty in a program's own JVM; in a child, a process
     * object whose {@code getName()}, {@code pid()}, {@code isAlive()} and
     * {@code join(Duration)} work ({@code join} waits for the parent to end).
     *
     * @return the parent process, if this JVM is a child
     */
    public static Optional<JvmProcess> parentProcess() {
        return CurrentProcess.parent();
    }

    /**
     * The children this JVM started that are still running, in no particular order.
     *
     * @return a new list, which the caller may change
     */
    public static List<JvmProcess> activeChildren() {
        return ProcessRegistry.activeChildren();
    }

    /**
     * Waits until at least one of {@code objects} is ready, at most {@code timeout}: Python's
     * {@code multiprocessing.connection.wait}. A {@link Connection} is ready when a message (or
     * its end-of-file) can be received without waiting, a {@link JvmProcess} when it has ended,
     * a {@link ProcessQueue} when it holds an item. Waits in the calling thread, without a thread
     * per object: a process's end is seen at once, a connection's or queue's data within about a
     * millisecond. Objects may be of all three kinds at once.
     *
     * @param objects what to wait for; not changed
     * @param timeout how long to wait at most; zero or negative checks once
     * @return the ready ones, in the order of {@code objects}; empty if none was ready in time
     * @throws NullPointerException if {@code objects}, one of them, or {@code timeout} is null
     * @throws IllegalArgumentException if an object is of another kind (the message names it)
     * @throws IllegalStateException if a process was never started or a connection is closed
     * @throws InterruptedException if interrupted while waiting
     */
    public static <T> List<T> awaitReady(Collection<T> objects, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(objects, "objects");
        return ReadyWait.await(objects, ProcessQueue.nanos(timeout));
    }

    /**
     * The number of processors this JVM may use ({@link Runtime#availableProcessors()}, which
     * honours CPU affinity and container limits).
     *
     * @return at least 1
     */
    public static int cpuCount() {
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * A context bound to {@code method}: its factory methods make processes (and later queues,
     * locks and pools) that use that start method, whatever the default is. For
     * {@link StartMethod#FORKSERVER} this starts booting an idle JVM in the background, so that
     * the first process starts fast.
     *
     * @param method the start method
     * @return the context
     * @throws NullPointerException if {@code method} is null
     */
    public static ProcessContext getContext(StartMethod method) {
        StartMethodSetting.prepare(Objects.requireNonNull(method, "method"));
        return new LocalProcessContext(method);
    }

    /**
     * A context bound to the default start method, which this call fixes (see
     * {@link #getStartMethod()}).
     *
     * @return the default context
     */
    public static ProcessContext getContext() {
        return new LocalProcessContext(getStartMethod());
    }

    /**
     * Sets the start method of processes that are not bound to a context. As in Python, it
     * can be set once: a second call, or a call after the default was fixed by
     * {@link #getStartMethod()}, {@link #getContext()} or the start of a process, throws. Call
     * it early in {@code main}. Children inherit the default. Setting
     * {@link StartMethod#FORKSERVER} starts booting an idle JVM in the background.
     *
     * @param method the start method
     * @throws NullPointerException if {@code method} is null
     * @throws IllegalStateException if the start method has already been set or fixed
     */
    public static void setStartMethod(StartMethod method) {
        StartMethodSetting.set(Objects.requireNonNull(method, "method"), false);
        StartMethodSetting.prepare(method);
    }

    /**
     * As {@link #setStartMethod(StartMethod)}; with {@code force} true it replaces a start
     * method already set. Processes already started keep theirs.
     *
     * @param method the start method
     * @param force whether to replace a start method already set
     * @throws NullPointerException if {@code method} is null
     * @throws IllegalStateException if the start method has already been set and {@code force}
     *         is false
     */
    public static void setStartMethod(StartMethod method, boolean force) {
        StartMethodSetting.set(Objects.requireNonNull(method, "method"), force);
        StartMethodSetting.prepare(method);
    }

    /**
     * The default start method: the one set with {@link #setStartMethod(StartMethod)}, else
     * the one named by {@code -Dmultiprocessing4j.startMethod}, else {@link StartMethod#SPAWN}.
     * Asking fixes it, as in Python.
     *
     * @return the default start method
     * @throws IllegalArgumentException if {@code -Dmultiprocessing4j.startMethod} names no
     *         start method
     */
    public static StartMethod getStartMethod() {
        return StartMethodSetting.get(true);
    }

    /**
     * Python's {@code multiprocessing.SUBDEBUG}: a level below DEBUG ({@code Level.FINE}), at
     * {@code Level.FINER}'s value. Any thread may use it, e.g. {@code logToStderr(SUBDEBUG)}.
     */
    public static final Level SUBDEBUG = PythonLevels.SUBDEBUG;

    /**
     * Python's {@code multiprocessing.SUBWARNING}: a level between INFO and WARNING (850), printed
     * as {@code SUBWARNING} by {@link #logToStderr}. Any thread may use it.
     */
    public static final Level SUBWARNING = PythonLevels.SUBWARNING;

    /**
     * The library's {@code java.util.logging} logger, named {@code org.multiprocessing4j}. Its
     * level is WARNING until set, so lifecycle messages (INFO and FINE) are silent by default.
     * Children inherit its level and the stderr handler of {@link #logToStderr}.
     *
     * @return the library's logger
     */
    public static Logger getLogger() {
        return LibraryLog.logger();
    }

    /**
     * Prints the library's log to standard error as {@code [LEVEL/ProcessName] message}, with
     * Python's level names: {@code SUBDEBUG} for FINER and FINEST, {@code DEBUG} for FINE and
     * CONFIG (which Python does not have), {@code INFO}, {@code SUBWARNING}, {@code WARNING},
     * {@code ERROR} for SEVERE. Installs one handler however often it is called, stops the
     * records from also going to the root logger's handlers, and leaves the level as it is.
     *
     * @return the library's logger
     */
    public static Logger logToStderr() {
        return LibraryLog.logToStderr(null);
    }

    /**
     * As {@link #logToStderr()}, and sets the logger's level ({@code Level.FINE} shows
     * Python's DEBUG messages).
     *
     * @param level the level to set
     * @return the library's logger
     * @throws NullPointerException if {@code level} is null
     */
    public static Logger logToStderr(Level level) {
        return LibraryLog.logToStderr(Objects.requireNonNull(level, "level"));
    }
}
