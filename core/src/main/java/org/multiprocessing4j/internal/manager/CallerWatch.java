package org.multiprocessing4j.internal.manager;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.multiprocessing4j.Connection;

/**
 * What a server thread knows about the client it serves, for the objects whose calls wait (the
 * manager's lock, event and queue): whether that client is still there, and what to undo if it
 * is gone before it got its reply.
 *
 * <p>A client sends nothing while it waits for a reply, so its connection becoming readable
 * during a call means end-of-file: the client closed it (an interrupted call) or died. Waiting
 * calls therefore wait in {@link #SLICE_NANOS} slices and look between them, so that a lock is
 * never granted to, and an item never taken for, a client that is no longer there.
 */
final class CallerWatch {
    /** How long a waiting call waits before it looks at its client again. */
    static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private static final ThreadLocal<Connection> CALLER = new ThreadLocal<>();
    private static final ThreadLocal<Runnable> UNDO = new ThreadLocal<>();

    /** Thrown in the server, by a waiting call whose client has gone; nobody reads its reply. */
    static final class CallerGoneException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CallerGoneException() {
            super("the client has gone", null, false, false);
        }
    }

    private CallerWatch() {
    }

    /** The calling server thread serves {@code connection} from now on. */
    static void serving(Connection connection) {
        CALLER.set(connection);
    }

    /** Whether the client of the calling server thread has closed its connection or died. */
    static boolean callerGone() {
        Connection c = CALLER.get();
        if (c == null) {
            return false; // not a serving thread (an object called directly, as in a unit test)
        }
        try {
            return c.poll();
        } catch (RuntimeException closed) {
            return true;
        }
    }

    /** Throws {@link CallerGoneException} if the client of the calling server thread is gone. */
    static void checkCaller() {
        if (callerGone()) {
            throw new CallerGoneException();
        }
    }

    /**
     * Waits on {@code monitor}, which the calling thread holds, until {@code done} answers true
     * (it is asked first, and after every wake-up or slice, each time after the client),
     * {@code timeoutNanos} pass (-1: no limit), or the client is gone.
     *
     * @return whether {@code done} answered true in time
     * @throws CallerGoneException if the client went first
     */
    static boolean awaitOn(Object monitor, long timeoutNanos, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        // The client is asked first too: its request may be read only after it gave up (an
        // interrupted lock() closes its connection at once), and whatever this call then took
        // would be given back only when the server sees the connection end, after the client
        // may already have looked.
        checkCaller();
        while (!done.getAsBoolean()) {
            long slice = SLICE_NANOS;
            if (timeoutNanos >= 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                slice = Math.min(slice, left);
            }
            TimeUnit.NANOSECONDS.timedWait(monitor, slice);
            checkCaller();
        }
        return true;
    }

    /**
     * What to do if the reply of the call under way cannot reach its client: put back the item a
     * {@code take} removed. Replaced by the next call's.
     */
    static void undoIfUnanswered(Runnable undo) {
        UNDO.set(undo);
    }

    /** Forgets the undo of the call just answered, and returns it. */
    static Runnable takeUndo() {
        Runnable undo = UNDO.get();
        if (undo != null) { // every call asks: spare the common case the removal
            UNDO.remove();
        }
        return undo;
    }
}
