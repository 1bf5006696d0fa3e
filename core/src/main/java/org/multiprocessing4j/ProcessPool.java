package org.multiprocessing4j;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.internal.access.PoolAccess;
import org.multiprocessing4j.internal.access.SharedSecrets;
import org.multiprocessing4j.internal.codec.Codec;
import org.multiprocessing4j.internal.launch.ChildClassPath;
import org.multiprocessing4j.internal.launch.PreloadList;
import org.multiprocessing4j.internal.pool.Engine;
import org.multiprocessing4j.internal.pool.Job;
import org.multiprocessing4j.internal.pool.PoolEngine;
import org.multiprocessing4j.internal.pool.PoolState;
import org.multiprocessing4j.internal.pool.RemoteEngine;
import org.multiprocessing4j.spi.PoolBackend;
import org.multiprocessing4j.spi.PoolSpec;

/**
 * A pool of worker processes, as Python's {@code multiprocessing.Pool} and
 * {@code concurrent.futures.ProcessPoolExecutor}, and an {@link java.util.concurrent.ExecutorService}.
 *
 * <p>Make one with {@link ProcessContext#pool(int)} or {@link ProcessContext#poolBuilder()} (or
 * {@link #create(int)} with the default context). Each worker is a child JVM started with the
 * context's start method (with {@code FORKSERVER}, warm JVMs make a pool usable at once) that
 * runs many tasks, one at a time. Tasks are serializable lambdas
 * ({@link SerializableCallable}, {@link SerializableFunction}, {@link SerializableBiFunction},
 * {@link SerializableRunnable}); a task that cannot be serialized is refused when it is
 * submitted, with a {@link ProcessSerializationException} naming its class.
 *
 * <p><b>Faults never hang the pool.</b> A worker that dies while it holds a task (killed,
 * {@code System.exit}, a crash) fails exactly that task, with a {@link WorkerDiedException}
 * giving its pid and exit code; the pool starts a replacement, and the tasks queued behind it
 * go to other workers. (The pool tells the task a worker held from those it had not taken yet
 * by what is left in the worker's inbox.) Workers that keep dying before they are ready (a bad
 * JVM option, say) break the pool instead of being restarted forever, as an initializer that throws
 * does: a broken pool is terminated, and its work and every later submission fail with a
 * {@link BrokenPoolException}. A task that throws fails with the child's throwable (its stack trace
 * is the worker's); the worker stays. With a time limit ({@link Builder#taskTimeout}), a task
 * that runs longer has its worker killed and fails with a {@link TaskTimeoutException}.
 *
 * <p><b>Results.</b> {@code Future}s of this pool fail with an {@code ExecutionException}
 * whose cause is the task's throwable, or a {@link TaskFailedException} subclass when the worker
 * died. The blocking methods ({@link #apply}, {@link #map}, {@link #starmap}, the iterators of
 * {@link #imap}) throw a {@link TaskFailedException} whose cause is the task's throwable.
 *
 * <p><b>Ending.</b> {@link #shutdown()} is Python's {@code close()}: no new tasks, the workers
 * exit when the submitted ones are done (an {@code imap} nobody reads to its end is then run to
 * its end anyway). {@link #close()} does that and waits (so
 * try-with-resources waits for the work). {@link #terminate()} and {@link #shutdownNow()} end
 * every worker at once; unfinished tasks fail with a {@link CancellationException}.
 * {@link #join()} waits for the workers to end after either. A pool left running ends with
 * the program: its workers are daemon processes.
 *
 * <p>After {@link #shutdown()} or {@link #terminate()} every method that submits work throws a
 * {@link java.util.concurrent.RejectedExecutionException}, as an {@code ExecutorService} does;
 * once the pool is broken, a {@link BrokenPoolException} instead.
 *
 * <p>All methods may be called from any thread.
 *
 * <p>Memory consistency effects: a task runs in another JVM, on copies.
 * <ul>
 * <li>{@code submit}, {@code execute}, {@code apply}, {@code applyAsync}, {@code invokeAll} and
 *     {@code invokeAny} serialize each task, with what it captured, in the calling thread before
 *     they return: the worker runs a copy of the task as it was then.
 * <li>{@code map}, {@code mapAsync}, {@code starmap}, {@code imap} and {@code imapUnordered}
 *     serialize the function in the calling thread; the items are read from the
 *     {@code Iterable} and serialized later, a chunk at a time as workers can take them, by the
 *     calling thread or by a thread of the pool, and for {@code mapAsync}, {@code imap} and
 *     {@code imapUnordered} possibly after the call has returned. Actions in the calling thread
 *     prior to the call happen-before the pool reads the items; do not change the items or the
 *     {@code Iterable} until the job is done. (With a chunk size of 0, the items are listed at
 *     the call, but still serialized later.) The function of a job is decoded once in each worker
 *     and used for every item of the job that worker runs, so state it captured is per worker
 *     and shared by those items.
 * <li>The {@link Builder#initializer initializer} is serialized each time a worker starts,
 *     replacements included.
 * <li>A result, or a task's throwable, is serialized in the worker when the task ends, and what
 *     a future, {@code map} or an iterator gives back is a copy decoded in this JVM (except the
 *     {@code result} of {@link #submit(Runnable, Object)}, which stays the caller's object). The
 *     arrival of a task's outcome happens-before the return of the {@code get()}, {@code join()},
 *     {@code map} or {@code next()} that returns it, and, for the memory the processes share,
 *     what the task wrote to shared memory before it returned is visible then: the outcome
 *     travels on a {@link ProcessQueue}, with that queue's memory effects.
 * <li>Actions in a thread prior to submitting a task happen-before the task runs only for the
 *     memory the processes share (the task's copies of other objects were made at submission):
 *     the task travels to its worker on a {@code ProcessQueue} too.
 * <li>Callbacks attached to a future run on the pool's completer thread, with the memory effects
 *     {@code CompletableFuture} gives.
 * </ul>
 */
