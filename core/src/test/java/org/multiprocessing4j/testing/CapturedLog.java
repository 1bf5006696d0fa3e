package org.multiprocessing4j.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.multiprocessing4j.Multiprocessing;

/**
 * The records the library logs in this JVM while open, kept for the test to assert on and not
 * passed to the root logger's console handler: an expected warning belongs in an assertion,
 * not in the build log.
 */
public final class CapturedLog implements AutoCloseable {
    private final Logger logger = Multiprocessing.getLogger();
    private final boolean usedParentHandlers = logger.getUseParentHandlers();
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private CapturedLog() {
        logger.addHandler(handler);
        logger.setUseParentHandlers(false);
    }

    /** Starts capturing the library's records. */
    public static CapturedLog start() {
        return new CapturedLog();
    }

    /** The messages logged at {@code level} so far, in order. */
    public List<String> messages(Level level) {
        return records.stream().filter(r -> r.getLevel().equals(level)).map(LogRecord::getMessage)
                .collect(Collectors.toList());
    }

    /** Stops capturing: the logger passes records to the root logger's handlers again. */
    @Override
    public void close() {
        logger.removeHandler(handler);
        logger.setUseParentHandlers(usedParentHandlers);
    }
}
