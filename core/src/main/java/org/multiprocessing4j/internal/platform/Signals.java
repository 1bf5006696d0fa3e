package org.multiprocessing4j.internal.platform;

import java.util.Map;
import java.util.function.IntConsumer;

/** POSIX signal numbers and names, and handlers for the signals a JVM lets Java code handle. */
public final class Signals {
    public static final int SIGHUP = 1;
    public static final int SIGINT = 2;
    public static final int SIGKILL = 9;
    public static final int SIGTERM = 15;

    // Linux numbering (x86, arm); only used to print names, never to send signals.
    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(1, "SIGHUP"), Map.entry(2, "SIGINT"), Map.entry(3, "SIGQUIT"),
            Map.entry(4, "SIGILL"), Map.entry(5, "SIGTRAP"), Map.entry(6, "SIGABRT"),
            Map.entry(7, "SIGBUS"), Map.entry(8, "SIGFPE"), Map.entry(9, "SIGKILL"),
            Map.entry(10, "SIGUSR1"), Map.entry(11, "SIGSEGV"), Map.entry(12, "SIGUSR2"),
            Map.entry(13, "SIGPIPE"), Map.entry(14, "SIGALRM"), Map.entry(15, "SIGTERM"),
            Map.entry(16, "SIGSTKFLT"), Map.entry(17, "SIGCHLD"), Map.entry(18, "SIGCONT"),
            Map.entry(19, "SIGSTOP"), Map.entry(20, "SIGTSTP"), Map.entry(21, "SIGTTIN"),
            Map.entry(22, "SIGTTOU"), Map.entry(23, "SIGURG"), Map.entry(24, "SIGXCPU"),
            Map.entry(25, "SIGXFSZ"), Map.entry(26, "SIGVTALRM"), Map.entry(27, "SIGPROF"),
            Map.entry(28, "SIGWINCH"), Map.entry(29, "SIGIO"), Map.entry(30, "SIGPWR"),
            Map.entry(31, "SIGSYS"));

    private Signals() {
    }

    /** @return the name of signal {@code number}, such as {@code SIGTERM}, or null if unknown */
    public static String name(int number) {
        return NAMES.get(number);
    }

    /**
     * Installs {@code handler} for the signal named {@code name} (without the SIG prefix, as
     * {@code sun.misc.Signal} wants it). The handler runs on a thread the JVM starts for it.
     *
     * @return false if this JVM does not let Java code handle that signal (for example when it
     *         was started with {@code -Xrs})
     */
    @SuppressWarnings("removal")
    public static boolean handle(String name, IntConsumer handler) {
        try {
            // An anonymous class, not a lambda: this runs as a child starts (see ChildBootstrap).
            sun.misc.Signal.handle(new sun.misc.Signal(name), new sun.misc.SignalHandler() {
                @Override
                public void handle(sun.misc.Signal signal) {
                    handler.accept(signal.getNumber());
                }
            });
            return true;
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            return false;
        }
    }
}