public final class ProcessPool implements java.util.concurrent.ExecutorService, AutoCloseable {
    static {
        SharedSecrets.setPoolAccess(new PoolAccess() {
            @Override
            public WorkerDiedException workerDied(String task, long pid, int exitCode, Throwable cause) {
                return new WorkerDiedException(task, pid, exitCode, cause);
            }

            @Override
            public CompletableFuture<Object> submitEncoded(ProcessPool pool, byte[] task, String description) {
                PoolFuture<Object> f = new PoolFuture<>(pool.engine);
                pool.engine.submit(new CallJob<>(task, description, f, null, false, pool.engine.completer()));
                return f;
            }

            @Override
            public Builder builder(ProcessContext context) {
                return ProcessPool.builder(context);
            }

            @Override
            public WorkerDiedException workerLost(String task, Throwable cause) {
                return new WorkerDiedException(task, cause);
            }

            @Override
            public TaskTimeoutException timedOut(String task, Duration limit, long pid) {
                return new TaskTimeoutException(task, limit, pid);
            }

            @Override
            public BrokenPoolException brokenPool(String message, Throwable cause) {
                return new BrokenPoolException(message, cause);
            }

            @Override
            public BrokenPoolException brokenAgain(BrokenPoolException broken, String what) {
                return broken.again(what);
            }
        });
    }

    private final Engine engine;
    private final int processes;
    private final Duration taskTimeout;
    /** Where the workers find classes: that of the code that made the pool, and its thread's. */
    private final ChildClassPath classPath;

    private ProcessPool(Builder b) {
        List<ClassLoader> loaders = new ArrayList<>(2);
        loaders.add(Thread.currentThread().getContextClassLoader());
        loaders.add(callerClass().getClassLoader());
        this.classPath = ChildClassPath.of(loaders);
        PoolEngine.Config c = new PoolEngine.Config();
        c.processes = b.processes;
        c.initializer = b.initializer;
        c.maxTasksPerChild = b.maxTasksPerChild;
        c.jvmOptions = b.jvmOptions;
        c.taskTimeout = b.taskTimeout;
        c.context = b.context;
        c.classLoaders = loaders;
        this.processes = b.processes;
        this.taskTimeout = b.taskTimeout;
        if (b.context instanceof PoolBackend) {
            if (b.taskTimeout != null) {
                throw new UnsupportedOperationException("a task time limit is not available on a pool of "
                        + b.context + " yet");
            }
            byte[] initializer = b.initializer == null ? null
                    : Codec.defaultCodec().encode(b.initializer, "the pool's initializer");
            this.engine = new RemoteEngine(((PoolBackend) b.context).openPool(
                    new PoolSpec(b.processes, b.jvmOptions, initializer, b.maxTasksPerChild)));
        } else {
            this.engine = new PoolEngine(c);
        }
    }

