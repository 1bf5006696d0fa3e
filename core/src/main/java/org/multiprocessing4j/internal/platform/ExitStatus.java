package org.multiprocessing4j.internal.platform;

/**
 * Turns the JDK's view of how a child ended into Python's: a death by signal N is reported by
 * {@link Process#exitValue()} as 128+N, and we report it as -N.
 */
public final class ExitStatus {
    private ExitStatus() {
    }

    /**
     * The exit code of a child that did not say how it ended (it was killed before it could,
     * or it never got far enough to start our bootstrap).
     */
    public static int fromUnreportedExit(int exitValue) {
        if (exitValue > 128 && Signals.name(exitValue - 128) != null) {
            return -(exitValue - 128);
        }
        return exitValue;
    }

    /**
     * How {@code exitCode} reads in a process's {@code toString}: empty for 0,
     * {@code SIGTERM} for -15, the number otherwise.
     */
    public static String describe(int exitCode) {
        if (exitCode < 0) {
            String name = Signals.name(-exitCode);
            return name != null ? name : Integer.toString(exitCode);
        }
        return Integer.toString(exitCode);
    }
}
