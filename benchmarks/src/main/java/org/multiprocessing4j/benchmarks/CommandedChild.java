package org.multiprocessing4j.benchmarks;

import java.time.Duration;
import java.util.Locale;
import org.multiprocessing4j.JvmProcess;
import org.multiprocessing4j.PipeConnection;
import org.multiprocessing4j.ProcessQueue;

/**
 * A benchmark child that takes commands on a control pipe ({@link ChannelProducer},
 * {@link SyncPeer}, {@link ManagerPeer}), or on a pair of queues where there is no pipe (a
 * process on a cluster node, {@link SharedPeer}). In the child, {@link #obey} reads commands
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

    /** Where a child's commands come from. */
    @FunctionalInterface
    interface Commands {
        String next() throws InterruptedException;
    }

    private CommandedChild() {
    }

    /**
     * The child's side: obeys the commands on {@code control} until "{@code stop}".
     *
     * @param who names the child in the error of an interrupt
     */
    static void obey(PipeConnection control, String who, Handler handler) {
        obey(control::recv, () -> control.send("ready"), who, handler);
    }

    /**
     * The same with commands taken from {@code commands} and "{@code ready}" answered on
     * {@code answers}.
     */
    static void obey(ProcessQueue<String> commands, ProcessQueue<Object> answers, String who, Handler handler) {
        obey(commands::take, () -> answers.put("ready"), who, handler);
    }

    /** The command loop; {@code ready} answers a "{@code ready}". */
    private static void obey(Commands commands, Say ready, String who, Handler handler) {
        try {
            while (true) {
                String command = commands.next();
                String[] parts = command.split(" ");
                int n = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
                switch (parts[0]) {
                    case "stop" -> {
                        return;
                    }
                    case "ready" -> ready.say();
                    default -> handler.handle(parts[0], n);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(who + " was interrupted", e);
        }
    }

    /** Sends one fixed message: a child's "{@code ready}", a parent's "{@code stop}". */
    @FunctionalInterface
    private interface Say {
        void say() throws InterruptedException;
    }

    /**
     * Stops {@code child} and closes it and {@code control}.
     *
     * @return null if it ended by itself with exit code 0; otherwise what went wrong, e.g.
     *         "failed (exit code 1): java.lang.IllegalStateException: ..."
     */
    static String stop(JvmProcess child, PipeConnection control, Duration timeout) throws InterruptedException {
        try {
            return stop(child, () -> control.send("stop"), timeout);
        } finally {
            control.close();
        }
    }

    /**
     * Stops {@code child}, which takes its commands from {@code commands}, and closes the child
     * (not the queue, which is the caller's).
     *
     * @return as {@link #stop(JvmProcess, PipeConnection, Duration)}
     */
    static String stop(JvmProcess child, ProcessQueue<String> commands, Duration timeout) throws InterruptedException {
        return stop(child, () -> commands.put("stop"), timeout);
    }

    private static String stop(JvmProcess child, Say stop, Duration timeout) throws InterruptedException {
        try {
            if (child.isAlive()) {
                stop.say();
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
        return ended && code == 0 ? null : String.format(Locale.ROOT, "%s (exit code %d)%s",
                ended ? "failed" : "did not stop and was killed", code, why.isEmpty() ? "" : ": " + why);
    }
}