    /**
     * A pool of {@code processes} workers with the default context's start method.
     *
     * @throws IllegalArgumentException if {@code processes} is less than 1
     * @throws ProcessStartException if a worker JVM could not be started
     */
    public static ProcessPool create(int processes) {
        return Multiprocessing.getContext().pool(processes);
    }

    /** A pool of {@link Multiprocessing#cpuCount()} workers with the default context's start method. */
    public static ProcessPool create() {
        return Multiprocessing.getContext().poolBuilder().build();
    }

    /**
     * Options for a pool; get one from {@link ProcessContext#poolBuilder()}. Not thread-safe;
     * each {@link #build()} makes a new pool.
     */
    public static final class Builder {
        private final ProcessContext context;
        private int processes = Multiprocessing.cpuCount();
        private SerializableRunnable initializer;
        private int maxTasksPerChild;
        private List<String> jvmOptions = List.of();
        private Duration taskTimeout;

        Builder(ProcessContext context) {
            this.context = context;
        }

        /**
         * The number of workers (default {@link Multiprocessing#cpuCount()}).
         *
         * @throws IllegalArgumentException if less than 1
         */
        public Builder processes(int processes) {
            if (processes < 1) {
                throw new IllegalArgumentException("processes must be at least 1, not " + processes);
            }
            this.processes = processes;
            return this;
        }

        /**
         * Code each worker runs once before its first task (Python's {@code initializer}). If it
         * throws, the pool is broken: it is terminated, its unfinished tasks fail with a
         * {@link BrokenPoolException} whose message names what it threw and whose cause it is,
         * and submitting more throws a {@code BrokenPoolException} too (as Python's
         * {@code ProcessPoolExecutor} does; Python's {@code Pool} restarts such workers forever).
         *
         * @throws NullPointerException if {@code initializer} is null
         */
        public Builder initializer(SerializableRunnable initializer) {
            this.initializer = Objects.requireNonNull(initializer, "initializer");
            return this;
        }

        /**
         * How many tasks a worker runs before the pool replaces it with a fresh one (Python's
         * {@code maxtasksperchild}); 0 (the default) for no limit. Items of a chunk count one each.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder maxTasksPerChild(int maxTasksPerChild) {
            if (maxTasksPerChild < 0) {
                throw new IllegalArgumentException("maxTasksPerChild must be 0 (no limit) or positive, not "
                        + maxTasksPerChild);
            }
            this.maxTasksPerChild = maxTasksPerChild;
            return this;
        }

        /**
         * JVM options for the workers, e.g. {@code List.of("-Xmx256m")}; as
         * {@link JvmProcess#setJvmOptions}.
         *
         * @throws NullPointerException if the list or an option is null
         * @throws IllegalArgumentException if an option is not a JVM option or would replace
         *         the class path or main class
         */
        public Builder jvmOptions(List<String> options) {
            List<String> copy = List.copyOf(Objects.requireNonNull(options, "options"));
            String problem = org.multiprocessing4j.internal.launch.ChildCommand.validate(copy);
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
            this.jvmOptions = copy;
            return this;
        }

