package org.multiprocessing4j;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.multiprocessing4j.internal.pool.CallBuilder;
import org.multiprocessing4j.internal.pool.Engine;
import org.multiprocessing4j.internal.pool.Job;
import org.multiprocessing4j.internal.pool.Task;

/**
 * One {@code map}, {@code starmap} or {@code imap} of a pool: reads the input lazily in chunks
 * (called by the pool's dispatcher), and gathers the outcomes, for a {@link MapFuture} (all of
 * them, in order) or a {@link ResultIterator} (in order, or as they arrive).
 */
final class MapJob extends Job {
    enum Mode { LIST, ORDERED, UNORDERED }

    private static final Object MISSING = new Object();

    /** An item that failed, in place of its result. */
    private static final class Failure {
        final TaskFailedException error;

        Failure(TaskFailedException error) {
            this.error = error;
        }
    }

    private final Iterator<?> input;
    private final int arity;
    private final int chunksize;
    private final Mode mode;
    private final String name;
    private final Engine engine;
    private final long ahead;
    final MapFuture<Object> future;

    // All guarded by this.
    private long generated;
    private long completed;
    private long failedCount;
    private long consumed;
    private long total = -1;
    /** The size of a {@code Collection} input, known before it is read; -1 for other inputs. */
    private long expectedTotal = -1;
    private boolean inputDone;
    private boolean stopped;
    private RuntimeException terminal;
    private boolean completing;
    private boolean throttled;
    private final List<Object> all = new ArrayList<>();
    private final Map<Long, Object> waiting = new HashMap<>();
    private final ArrayDeque<Object> arrived = new ArrayDeque<>();

    MapJob(byte[] function, Iterator<?> input, int arity, int chunksize, Mode mode, String name, Engine engine,
           int processes) {
        super(function);
        this.input = input;
        this.arity = arity;
        this.chunksize = chunksize;
        this.mode = mode;
        this.name = name;
        this.engine = engine;
        this.ahead = Math.max(256, 8L * chunksize * processes);
        this.future = mode == Mode.LIST ? new MapFuture<>(this) : null;
    }

    @Override
    protected synchronized Task next(AtomicLong ids, boolean throttle) {
        if (inputDone || stopped) {
            return null;
        }
        if (throttle && mode != Mode.LIST && generated - consumed >= ahead) {
            throttled = true;
            return null;
        }
        long first = generated;
        long id = ids.incrementAndGet();
        CallBuilder call = startCall(id, arity, Math.min(chunksize, 4096));
        int count = 0;
        RuntimeException inputFailure = null;
        try {
            while (count < chunksize && input.hasNext()) {
                Object item = input.next();
                if (arity == 1) {
                    call.add(item, name);
                } else {
                    Map.Entry<?, ?> pair = (Map.Entry<?, ?>) item;
                    call.addPair(pair.getKey(), pair.getValue(), name);
                }
                count++;
            }
            if (count < chunksize) {
                inputDone = true;
            }
        } catch (RuntimeException e) {
            inputFailure = e;
        }
        generated = first + count;
        for (int k = 0; k < count; k++) {
            if (mode == Mode.LIST) {
                all.add(MISSING);
            }
        }
        if (inputFailure != null) {
            // The item that could not be read or encoded fails; the input is not read further.
            inputDone = true;
            long index = generated++;
            if (mode == Mode.LIST) {
                all.add(MISSING);
            }
            record(index, new TaskFailedException(describe(index, 1), "cannot send " + describe(index, 1)
                    + " to a worker: " + inputFailure.getMessage(), inputFailure));
        }
        if (inputDone) {
            total = generated;
            finishIfComplete();
            notifyAll(); // an iterator waiting for more may now learn that there is no more
        }
        if (count == 0) {
            return null;
        }
        return task(id, first, call);
    }

    @Override
    protected synchronized boolean mayHaveMore() {
        return !inputDone && !stopped;
    }

    @Override
    protected synchronized void delivered(long first, Object[] values, Throwable[] errors) {
        for (int k = 0; k < values.length; k++) {
            if (errors != null && errors[k] != null) {
                failed(first + k, errors[k], false);
            } else {
                completed++;
                store(first + k, values[k]);
            }
        }
        finishIfComplete();
        notifyAll();
    }

    @Override
    protected synchronized void succeeded(long index, Object value) {
        completed++;
        store(index, value);
        finishIfComplete();
        notifyAll();
    }

