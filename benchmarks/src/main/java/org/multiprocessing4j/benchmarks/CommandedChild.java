package org.multiprocessing4j.benchmarks;

import java.time.Duration;
import java.util.Locale;
import org.multiprocessing4j.JvmProcess;
import org.multiprocessing4j.PipeConnection;

/**
 * Ends a benchmark child that takes commands on a control pipe ({@link ChannelProducer},
 * {@link SyncPeer}, {@link ManagerPeer}): it is told "{@code stop}", waited for, and killed (by
 * its pid) if it has not ended in time; then it and the pipe are closed.
 */
final class CommandedChild {
    private CommandedChild() {
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