        /**
         * The longest a task may run; a task that runs longer has its worker killed and fails
         * with a {@link TaskTimeoutException}. The clock starts when the worker starts the task
         * (not while it boots or runs its initializer); a chunk of a map may take this long per
         * item. Without it (the default) tasks may run forever. With it, each task costs one
         * more message.
         *
         * @throws NullPointerException if {@code limit} is null
         * @throws IllegalArgumentException if {@code limit} is not positive
         */
        public Builder taskTimeout(Duration limit) {
            Objects.requireNonNull(limit, "limit");
            if (limit.isNegative() || limit.isZero()) {
                throw new IllegalArgumentException("taskTimeout must be positive, not " + limit);
            }
            this.taskTimeout = limit;
            return this;
        }

        /**
         * Starts the pool's workers and returns it at once; tasks wait for workers that are still
         * booting.
         *
         * @throws ProcessStartException if a worker JVM could not be started
         */
        public ProcessPool build() {
            return new ProcessPool(this);
        }
    }

    static Builder builder(ProcessContext context) {
        return new Builder(context);
    }

    // ---- Python's API ------------------------------------------------------------------------

    /**
     * Runs {@code task} in a worker and waits for its result (Python's {@code apply}).
     *
     * @throws ProcessSerializationException if {@code task} cannot be serialized
     * @throws TaskFailedException if the task threw (the cause), or its worker died
     * @throws java.util.concurrent.RejectedExecutionException if the pool is shut down or terminated
     * @throws BrokenPoolException if the pool is broken, or breaks while this waits
     * @throws InterruptedException if interrupted while waiting (the task goes on)
     */
    public <R> R apply(SerializableCallable<R> task) throws InterruptedException {
        CallJob<R> job = callJob(task, "task " + nameOf(task));
        return await(job.future, job.describe(0, 1));
    }

    /**
     * Runs {@code task} in a worker (Python's {@code apply_async}).
     *
     * @return a future of its result; it fails with the task's throwable, or a
     *         {@link TaskFailedException} subclass if its worker died
     * @throws ProcessSerializationException if {@code task} cannot be serialized
     * @throws java.util.concurrent.RejectedExecutionException if the pool is shut down or terminated
     * @throws BrokenPoolException if the pool is broken
     */
    public <R> CompletableFuture<R> applyAsync(SerializableCallable<R> task) {
        return callJob(task, "task " + nameOf(task)).future;
    }

    /**
     * Applies {@code fn} to every item in workers and returns the results in the order of the
     * items (Python's {@code map}), with Python's default chunk size: the items split into about
     * four chunks per worker.
     *
     * @throws ProcessSerializationException if {@code fn} cannot be serialized
     * @throws TaskFailedException for the first item that failed (the cause is what it threw)
     * @throws java.util.concurrent.RejectedExecutionException if the pool is shut down or terminated
     * @throws BrokenPoolException if the pool is broken, or breaks while this waits
     * @throws InterruptedException if interrupted while waiting
     */
    public <T, R> List<R> map(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items)
            throws InterruptedException {
        return map(fn, items, 0);
    }

    /**
     * As {@link #map(SerializableFunction, Iterable)}, sending {@code chunksize} items per message.
     *
     * @param chunksize items per message; 0 for Python's default
     * @throws IllegalArgumentException if {@code chunksize} is negative
     */
    public <T, R> List<R> map(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items,
                              int chunksize) throws InterruptedException {
        MapFuture<R> f = mapAsync(fn, items, chunksize);
        return await(f, "map");
    }

    /** As {@link #mapAsync(SerializableFunction, Iterable, int)} with Python's default chunk size. */
    public <T, R> MapFuture<R> mapAsync(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items) {
        return mapAsync(fn, items, 0);
    }

    /**
     * Applies {@code fn} to every item in workers (Python's {@code map_async}).
     *
     * @param chunksize items per message; 0 for Python's default
     * @return a future of the results in the order of the items, with {@link MapFuture#progress()}
     * @throws ProcessSerializationException if {@code fn} cannot be serialized
     * @throws IllegalArgumentException if {@code chunksize} is negative
     * @throws java.util.concurrent.RejectedExecutionException if the pool is shut down or terminated
     * @throws BrokenPoolException if the pool is broken
     */
    @SuppressWarnings("unchecked")
    public <T, R> MapFuture<R> mapAsync(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items,
                                        int chunksize) {
        Objects.requireNonNull(fn, "fn");
        Objects.requireNonNull(items, "items");
        return (MapFuture<R>) (MapFuture<?>) listJob(fn, items, 1, chunksize, "map(" + nameOf(fn) + ")").future;
    }

