package org.multiprocessing4j;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The result of {@link ProcessPool#mapAsync}: a {@link CompletableFuture} of the results in the
 * order of the items, which also tells how far the work has got ({@link #progress()}), as
 * Python's {@code AsyncResult} of {@code map_async} does not. It completes exceptionally at the
 * first item that fails (with a {@link TaskFailedException}); no item is sent to a worker after
 * that, and those already sent finish. Callbacks attached to it run on the pool's completer
 * thread.
 *
 * <p>Memory consistency effects: those of a {@code CompletableFuture}, completed on the pool's
 * completer thread; the results are copies decoded in this JVM. See {@link ProcessPool} for
 * what the tasks see and what shared memory is visible once a result is back.
 *
 * @param <R> the type of a result
 */
public final class MapFuture<R> extends CompletableFuture<List<R>> {
    private final MapJob job;

    MapFuture(MapJob job) {
        this.job = job;
    }

    /** How many items there are (once known), have completed and have failed. Does not block. */
    public TaskProgress progress() {
        return job.progress();
    }

    /**
     * A new, incomplete future, as {@code CompletableFuture} requires of subclasses; it is not
     * tied to any work.
     */
    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CompletableFuture<>();
    }
}
