package org.multiprocessing4j.chaos;

import java.io.PrintWriter;
import java.io.Serializable;
import java.io.StringWriter;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Handler;
import java.util.logging.Logger;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.ProcessQueue;
import org.multiprocessing4j.SharedLongArray;

/**
 * What every child of a round shares with the parent besides the objects under test: counters
 * (library warnings captured, invariant violations seen in a child, unexpected throwables) and a
 * queue of notes that say what went wrong. A child's library log records are counted here, not
 * printed, and a child that throws reports it here and exits with {@link #EXIT_UNEXPECTED}
 * instead of printing a stack trace: the soak keeps the console (and a build log) quiet, and
 * says everything in its summary.
 *
 * @param notes what went wrong in a child, one line each (the first few per round)
 * @param counters {@link #WARNINGS}, {@link #VIOLATIONS}, {@link #UNEXPECTED}
 */
record Crew(ProcessQueue<String> notes, SharedLongArray counters) implements Serializable {
    /** Library log records of WARNING or above in the children (a lock taken over, say). */
    static final int WARNINGS = 0;
    /** Invariants a child saw broken (two holders of a lock, an item taken twice...). */
    static final int VIOLATIONS = 1;
    /** Throwables that ended a child. */
    static final int UNEXPECTED = 2;
    static final int LENGTH = 3;
    /** The exit code of a child that threw. */
    static final int EXIT_UNEXPECTED = 3;
    /** Notes kept per round and kind; the counters count the rest. */
    private static final int NOTES_KEPT = 5;

    static Crew create() {
        return new Crew(ProcessQueue.create(), SharedLongArray.create(LENGTH));
    }

    /** Runs {@code body} in a child: logs captured, a throwable reported and turned into exit code 3. */
    void run(String name, ChildBody body) {
        captureLogs();
        try {
            body.run();
        } catch (Throwable t) {
            if (counters.incrementAndGet(UNEXPECTED) <= NOTES_KEPT) {
                notes.offer(name + " threw " + stackTrace(t));
            }
            System.exit(EXIT_UNEXPECTED);
        }
    }

    /** An invariant a child saw broken; the round fails with {@code what}. */
    void violation(String what) {
        if (counters.incrementAndGet(VIOLATIONS) <= NOTES_KEPT) {
            notes.offer(what);
        }
    }

    /**
     * From now on, the library's log records in this JVM are counted, not printed; once per JVM
     * (a pool worker runs many tasks).
     */
    void captureLogs() {
        captureLogs(counters, WARNINGS);
    }

    /** As {@link #captureLogs()}, counting in word {@code i} of {@code words}. */
    static void captureLogs(SharedLongArray words, int i) {
        Logger log = Multiprocessing.getLogger();
        synchronized (Crew.class) {
            for (Handler h : log.getHandlers()) {
                if (h instanceof WarningCounter) {
                    return;
                }
                log.removeHandler(h);
            }
            log.setUseParentHandlers(false);
            log.addHandler(new WarningCounter(() -> words.incrementAndGet(i)));
        }
    }

    /** Waits until killed (the parent kills a pinned holder); a parent that dies ends this child too. */
    static void waitForTheKill() {
        while (true) {
            LockSupport.park();
        }
    }

    static String stackTrace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString().strip();
    }

}