    /**
     * Applies {@code fn} to each pair, as Python's {@code starmap} does to each tuple of two.
     *
     * @param pairs the argument pairs, e.g. {@code List.of(Map.entry(1, 2), Map.entry(3, 4))}
     * @throws TaskFailedException as {@link #map(SerializableFunction, Iterable)}
     * @throws ProcessSerializationException as {@link #map(SerializableFunction, Iterable)}
     * @throws IllegalStateException as {@link #map(SerializableFunction, Iterable)}
     * @throws InterruptedException as {@link #map(SerializableFunction, Iterable)}
     */
    public <T, U, R> List<R> starmap(SerializableBiFunction<? super T, ? super U, ? extends R> fn,
                                     Iterable<? extends Map.Entry<? extends T, ? extends U>> pairs)
            throws InterruptedException {
        return starmap(fn, pairs, 0);
    }

    /** As {@link #starmap(SerializableBiFunction, Iterable)}, {@code chunksize} pairs per message. */
    @SuppressWarnings("unchecked")
    public <T, U, R> List<R> starmap(SerializableBiFunction<? super T, ? super U, ? extends R> fn,
                                     Iterable<? extends Map.Entry<? extends T, ? extends U>> pairs, int chunksize)
            throws InterruptedException {
        Objects.requireNonNull(fn, "fn");
        Objects.requireNonNull(pairs, "pairs");
        MapFuture<R> f = (MapFuture<R>) (MapFuture<?>) listJob(fn, pairs, 2, chunksize,
                "starmap(" + nameOf(fn) + ")").future;
        return await(f, "starmap");
    }

    /**
     * Applies {@code fn} to the items lazily, and returns the results in order as they come
     * (Python's {@code imap}, one item per message).
     */
    public <T, R> ResultIterator<R> imap(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items) {
        return imap(fn, items, 1);
    }

    /**
     * As {@link #imap(SerializableFunction, Iterable)}, {@code chunksize} items per message.
     *
     * @throws ProcessSerializationException if {@code fn} cannot be serialized
     * @throws IllegalArgumentException if {@code chunksize} is less than 1
     * @throws java.util.concurrent.RejectedExecutionException if the pool is shut down or terminated
     * @throws BrokenPoolException if the pool is broken
     */
    public <T, R> ResultIterator<R> imap(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items,
                                         int chunksize) {
        return iteratorJob(fn, items, chunksize, MapJob.Mode.ORDERED, "imap");
    }

    /** As {@link #imap(SerializableFunction, Iterable)}, with results in the order they finish. */
    public <T, R> ResultIterator<R> imapUnordered(SerializableFunction<? super T, ? extends R> fn,
                                                  Iterable<? extends T> items) {
        return imapUnordered(fn, items, 1);
    }

    /** As {@link #imap(SerializableFunction, Iterable, int)}, with results in the order they finish. */
    public <T, R> ResultIterator<R> imapUnordered(SerializableFunction<? super T, ? extends R> fn,
                                                  Iterable<? extends T> items, int chunksize) {
        return iteratorJob(fn, items, chunksize, MapJob.Mode.UNORDERED, "imapUnordered");
    }

    private <R> ResultIterator<R> iteratorJob(Serializable fn, Iterable<?> items, int chunksize, MapJob.Mode mode,
                                              String kind) {
        Objects.requireNonNull(fn, "fn");
        Objects.requireNonNull(items, "items");
        if (chunksize < 1) {
            throw new IllegalArgumentException("chunksize must be at least 1, not " + chunksize);
        }
        byte[] code = encode(fn, "the function of " + kind);
        MapJob job = new MapJob(code, items.iterator(), 1, chunksize, mode, kind + "(" + nameOf(fn) + ")", engine,
                processes);
        if (items instanceof Collection) {
            job.expectTotal(((Collection<?>) items).size());
        }
        engine.submit(job);
        return new ResultIterator<>(job);
    }

