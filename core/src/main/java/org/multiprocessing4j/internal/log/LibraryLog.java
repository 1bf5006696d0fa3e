package org.multiprocessing4j.internal.log;

import java.util.Objects;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/**
 * The library's logger ({@value #LOGGER_NAME}) and its lifecycle messages.
 *
 * <p>The logger is made lazily: a child whose parent did not enable logging never loads
 * {@code java.util.logging} (its start-up time is the child's), yet still honours the level
 * it inherited once its own code asks for the logger.
 */
public final class LibraryLog {
    /** The name of the library's logger. */
    public static final String LOGGER_NAME = "org.multiprocessing4j";

    private static final Object LOCK = new Object();
    // A strong reference: LogManager keeps loggers weakly and would forget the level set here.
    private static volatile Logger logger;
    private static volatile Supplier<String> processName; // null: "MainProcess"
    private static volatile Level inheritedLevel;
    private static volatile boolean inheritedHandler;

    private LibraryLog() {
    }

    /** Says where the formatter finds the current process's name. */
    public static void setProcessNameSource(Supplier<String> source) {
        processName = Objects.requireNonNull(source, "source");
    }

    static String currentProcessName() {
        Supplier<String> source = processName;
        if (source == null) {
            return "MainProcess";
        }
        try {
            return source.get();
        } catch (RuntimeException e) {
            return "?";
        }
    }

    /**
     * Called once in a child, before anything logs: the level of the parent's logger (null if
     * the parent never made one) and whether the parent had the stderr handler installed.
     */
    public static void inherit(String levelName, boolean stderrHandler) {
        inheritedLevel = levelName == null ? null : PythonLevels.parse(levelName);
        inheritedHandler = stderrHandler;
    }

    /** The library's logger; makes and registers it on first use. */
    public static Logger logger() {
        Logger l = logger;
        if (l != null) {
            return l;
        }
        synchronized (LOCK) {
            if (logger == null) {
                Logger made = new LibraryLogger();
                Logger registered = LogManager.getLogManager().addLogger(made)
                        ? made : Logger.getLogger(LOGGER_NAME);
                if (inheritedLevel != null) {
                    registered.setLevel(inheritedLevel);
                }
                if (inheritedHandler) {
                    installStderrHandler(registered);
                }
                logger = registered;
            }
            return logger;
        }
    }

    /**
     * Installs the stderr handler once, however often it is called, and stops the logger from
     * also passing records to the root logger's handlers (which would print them twice).
     */
    public static Logger logToStderr(Level level) {
        Logger l = logger();
        synchronized (LOCK) {
            installStderrHandler(l);
            if (level != null) {
                l.setLevel(level);
            }
        }
        return l;
    }

    private static void installStderrHandler(Logger l) {
        for (Handler h : l.getHandlers()) {
            if (h instanceof StderrHandler) {
                return;
            }
        }
        l.addHandler(new StderrHandler());
        l.setUseParentHandlers(false);
    }

    /** The level a child should inherit: null if the logger was never made here. */
    public static String levelForChildren() {
        Logger l = logger;
        if (l == null) {
            return inheritedLevel == null ? null : inheritedLevel.getName();
        }
        for (Logger x = l; x != null; x = x.getParent()) {
            if (x.getLevel() != null) {
                return x.getLevel().getName();
            }
        }
        return null;
    }

    /** Whether children should install the stderr handler. */
    public static boolean stderrHandlerForChildren() {
        Logger l = logger;
        if (l == null) {
            return inheritedHandler;
        }
        for (Handler h : l.getHandlers()) {
            if (h instanceof StderrHandler) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a message at {@code level} would be logged. Until someone asks for the logger
     * (or a logging configuration file is named), the level inherited from the parent, or
     * WARNING, decides without loading {@code java.util.logging}: that keeps it out of the
     * start-up and exit of programs that never log.
     */
    public static boolean isLoggable(Level level) {
        if (logger == null && System.getProperty("java.util.logging.config.file") == null
                && System.getProperty("java.util.logging.config.class") == null) {
            Level threshold = inheritedLevel != null ? inheritedLevel : Level.WARNING;
            if (level.intValue() < threshold.intValue()) {
                return false;
            }
        }
        return logger().isLoggable(level);
    }

    /** Logs a lifecycle message at INFO. */
    public static void info(String message) {
        log(Level.INFO, message);
    }

    /** Logs a lifecycle message at DEBUG (FINE). */
    public static void debug(String message) {
        log(Level.FINE, message);
    }

    /** Logs at WARNING. */
    public static void warning(String message) {
        log(Level.WARNING, message);
    }

    private static void log(Level level, String message) {
        if (isLoggable(level)) {
            logger().log(level, message);
        }
    }

}
