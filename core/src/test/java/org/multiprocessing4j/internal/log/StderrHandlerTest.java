package org.multiprocessing4j.internal.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        assertEquals("SUBDEBUG", StderrHandler.pythonLevelName(Level.FINER));
        assertEquals("SUBWARNING", StderrHandler.pythonLevelName(PythonLevels.SUBWARNING));
        assertEquals("SUBDEBUG", StderrHandler.pythonLevelName(PythonLevels.SUBDEBUG));
        assertEquals("DEBUG", StderrHandler.pythonLevelName(Level.CONFIG), "Python has no CONFIG");
    }

    @Test
    void pythonsLevelsParseByName() {
        assertSame(PythonLevels.SUBWARNING, PythonLevels.parse("SUBWARNING"));
        assertSame(PythonLevels.SUBDEBUG, PythonLevels.parse("SUBDEBUG"));
        assertSame(Level.FINE, PythonLevels.parse("FINE"));
        assertSame(PythonLevels.SUBWARNING, org.multiprocessing4j.Multiprocessing.SUBWARNING);
        assertTrue(PythonLevels.SUBWARNING.intValue() > Level.INFO.intValue()
                && PythonLevels.SUBWARNING.intValue() < Level.WARNING.intValue());
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
