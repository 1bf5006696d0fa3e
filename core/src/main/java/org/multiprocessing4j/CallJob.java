package org.multiprocessing4j;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.multiprocessing4j.internal.pool.PoolEngine;

/** One callable run by a pool: {@code submit}, {@code apply}, {@code applyAsync}. */
final class CallJob<R> extends PoolEngine.Job {
    private final byte[] callable;
    private final String name;
    final CompletableFuture<R> future;
    private final R fixedResult;
    private final boolean useFixedResult;
    private boolean made; // guarded by the engine lock
    private volatile boolean finished;

    /**
     * @param useFixedResult for {@code submit(Runnable, result)}: complete with {@code fixedResult}
     */
    CallJob(byte[] callable, String name, CompletableFuture<R> future, R fixedResult, boolean useFixedResult) {
        super(null);
        this.callable = callable;
        this.name = name;
        this.future = future;
        this.fixedResult = fixedResult;
        this.useFixedResult = useFixedResult;
    }

    @Override
    protected PoolEngine.Task next(AtomicLong ids) {
        if (made) {
            return null;
        }
        made = true;
        long id = ids.incrementAndGet();
        return task(id, 0, 1, runMessage(id, callable));
    }

    @Override
    protected boolean mayHaveMore() {
        return !made;
    }

    @Override
    @SuppressWarnings("unchecked")
    protected void succeeded(long index, Object value) {
        finished = true;
        future.complete(useFixedResult ? fixedResult : (R) value);
    }

    @Override
    protected void failed(long index, Throwable error, boolean workerDied) {
        finished = true;
        future.completeExceptionally(error);
    }

    @Override
    protected void cancelled(CancellationException e) {
        finished = true;
        future.completeExceptionally(e);
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
