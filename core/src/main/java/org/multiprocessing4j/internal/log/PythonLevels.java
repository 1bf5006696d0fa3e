package org.multiprocessing4j.internal.log;

import java.util.logging.Level;

/**
 * The two levels Python's {@code multiprocessing} adds to those of {@code logging}, as
 * {@code java.util.logging} levels: SUBDEBUG below DEBUG (FINE), at FINER's value, and
 * SUBWARNING between INFO and WARNING. Made when this class loads, which also makes
 * {@code Level.parse} know their names (a child parses the level its parent sends).
 */
public final class PythonLevels extends Level {
    private static final long serialVersionUID = 1L;

    /** Python's SUBDEBUG (5, below DEBUG's 10): FINER's value. */
    public static final Level SUBDEBUG = new PythonLevels("SUBDEBUG", Level.FINER.intValue());
    /** Python's SUBWARNING (25, between INFO's 20 and WARNING's 30). */
    public static final Level SUBWARNING = new PythonLevels("SUBWARNING",
            (Level.INFO.intValue() + Level.WARNING.intValue()) / 2);

    private PythonLevels(String name, int value) {
        super(name, value);
    }

    /**
     * The name Python gives {@code level}: the highest Python level at or below it. So CONFIG,
     * which Python does not have, reads DEBUG; FINER and FINEST read SUBDEBUG.
     */
    public static String nameOf(Level level) {
        int v = level.intValue();
        if (v >= Level.SEVERE.intValue()) {
            return "ERROR";
        } else if (v >= Level.WARNING.intValue()) {
            return "WARNING";
        } else if (v >= SUBWARNING.intValue()) {
            return "SUBWARNING";
        } else if (v >= Level.INFO.intValue()) {
            return "INFO";
        } else if (v >= Level.FINE.intValue()) {
            return "DEBUG";
        }
        return "SUBDEBUG";
    }

    /**
     * Parses a level name sent by a parent: {@code Level.parse}, which knows Python's two levels
     * once this class has made them (calling this makes sure it has).
     */
    public static Level parse(String name) {
        return Level.parse(name);
    }
}
