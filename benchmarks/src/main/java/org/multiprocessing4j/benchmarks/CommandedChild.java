package org.multiprocessing4j.benchmarks;

import java.time.Duration;
import java.util.Locale;
import org.multiprocessing4j.JvmProcess;
import org.multiprocessing4j.PipeConnection;

/**
 * A benchmark child that takes commands on a control pipe ({@link ChannelProducer},
 * {@link SyncPeer}, {@link ManagerPeer}). In the child, {@link #obey} reads commands
 * ("{@code word}" or "{@code word n}"), answers "{@code ready}" and returns at
 * "{@code stop}"; in the parent, {@link #stop} tells it "{@code stop}", waits for it, kills it
 * (by its pid) if it has not ended in time, then closes it and the pipe.
 */
final class CommandedChild {
    /** What a child does for a command other than "ready" and "stop". */
    interface Handler {
        /**
         * @param word the command's first word
         * @param n its number, 0 if it has none
         * @throws IllegalArgumentException for a command it does not know
         */
        void handle(String word, int n) throws InterruptedException;
    }

    private CommandedChild() {
    }

    /**
     * The child's side: obeys the commands on {@code control} until "{@code stop}".
     *
     * @param who names the child in the error of an interrupt
     */
    static void obey(PipeConnection control, String who, Handler handler) {
        try {
            while (true) {
                String command = control.recv();
                String[] parts = command.split(" ");
                int n = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
                switch (parts[0]) {
                    case "stop" -> {
                        return;
                    }
                    case "ready" -> control.send("ready");
                    default -> handler.handle(parts[0], n);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(who + " was interrupted", e);
        }
    }

    /**
     * Stops {@code child} and closes it and {@code control}.
     *
     * @return null if it ended by itself with exit code 0; otherwise what went wrong, e.g.
     *         "failed (exit code 1): java.lang.IllegalStateException: ..."
     */
    static String stop(JvmProcess child, PipeConnection control, Duration timeout) throws InterruptedException {
        try {
            if (child.isAlive()) {
                control.send("stop");
            }
        } catch (RuntimeException e) {
            // the child is gone: nothing to stop
        }
        boolean ended = child.join(timeout);
        if (!ended) {
            child.kill();
            child.join(timeout);
        }
        int code = child.exitCode().orElse(-1);
        String why = child.exception().map(Throwable::toString).orElse("");
        child.close();
        control.close();
        return ended && code == 0 ? null : String.format(Locale.ROOT, "%s (exit code %d)%s",
                ended ? "failed" : "did not stop and was killed", code, why.isEmpty() ? "" : ": " + why);
    }
}
