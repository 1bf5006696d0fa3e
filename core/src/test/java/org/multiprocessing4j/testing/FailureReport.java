package org.multiprocessing4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

/**
 * The report a child prints on its standard error when its {@code run()} throws, as Python
 * prints it: {@code Process NAME:}, then the throwable's stack trace.
 */
public final class FailureReport {
    private FailureReport() {
    }

    /**
     * Fails unless {@code lines} hold the report for process {@code name}: its header, then
     * {@code throwable} (the throwable's {@code toString()}), then a stack frame.
     */
    public static void assertPrinted(List<String> lines, String name, String throwable) {
        int header = lines.indexOf("Process " + name + ":");
        assertTrue(header >= 0, "no report header for process " + name + " in " + lines);
        assertTrue(header + 2 < lines.size(), "a report without its stack trace: " + lines);
        assertEquals(throwable, lines.get(header + 1), "the throwable in " + lines);
        assertTrue(lines.get(header + 2).trim().startsWith("at "), "a stack frame after the throwable in " + lines);
    }
}
