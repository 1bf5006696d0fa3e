package org.multiprocessing4j.chaos;

import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Logger;
import org.multiprocessing4j.Multiprocessing;

/**
 * While open, the library's log records in this JVM (the soak's parent) are counted, not printed:
 * killing processes makes the library warn (a lock taken over from a dead holder...), and those
 * warnings are expected. The summary gives the count.
 */
final class CapturedWarnings implements AutoCloseable {
    private final Logger logger = Multiprocessing.getLogger();
    private final boolean usedParentHandlers = logger.getUseParentHandlers();
    private final Handler[] handlers = logger.getHandlers();
    private final AtomicLong warnings = new AtomicLong();
    private final Handler counter = new WarningCounter(warnings::incrementAndGet);

    private CapturedWarnings() {
        for (Handler h : handlers) {
            logger.removeHandler(h);
        }
        logger.setUseParentHandlers(false);
        logger.addHandler(counter);
    }

    static CapturedWarnings start() {
        return new CapturedWarnings();
    }

    long count() {
        return warnings.get();
    }

    @Override
    public void close() {
        logger.removeHandler(counter);
        for (Handler h : handlers) {
            logger.addHandler(h);
        }
        logger.setUseParentHandlers(usedParentHandlers);
    }
}
