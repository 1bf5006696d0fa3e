package org.multiprocessing4j.testing;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.PipeConnection;

/**
 * Blocking queue and pipe calls without the checked {@code InterruptedException}, for targets
 * (a {@code SerializableRunnable} cannot throw it), and bounded waits for the test thread.
 */
public final class Channels {
    /** How long a test waits for an item that should come. */
    public static final Duration PATIENCE = Duration.ofSeconds(60);

    private Channels() {
    }

    public static <E> void put(BlockingQueue<E> q, E item) {
        try {
            q.put(item);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Takes an item, failing if none comes within {@link #PATIENCE}. */
    public static <E> E take(BlockingQueue<E> q, String what) {
        try {
            E item = q.poll(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            if (item == null) {
                throw new AssertionError("no item came within " + PATIENCE.toSeconds() + " s: " + what);
            }
            return item;
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void send(PipeConnection c, Object o) {
        try {
            c.send(o);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Receives, failing if nothing comes within {@link #PATIENCE}. */
    public static <T> T recv(PipeConnection c, String what) {
        try {
            if (!c.poll(PATIENCE)) {
                throw new AssertionError("nothing came through the pipe within " + PATIENCE.toSeconds() + " s: " + what);
            }
            return c.recv();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
