package org.multiprocessing4j.internal.connection;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import org.multiprocessing4j.Connection;
import org.multiprocessing4j.JvmProcess;
import org.multiprocessing4j.ProcessQueue;

/**
 * Waits for the first of several connections, processes and queues to be ready, in the calling
 * thread: Python's {@code multiprocessing.connection.wait}. A process's end wakes the waiter at
 * once (its {@code onExit()} unparks it); connections and queues are polled with a back-off
 * that starts at 10 µs and doubles up to 1 ms, so a waiter costs no thread per object and
 * little CPU, and notices data within a millisecond.
 */
public final class ReadyWait {
    private static final long FIRST_PARK_NANOS = 10_000;
    private static final long MAX_PARK_NANOS = 1_000_000;

    private ReadyWait() {
    }

    /**
     * The ready ones of {@code objects}, in their order; empty if none became ready within
     * {@code nanos}.
     *
     * @throws IllegalArgumentException naming the first object of a kind that cannot be waited for
     */
    public static <T> List<T> await(Collection<T> objects, long nanos) throws InterruptedException {
        List<T> items = new ArrayList<>(objects);
        Thread waiter = Thread.currentThread();
        for (int i = 0; i < items.size(); i++) {
            Object o = Objects.requireNonNull(items.get(i), "objects contains null at index " + i);
            if (!(o instanceof JvmProcess) && !(o instanceof Connection) && !(o instanceof ProcessQueue)) {
                throw new IllegalArgumentException("cannot wait for " + o.getClass().getName() + " (index " + i
                        + "): awaitReady waits for a Connection, a JvmProcess or a ProcessQueue");
            }
        }
        for (T o : items) {
            if (o instanceof JvmProcess p) {
                p.onExit().thenRun(() -> LockSupport.unpark(waiter));
            }
        }
        boolean forever = nanos > Long.MAX_VALUE / 4; // a deadline that far would overflow
        long deadline = System.nanoTime() + (forever ? 0 : nanos);
        long park = FIRST_PARK_NANOS;
        while (true) {
            List<T> ready = new ArrayList<>();
            for (T o : items) {
                if (isReady(o)) {
                    ready.add(o);
                }
            }
            long left = forever ? Long.MAX_VALUE : deadline - System.nanoTime();
            if (!ready.isEmpty() || left <= 0) {
                return ready;
            }
            LockSupport.parkNanos(Math.min(park, left));
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            park = Math.min(MAX_PARK_NANOS, park * 2);
        }
    }

    private static boolean isReady(Object o) {
        if (o instanceof JvmProcess p) {
            return !p.isAlive();
        }
        if (o instanceof Connection c) {
            return c.poll();
        }
        ProcessQueue<?> q = (ProcessQueue<?>) o;
        return !q.isEmpty();
    }
}
