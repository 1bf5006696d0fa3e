package org.multiprocessing4j;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.multiprocessing4j.internal.pool.Engine;

/**
 * The future of one pool task. A thread waiting in {@link #get()} collects the pool's results
 * itself if no other thread does ({@link Engine#collectWhileWaiting}), so its result reaches it
 * straight from the worker; otherwise the thread that collects hands the outcome to it. The
 * {@code CompletableFuture} itself, with any callbacks the user attached, is completed on the
 * pool's completer thread: a callback that blocks, or uses the pool, cannot stall the pool.
 *
 * <p>Memory consistency effects: the collector decodes the outcome (a copy of the task's result
 * or throwable) and stores it in a volatile field before it unparks the waiters, so its
 * decoding happens-before the return of {@code get()} or {@code join()} that reports it; the
 * {@code CompletableFuture} side has its own guarantees. See {@link ProcessPool} for what is a
 * copy and what shared memory is visible.
 */
final class PoolFuture<T> extends CompletableFuture<T> {
    /**
     * How long a thread in {@code get()} that does not collect spins before it parks. 0 by
     * default: the collecting thread already spins for the answer, and on a 2-core machine a
     * second spinning thread in the parent takes the core the worker needs (one-task round trip
     * 117 µs spinning 2 000 times, 64 µs without, when the collector was always a thread of its
     * own; measured with {@code -Dmultiprocessing4j.futureSpins}).
     */
    private static final int SPINS = Integer.getInteger("multiprocessing4j.futureSpins", 0);

    /** The outcome, once it has arrived: a value holder, or the throwable. */
    private volatile Object outcome;
    /** The pool that will complete this future, for a waiter that collects its results; may be null. */
    private final Engine engine;
    private final java.util.concurrent.ConcurrentLinkedQueue<Thread> waiters =
            new java.util.concurrent.ConcurrentLinkedQueue<>();

    private static final class Value {
        final Object value;

        Value(Object value) {
            this.value = value;
        }
    }

    PoolFuture(Engine engine) {
        this.engine = engine;
        // Wakes a waiter when the future is completed some other way (cancel, terminate).
        whenComplete((v, e) -> wakeAll());
    }

    /** The outcome arrived: wake the waiter now, complete the future on {@code completer}. */
    void arrive(Object value, Throwable error, Executor completer) {
        outcome = error == null ? new Value(value) : error;
        wakeAll();
        completer.execute(() -> {
            if (error == null) {
                @SuppressWarnings("unchecked")
                T t = (T) value;
                complete(t);
            } else {
                completeExceptionally(error);
            }
        });
    }

    private void wakeAll() {
        for (Thread t : waiters) {
            LockSupport.unpark(t);
        }
    }

    @Override
    public boolean isDone() {
        return outcome != null || super.isDone();
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        if (!await(-1)) {
            throw new IllegalStateException("unreachable");
        }
        return report();
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        if (!await(unit.toNanos(timeout))) {
            throw new TimeoutException();
        }
        return report();
    }

    @Override
    public T join() {
        boolean interrupted = false;
        while (true) {
            try {
                await(-1);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        try {
            return report();
        } catch (ExecutionException e) {
            throw new CompletionException(e.getCause());
        }
    }

    /** Waits for the outcome; false if {@code nanos} (≥ 0) passed first. */
    private boolean await(long nanos) throws InterruptedException {
        if (isDone()) {
            return true;
        }
        long deadline = System.nanoTime() + nanos;
        if (engine != null) {
            Engine.Waited w = engine.collectWhileWaiting(this::isDone, nanos);
            if (w != Engine.Waited.NOT_NOW) {
                return w == Engine.Waited.DONE;
            }
            if (nanos >= 0) {
                nanos = Math.max(0, deadline - System.nanoTime());
            }
        }
        for (int i = 0; i < SPINS && !isDone(); i++) {
            Thread.onSpinWait();
        }
        Thread me = Thread.currentThread();
        waiters.add(me);
        try {
            while (!isDone()) {
                if (nanos < 0) {
                    LockSupport.park(this);
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    LockSupport.parkNanos(this, left);
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
            return true;
        } finally {
            waiters.remove(me);
        }
    }

    @SuppressWarnings("unchecked")
    private T report() throws ExecutionException {
        Object o = outcome;
        if (o == null) {
            try {
                return super.get(); // done another way (cancelled, terminated): returns at once
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        if (o instanceof Value) {
            return (T) ((Value) o).value;
        }
        Throwable t = (Throwable) o;
        if (t instanceof CancellationException) {
            throw (CancellationException) t;
        }
        throw new ExecutionException(t);
    }
}
