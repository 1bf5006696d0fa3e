package org.multiprocessing4j.internal.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class StderrHandlerTest {
    @Test
    void levelsGetPythonNames() {
        assertEquals("ERROR", StderrHandler.pythonLevelName(Level.SEVERE));
        assertEquals("WARNING", StderrHandler.pythonLevelName(Level.WARNING));
        assertEquals("INFO", StderrHandler.pythonLevelName(Level.INFO));
        assertEquals("DEBUG", StderrHandler.pythonLevelName(Level.FINE));
        assertEquals("SUBDEBUG", StderrHandler.pythonLevelName(Level.FINEST));
    }

    @Test
    void recordsPrintAsLevelSlashProcessName() {
        PrintStream saved = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            LibraryLog.setProcessNameSource(() -> "Process-7");
            new StderrHandler().publish(new LogRecord(Level.INFO, "process shutting down"));
        } finally {
            System.setErr(saved);
            LibraryLog.setProcessNameSource(() -> "MainProcess");
        }
        assertEquals("[INFO/Process-7] process shutting down" + System.lineSeparator(),
                bytes.toString(StandardCharsets.UTF_8));
    }
}
