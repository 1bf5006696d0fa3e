package org.multiprocessing4j.internal.log;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The library's logger. It differs from a plain {@code Logger} in one way: while the JVM shuts
 * down it keeps its level and handlers. {@code LogManager} resets every logger from a shutdown
 * hook of its own, which runs concurrently with ours; without this, the shutdown lifecycle
 * messages ("process shutting down"…) would be lost at random.
 */
final class LibraryLogger extends Logger {
    LibraryLogger() {
        super(LibraryLog.LOGGER_NAME, null);
        // Python's multiprocessing logger effectively logs at WARNING until told otherwise.
        super.setLevel(Level.WARNING);
    }

    @Override
    public void setLevel(Level newLevel) {
        if (newLevel == null && isShuttingDown()) {
            return;
        }
        super.setLevel(newLevel);
    }

    @Override
    public void removeHandler(Handler handler) {
        if (isShuttingDown()) {
            return;
        }
        super.removeHandler(handler);
    }

    private static boolean isShuttingDown() {
        Thread probe = new Thread(() -> { });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException shutdownInProgress) {
            return true;
        }
    }
}
