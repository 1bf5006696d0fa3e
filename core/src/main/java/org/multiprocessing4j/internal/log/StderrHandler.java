package org.multiprocessing4j.internal.log;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * Prints records to standard error as Python's {@code multiprocessing.log_to_stderr} does:
 * {@code [LEVEL/ProcessName] message}, with Python's level names. Each record is one write, so
 * lines from several processes sharing a terminal never interleave mid-line.
 */
final class StderrHandler extends Handler {
    StderrHandler() {
        setLevel(Level.ALL);
    }

    @Override
    public void publish(LogRecord record) {
        if (!isLoggable(record)) {
            return;
        }
        StringBuilder line = new StringBuilder(96)
                .append('[').append(pythonLevelName(record.getLevel()))
                .append('/').append(LibraryLog.currentProcessName()).append("] ")
                .append(record.getMessage() == null ? "" : record.getMessage())
                .append(System.lineSeparator());
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            line.append(trace);
        }
        System.err.print(line);
        System.err.flush();
    }

    /** Python's names (see {@link PythonLevels#nameOf}). */
    static String pythonLevelName(Level level) {
        return PythonLevels.nameOf(level);
    }

    @Override
    public void flush() {
        System.err.flush();
    }

    /** Never closes standard error: LogManager closes handlers at shutdown. */
    @Override
    public void close() {
        flush();
    }
}