    private MapJob listJob(Serializable fn, Iterable<?> items, int arity, int chunksize, String name) {
        if (chunksize < 0) {
            throw new IllegalArgumentException("chunksize must be 0 (Python's default) or positive, not " + chunksize);
        }
        byte[] code = encode(fn, "the function of " + name);
        Iterator<?> input;
        int chunk = chunksize;
        long expected = items instanceof Collection ? ((Collection<?>) items).size() : -1;
        if (chunk == 0) {
            // Python: divmod(len(items), 4 * workers), rounded up; the items are listed first.
            List<?> list = items instanceof Collection ? new ArrayList<>((Collection<?>) items) : listOf(items);
            int n = list.size();
            chunk = Math.max(1, n / (4 * processes) + (n % (4 * processes) == 0 ? 0 : 1));
            input = list.iterator();
            expected = n;
        } else {
            input = items.iterator();
        }
        MapJob job = new MapJob(code, input, arity, chunk, MapJob.Mode.LIST, name, engine, processes);
        job.expectTotal(expected);
        engine.submit(job);
        return job;
    }

    private static List<Object> listOf(Iterable<?> items) {
        List<Object> list = new ArrayList<>();
        for (Object o : items) {
            list.add(o);
        }
        return list;
    }

    // ---- ExecutorService ---------------------------------------------------------------------

    /**
     * Runs {@code task} in a worker. The same as {@link #applyAsync}; this overload makes a
     * lambda serializable.
     */
    public <T> CompletableFuture<T> submit(SerializableCallable<T> task) {
        return applyAsync(task);
    }

    /**
     * Runs {@code task}, which must be {@link Serializable}, in a worker.
     *
     * @throws ProcessSerializationException if it is not serializable (a lambda whose target
     *         type is plain {@code Callable}, say: use {@link SerializableCallable})
     */
    @Override
    public <T> CompletableFuture<T> submit(Callable<T> task) {
        Objects.requireNonNull(task, "task");
        return callJob(task, "task " + nameOf(task)).future;
    }

    /** Runs {@code task} in a worker; the future completes with null. */
    public CompletableFuture<?> submit(SerializableRunnable task) {
        return submit((Runnable) task, null);
    }

    /**
     * Runs {@code task}, which must be {@link Serializable}, in a worker; the future completes
     * with null.
     */
    @Override
    public CompletableFuture<?> submit(Runnable task) {
        return submit(task, null);
    }

    /**
     * Runs {@code task}, which must be {@link Serializable}, in a worker; the future completes
     * with {@code result}, which stays in this process.
     */
    @Override
    public <T> CompletableFuture<T> submit(Runnable task, T result) {
        Objects.requireNonNull(task, "task");
        String name = "task " + nameOf(task);
        byte[] code = encode(new RunnableAdapter(task), name);
        PoolFuture<T> f = new PoolFuture<>(engine);
        engine.submit(new CallJob<>(code, name, f, result, true, engine.completer()));
        return f;
    }

    /** Runs {@code command}, which must be {@link Serializable}, in a worker; failures are dropped. */
    @Override
    public void execute(Runnable command) {
        submit(command);
    }

    /** A runnable as a callable, serializable if the runnable is. */
    private static final class RunnableAdapter implements SerializableCallable<Object> {
        private static final long serialVersionUID = 1L;
        private final Runnable task;

        RunnableAdapter(Runnable task) {
            this.task = task;
        }

        @Override
        public Object call() {
            task.run();
            return null;
        }
    }

