package org.multiprocessing4j.cluster.internal.shared;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs a call on a thread that nobody interrupts, while the caller waits for it without
 * stopping at an interrupt (it sets the interrupt status again when the call is done). An
 * interrupt must not cut a call to the cluster in half: Hazelcast drops the answer of a call whose
 * thread is interrupted, and a socket channel closes itself; either would lose an item already
 * taken from a queue.
 */
final class Shield {
    private final ExecutorService threads;

    Shield(String threadName) {
        threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    <R> R call(Callable<R> call) {
        Future<R> f = threads.submit(call);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return f.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof RuntimeException) {
                        throw (RuntimeException) c;
                    }
                    if (c instanceof Error) {
                        throw (Error) c;
                    }
                    throw new IllegalStateException(c.getMessage(), c);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    void close() {
        threads.shutdownNow();
    }
}
