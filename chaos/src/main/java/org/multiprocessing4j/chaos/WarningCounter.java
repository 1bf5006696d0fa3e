package org.multiprocessing4j.chaos;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/** A log handler that calls {@code onWarning} for each record of WARNING or above, and prints nothing. */
final class WarningCounter extends Handler {
    private final Runnable onWarning;

    WarningCounter(Runnable onWarning) {
        this.onWarning = onWarning;
    }

    @Override
    public void publish(LogRecord r) {
        if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
            onWarning.run();
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