    /**
     * Runs every task (each must be {@link Serializable}) and waits until all are done.
     *
     * @throws ProcessSerializationException if a task cannot be serialized (none is run)
     */
    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
        List<Future<T>> futures = submitAll(tasks);
        for (Future<T> f : futures) {
            try {
                f.get();
            } catch (ExecutionException | CancellationException e) {
                // Reported by the future itself.
            }
        }
        return futures;
    }

    /**
     * Runs every task and waits at most {@code timeout} for them; futures not done by then are
     * cancelled (their tasks may still run to their end in a worker).
     */
    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        List<Future<T>> futures = submitAll(tasks);
        for (Future<T> f : futures) {
            long left = deadline - System.nanoTime();
            try {
                f.get(Math.max(0, left), TimeUnit.NANOSECONDS);
            } catch (ExecutionException | CancellationException e) {
                // Reported by the future itself.
            } catch (java.util.concurrent.TimeoutException e) {
                f.cancel(false);
            }
        }
        return futures;
    }

    /**
     * Runs the tasks and returns the result of one that succeeded; the others are cancelled.
     *
     * @throws ExecutionException if none succeeded (the cause is one task's failure)
     */
    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks) throws InterruptedException, ExecutionException {
        try {
            return invokeAny(tasks, Long.MAX_VALUE, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    /** As {@link #invokeAny(Collection)}, waiting at most {@code timeout}. */
    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, java.util.concurrent.TimeoutException {
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("no tasks");
        }
        List<Future<T>> futures = submitAll(tasks);
        CompletableFuture<T> first = new CompletableFuture<>();
        java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger();
        for (Future<T> f : futures) {
            ((CompletableFuture<T>) f).whenComplete((v, e) -> {
                if (e == null) {
                    first.complete(v);
                } else if (failures.incrementAndGet() == futures.size()) {
                    first.completeExceptionally(e);
                }
            });
        }
        try {
            return unit.toNanos(timeout) == Long.MAX_VALUE ? first.get() : first.get(timeout, unit);
        } finally {
            for (Future<T> f : futures) {
                f.cancel(false);
            }
        }
    }

    private <T> List<Future<T>> submitAll(Collection<? extends Callable<T>> tasks) {
        Objects.requireNonNull(tasks, "tasks");
        List<byte[]> encoded = new ArrayList<>();
        for (Callable<T> t : tasks) {
            encoded.add(encode(Objects.requireNonNull(t, "a task"), "task " + nameOf(t)));
        }
        List<Future<T>> futures = new ArrayList<>();
        int i = 0;
        for (Callable<T> t : tasks) {
            PoolFuture<T> f = new PoolFuture<>(engine);
            engine.submit(new CallJob<>(encoded.get(i++), "task " + nameOf(t), f, null, false, engine.completer()));
            futures.add(f);
        }
        return futures;
    }

    private <R> CallJob<R> callJob(Callable<R> task, String name) {
        Objects.requireNonNull(task, "task");
        byte[] code = encode(task, name);
        PoolFuture<R> f = new PoolFuture<>(engine);
        CallJob<R> job = new CallJob<>(code, name, f, null, false, engine.completer());
        engine.submit(job);
        return job;
    }

    private byte[] encode(Object code, String what) {
        if (!(code instanceof Serializable)) {
            throw new ProcessSerializationException("cannot send " + what + " to a worker process: "
                    + code.getClass().getName() + " is not serializable (for a lambda, use SerializableCallable,"
                    + " SerializableFunction or SerializableRunnable as its type)", null);
        }
        Set<Class<?>> classes = new HashSet<>();
        byte[] bytes = Codec.defaultCodec().encode(code, what, classes);
        Class<?> missing = classPath.firstMissing(classes);
        if (missing != null) {
            throw new ProcessSerializationException("cannot send " + what + " to a worker process: "
                    + ChildClassPath.describe(missing) + " is not on the workers' class path, which holds the"
                    + " classes of the code that created the pool and of that thread's context class loader:"
                    + " create the pool from code loaded by that class's loader, or with it as the creating"
                    + " thread's context class loader", null);
        }
        PreloadList.note(classes);
        return bytes;
    }

    /** The first class on the stack outside the library: the code that is making the pool. */
    private static Class<?> callerClass() {
        java.security.ProtectionDomain library = ProcessPool.class.getProtectionDomain();
        return StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).walk(frames -> frames
                .map(StackWalker.StackFrame::getDeclaringClass)
                .filter(c -> c.getProtectionDomain() != library)
                .findFirst().orElse(ProcessPool.class));
    }

    private static String nameOf(Object code) {
        String n = code.getClass().getName();
        int lambda = n.indexOf("$$Lambda");
        return lambda > 0 ? "lambda in " + n.substring(0, lambda) : n;
    }

    private static <R> R await(CompletableFuture<? extends R> f, String what) throws InterruptedException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof TaskFailedException) {
                throw (TaskFailedException) cause;
            }
            if (cause instanceof CancellationException) {
                throw (CancellationException) cause;
            }
            if (cause instanceof BrokenPoolException) {
                throw ((BrokenPoolException) cause).again(what + " failed");
            }
            if (cause instanceof IllegalStateException && !(f instanceof MapFuture)) {
                throw new TaskFailedException(what, what + " failed: " + cause.getMessage(), cause);
            }
            throw new TaskFailedException(what, what + " threw " + cause, cause);
        }
    }

    // ---- ending ------------------------------------------------------------------------------

    /** Python's {@code close()}: takes no new tasks; the workers exit when the submitted ones are done. Does not block. */
    @Override
    public void shutdown() {
        engine.close();
    }

    /**
     * Python's {@code terminate()}: ends every worker now (SIGTERM); unfinished tasks fail with a
     * {@link CancellationException}. Does not wait; see {@link #join()}.
     */
    public void terminate() {
        engine.terminate();
    }

    /**
     * Ends every worker now, as {@link #terminate()}.
     *
     * @return one entry per submission (a task, a map) that had not finished; running one does
     *         nothing (its future has failed with a {@link CancellationException})
     */
    @Override
    public List<Runnable> shutdownNow() {
        List<Runnable> left = new ArrayList<>();
        for (Job job : engine.terminate()) {
            left.add(new Cancelled(job.describe(0, 1)));
        }
        return left;
    }

    /** What {@link #shutdownNow()} returns for a submission that had not finished. */
    private static final class Cancelled implements Runnable {
        private final String what;

        Cancelled(String what) {
            this.what = what;
        }

        @Override
        public void run() {
            // Its future has failed with a CancellationException; there is nothing left to run.
        }

        @Override
        public String toString() {
            return "cancelled " + what;
        }
    }

    @Override
    public boolean isShutdown() {
        return !engine.state().isRunning();
    }

    @Override
    public boolean isTerminated() {
        return engine.state() == PoolState.TERMINATED;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return engine.awaitTermination(unit.toNanos(timeout));
    }

    /**
     * Python's {@code join()}: waits until every worker has ended, after {@link #shutdown()} or
     * {@link #terminate()}.
     *
     * @throws IllegalStateException if the pool is still running
     * @throws InterruptedException if interrupted while waiting
     */
    public void join() throws InterruptedException {
        if (engine.state().isRunning()) {
            throw new IllegalStateException("join() needs shutdown() (Python's close()) or terminate() first");
        }
        engine.awaitTermination();
    }

    /**
     * Waits at most {@code timeout} for every worker to end, after {@link #shutdown()} or
     * {@link #terminate()}.
     *
     * @return true if they have ended
     * @throws IllegalStateException if the pool is still running
     */
    public boolean join(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        if (engine.state().isRunning()) {
            throw new IllegalStateException("join() needs shutdown() (Python's close()) or terminate() first");
        }
        return engine.awaitTermination(ProcessQueue.nanos(timeout));
    }

    /**
     * Takes no new tasks, waits for the submitted ones and for the workers to end; idempotent.
     * If interrupted while waiting it terminates the pool and keeps the interrupt flag.
     */
    @Override
    public void close() {
        shutdown();
        try {
            engine.awaitTermination();
        } catch (InterruptedException e) {
            terminate();
            Thread.currentThread().interrupt();
        }
    }

    /** The pids of the workers alive now. */
    public List<Long> workerPids() {
        return engine.workerPids();
    }

    /** The number of workers. */
    public int processes() {
        return processes;
    }

    /** The per-task time limit, if any. */
    public java.util.Optional<Duration> taskTimeout() {
        return java.util.Optional.ofNullable(taskTimeout);
    }

    @Override
    public String toString() {
        return "ProcessPool[" + engine + "]";
    }
}
