package org.multiprocessing4j;

import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicLong;
import org.multiprocessing4j.internal.pool.Job;
import org.multiprocessing4j.internal.pool.Task;

/** One callable run by a pool: {@code submit}, {@code apply}, {@code applyAsync}. */
final class CallJob<R> extends Job {
    private final byte[] callable;
    private final String name;
    final PoolFuture<R> future;
    private final java.util.concurrent.Executor completer;
    private final R fixedResult;
    private final boolean useFixedResult;
    private boolean made; // guarded by this
    private volatile boolean finished;

    /**
     * @param useFixedResult for {@code submit(Runnable, result)}: complete with {@code fixedResult}
     */
    CallJob(byte[] callable, String name, PoolFuture<R> future, R fixedResult, boolean useFixedResult,
            java.util.concurrent.Executor completer) {
        super(null);
        this.completer = completer;
        this.callable = callable;
        this.name = name;
        this.future = future;
        this.fixedResult = fixedResult;
        this.useFixedResult = useFixedResult;
    }

    @Override
    protected synchronized Task next(AtomicLong ids, boolean throttle) {
        if (made) {
            return null;
        }
        made = true;
        if (future.isDone()) {
            finished = true; // cancelled before it was sent: it is not run
            return null;
        }
        long id = ids.incrementAndGet();
        return runTask(id, callable);
    }

    @Override
    protected synchronized boolean mayHaveMore() {
        return !made;
    }

    @Override
    @SuppressWarnings("unchecked")
    protected void succeeded(long index, Object value) {
        finished = true;
        future.arrive(useFixedResult ? fixedResult : (R) value, null, completer);
    }

    @Override
    protected void failed(long index, Throwable error, boolean workerDied) {
        finished = true;
        future.arrive(null, error, completer);
    }

    @Override
    protected void cancelled(CancellationException e) {
        finished = true;
        future.arrive(null, e, completer);
    }

    @Override
    protected boolean isFinished() {
        return finished;
    }

    @Override
    public String describe(long first, int count) {
        return name;
    }
}
