package org.multiprocessing4j.internal.shm;

import java.util.ArrayList;
import java.util.List;

/**
 * Reservations made while one object graph is serialized for a child: each pipe end that
 * travels reserves a holder slot for the process that will receive it, so that the other end
 * cannot see end-of-file while the end is on its way. The child claims the slot when it
 * decodes the end; {@link #release()} frees the slots nobody claimed, once the child has ended
 * or failed to start. Outside a capture (an end sent through a queue, say) the slot stays
 * reserved until it is claimed or the sending process ends.
 */
public final class Transit {
    private static final ThreadLocal<Transit> ACTIVE = new ThreadLocal<>();

    private final List<Runnable> releases = new ArrayList<>();
    /** Shared memory that must stay open in this JVM until the child has attached to it. */
    private final List<Object> held = new ArrayList<>();
    private final Transit outer;

    private Transit(Transit outer) {
        this.outer = outer;
    }

    /** Starts collecting the reservations this thread makes until {@link #stop()}. */
    public static Transit begin() {
        Transit t = new Transit(ACTIVE.get());
        ACTIVE.set(t);
        return t;
    }

    public static void onRelease(Runnable release) {
        Transit t = ACTIVE.get();
        if (t != null) {
            synchronized (t.releases) {
                t.releases.add(release);
            }
        }
    }

    /**
     * Keeps {@code o} reachable until {@link #release()}, if this thread is collecting.
     *
     * @return false if it is not
     */
    static boolean hold(Object o) {
        Transit t = ACTIVE.get();
        if (t == null) {
            return false;
        }
        synchronized (t.releases) {
            t.held.add(o);
        }
        return true;
    }

    /** Stops collecting in this thread. */
    public void stop() {
        if (ACTIVE.get() == this) {
            if (outer == null) {
                ACTIVE.remove();
            } else {
                ACTIVE.set(outer);
            }
        }
    }

    /** Frees every reservation collected that was not claimed; idempotent. */
    public void release() {
        List<Runnable> todo;
        synchronized (releases) {
            todo = new ArrayList<>(releases);
            releases.clear();
            held.clear();
        }
        for (Runnable r : todo) {
            r.run();
        }
    }
}
