package org.multiprocessing4j.testing;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** Signals the JDK cannot send ({@code ProcessHandle} sends only SIGTERM and SIGKILL), through {@code kill(1)}. */
public final class OsSignals {
    private OsSignals() {
    }

    /** Sends {@code signal} ("STOP", "CONT"…) to {@code pid}, failing the test if it cannot. */
    public static void send(long pid, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
                    .redirectErrorStream(true).start();
            String said = new String(kill.getInputStream().readAllBytes()).trim(); // until kill ends
            if (!kill.waitFor(30, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                kill.destroyForcibly();
                throw new AssertionError("kill -" + signal + " " + pid + " failed: " + said);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run kill -" + signal + " " + pid, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while sending " + signal, e);
        }
    }

    /** As {@link #send}, for clean-up: a process that has ended meanwhile is no failure. */
    public static void sendIfAlive(long pid, String signal) {
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            try {
                send(pid, signal);
            } catch (AssertionError endedMeanwhile) {
                // Nothing left to signal.
            }
        }
    }

    /** Whether the process is stopped (state T in {@code /proc/<pid>/stat}). */
    public static boolean isStopped(long pid) {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state == 'T' || state == 't';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
