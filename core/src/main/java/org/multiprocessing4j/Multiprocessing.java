package org.multiprocessing4j;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.multiprocessing4j.internal.log.LibraryLog;
import org.multiprocessing4j.internal.runtime.ProcessRegistry;

/**
 * The module-level functions of Python's {@code multiprocessing}: the current process, its
 * parent and children, the CPU count, and the library's logger. All methods are thread-safe
 * and never block.
 */
public final class Multiprocessing {
    static {
        // As importing Python's multiprocessing does: from now on, this JVM's exit runs the
        // library's shutdown sequence (and logs it, if logging is on).
        ProcessRegistry.init();
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
        return ProcessRegistry.current();
    }

    /**
     * The parent of the current process: empty in a program's own JVM; in a child, a process
     * object whose {@code getName()}, {@code pid()}, {@code isAlive()} and
     * {@code join(Duration)} work ({@code join} waits for the parent to end).
     *
     * @return the parent process, if this JVM is a child
     */
    public static Optional<JvmProcess> parentProcess() {
        return ProcessRegistry.parent();
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
     * The number of processors this JVM may use ({@link Runtime#availableProcessors()}, which
     * honours CPU affinity and container limits).
     *
     * @return at least 1
     */
    public static int cpuCount() {
        return Runtime.getRuntime().availableProcessors();
    }

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
     * Python's level names ({@code DEBUG} for FINE, {@code INFO}, {@code WARNING},
     * {@code ERROR} for SEVERE). Installs one handler however often it is called, stops the
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