    @Override
    protected void failed(long index, Throwable error, boolean workerDied) {
        synchronized (this) {
            if (index < 0) {
                // The pool itself broke (a BrokenPoolException), or the job's input failed (remote engine).
                stopped = true;
                if (terminal == null) {
                    terminal = error instanceof RuntimeException ? (RuntimeException) error
                            : new IllegalStateException(error);
                }
                if (future != null) {
                    engine.completer().execute(() -> future.completeExceptionally(error));
                }
                notifyAll();
                return;
            }
            TaskFailedException f = error instanceof TaskFailedException ? (TaskFailedException) error
                    : new TaskFailedException(describe(index, 1), describe(index, 1) + " threw " + error, error);
            record(index, f);
        }
    }

    /** Records a failure; called holding this. */
    private void record(long index, TaskFailedException f) {
        completed++;
        failedCount++;
        store(index, new Failure(f));
        if (mode == Mode.LIST) {
            // map() fails at its first failure, as Python's does; no more items are sent.
            stopped = true;
            engine.completer().execute(() -> future.completeExceptionally(f));
        }
        finishIfComplete();
        notifyAll();
    }

    private void store(long index, Object outcome) {
        switch (mode) {
            case LIST:
                all.set((int) index, outcome);
                break;
            case ORDERED:
                waiting.put(index, outcome);
                break;
            default:
                arrived.add(outcome);
        }
    }

    /** Completes the future once every item is in; called holding this. */
    private void finishIfComplete() {
        if (mode == Mode.LIST && inputDone && completed >= generated && !completing) {
            completing = true;
            List<Object> results = Collections.unmodifiableList(new ArrayList<>(all));
            engine.completer().execute(() -> future.complete(results));
        }
    }

    @Override
    protected synchronized void cancelled(CancellationException e) {
        stopped = true;
        if (terminal == null) {
            terminal = e; // an earlier reason (the pool broke) says more
        }
        if (future != null) {
            engine.completer().execute(() -> future.completeExceptionally(e));
        }
        notifyAll();
    }

    @Override
    protected synchronized boolean isFinished() {
        return (inputDone || stopped) && completed >= generated;
    }

    @Override
    public String describe(long first, int count) {
        return count == 1 ? "item " + first + " of " + name : "items " + first + "-" + (first + count - 1) + " of " + name;
    }

    synchronized TaskProgress progress() {
        return new TaskProgress(inputDone ? total : expectedTotal, completed, failedCount);
    }

    /**
     * Says how many items the input holds, when it is a {@code Collection} whose size is known
     * before it is read, so that {@link #progress()} has a total from the first item. Once the
     * input is read to its end, the number of items really read is the total.
     */
    synchronized void expectTotal(long items) {
        expectedTotal = items;
    }

    /** What {@link #awaitNext(long)} found. */
    enum Next {
        /** The next outcome is there. */
        READY,
        /** There is no next outcome: every item's outcome was taken. */
        END,
        /** The time ran out first. */
        LATE
    }

    /** For the iterators: waits until the next outcome is there (true) or there is none (false). */
    boolean awaitNext() {
        return awaitNext(-1) == Next.READY;
    }

    /**
     * For the iterators: waits at most {@code nanos} (negative: as long as it takes; 0: looks
     * once) until the next outcome is there or there is none. Takes nothing.
     *
     * @throws BrokenPoolException if the pool broke before the next outcome came
     * @throws IllegalStateException if the pool was terminated first, or the thread is interrupted
     *         while waiting (its interrupt flag set again)
     */
    synchronized Next awaitNext(long nanos) {
        long deadline = System.nanoTime() + nanos; // wraps for Long.MAX_VALUE; only differences are used
        while (true) {
            if (mode == Mode.ORDERED ? waiting.containsKey(consumed) : !arrived.isEmpty()) {
                return Next.READY;
            }
            if (terminal instanceof BrokenPoolException) {
                throw ((BrokenPoolException) terminal).again("no more results of " + name);
            }
            if (terminal != null) {
                throw new IllegalStateException("the pool stopped before every result came: " + terminal.getMessage(),
                        terminal);
            }
            if ((inputDone || stopped) && consumed >= generated) {
                return Next.END;
            }
            try {
                if (nanos < 0) {
                    wait();
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return Next.LATE;
                    }
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a result of " + name, e);
            }
        }
    }

    /** The name of the job, e.g. {@code imap(lambda in com.example.Main)}, for messages. */
    String name() {
        return name;
    }

    /** For the iterators: the next outcome, which {@link #awaitNext()} said is there. */
    Object takeNext() {
        Object outcome;
        boolean wake;
        synchronized (this) {
            outcome = mode == Mode.ORDERED ? waiting.remove(consumed) : arrived.poll();
            consumed++;
            wake = throttled;
            throttled = false;
        }
        if (wake) {
            engine.poke(); // it was held back: it may read more input now
        }
        if (outcome instanceof Failure) {
            throw ((Failure) outcome).error;
        }
        return outcome;
    }
}
