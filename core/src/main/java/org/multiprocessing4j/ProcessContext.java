package org.multiprocessing4j;

import java.util.Objects;

/**
 * A factory for processes, pools, queues, pipes, locks, conditions, semaphores, events,
 * barriers and shared values, bound to one {@link StartMethod}: the counterpart of Python's
 * {@code multiprocessing.get_context(method)}. The start method decides how the processes and
 * pool workers it makes get their JVMs; the other objects are the same whichever context made
 * them. Get one from {@link Multiprocessing#getContext(StartMethod)}. Immutable and
 * thread-safe.
 */
public final class ProcessContext {
    private final StartMethod startMethod;

    ProcessContext(StartMethod startMethod) {
        this.startMethod = startMethod;
    }

    /**
     * The start method of everything this context makes.
     *
     * @return the start method
     */
    public StartMethod getStartMethod() {
        return startMethod;
    }

    /**
     * A process that runs {@code target} and starts with this context's start method; as
     * {@link JvmProcess#JvmProcess(SerializableRunnable)} otherwise.
     *
     * @param target what the child runs
     * @return a new process, not yet started
     * @throws NullPointerException if {@code target} is null
     */
    public JvmProcess process(SerializableRunnable target) {
        return bind(new JvmProcess(target));
    }

    /**
     * A named process that runs {@code target} and starts with this context's start method.
     *
     * @param name the process name; null gives the default name
     * @param target what the child runs
     * @return a new process, not yet started
     * @throws NullPointerException if {@code target} is null
     */
    public JvmProcess process(String name, SerializableRunnable target) {
        return bind(new JvmProcess(name, target));
    }

    /**
     * Makes {@code process}, which is not started yet, start with this context's start method:
     * the way to give one to a subclass of {@link JvmProcess}.
     *
     * @param process a process that has not been started
     * @param <P> the process's type
     * @return {@code process}
     * @throws NullPointerException if {@code process} is null
     * @throws IllegalStateException if it has been started or closed
     */
    public <P extends JvmProcess> P bind(P process) {
        Objects.requireNonNull(process, "process").bindStartMethod(startMethod);
        return process;
    }

    /**
     * An unbounded queue for processes of this family, as Python's {@code ctx.Queue()}; see
     * {@link ProcessQueue}. Queues work the same under every start method.
     *
     * @param <E> the type of the items
     * @return a new queue
     * @throws java.io.UncheckedIOException if its shared memory cannot be made
     */
    public <E> ProcessQueue<E> queue() {
        return ProcessQueue.create();
    }

    /**
     * A queue that holds at most {@code maxsize} items, as Python's {@code ctx.Queue(maxsize)}.
     *
     * @param maxsize the most items it holds; 0 means no bound but its buffer
     * @param <E> the type of the items
     * @return a new queue
     * @throws IllegalArgumentException if {@code maxsize} is negative
     * @throws java.io.UncheckedIOException if its shared memory cannot be made
     */
    public <E> ProcessQueue<E> queue(int maxsize) {
        return ProcessQueue.create(maxsize);
    }

    /**
     * An unbounded joinable queue, as Python's {@code ctx.JoinableQueue()}; see
     * {@link JoinableProcessQueue}.
     *
     * @param <E> the type of the items
     * @return a new queue
     * @throws java.io.UncheckedIOException if its shared memory cannot be made
     */
    public <E> JoinableProcessQueue<E> joinableQueue() {
        return JoinableProcessQueue.create();
    }

    /**
     * A joinable queue that holds at most {@code maxsize} items.
     *
     * @param maxsize the most items it holds; 0 means no bound but its buffer
     * @param <E> the type of the items
     * @return a new queue
     * @throws IllegalArgumentException if {@code maxsize} is negative
     * @throws java.io.UncheckedIOException if its shared memory cannot be made
     */
    public <E> JoinableProcessQueue<E> joinableQueue(int maxsize) {
        return JoinableProcessQueue.create(maxsize);
    }

    /**
     * A pipe, as Python's {@code ctx.Pipe(duplex)}; see {@link ProcessPipe#open(boolean)}.
     *
     * @param duplex true for a two-way pipe; false for one whose first end only receives and
     *        whose second end only sends
     * @return a new pipe; this process holds both ends
     * @throws java.io.UncheckedIOException if its shared memory cannot be made
     */
    public ProcessPipe pipe(boolean duplex) {
        return ProcessPipe.open(duplex);
    }

    /**
     * A duplex pipe, as Python's {@code ctx.Pipe()}.
     *
     * @return a new pipe; this process holds both ends
     * @throws java.io.UncheckedIOException if its shared memory cannot be made
     */
    public ProcessPipe pipe() {
        return ProcessPipe.open(true);
    }

    /**
     * A pool of {@code processes} workers started with this context's start method, as Python's
     * {@code ctx.Pool(processes)}; see {@link ProcessPool}.
     *
     * @param processes the number of workers
     * @return a running pool; its workers may still be booting
     * @throws IllegalArgumentException if {@code processes} is less than 1
     * @throws ProcessStartException if a worker JVM could not be started
     */
    public ProcessPool pool(int processes) {
        return poolBuilder().processes(processes).build();
    }

    /**
     * Options for a pool started with this context's start method: the number of workers, an
     * initializer, tasks per worker, worker JVM options, a per-task time limit.
     *
     * @return a new builder
     */
    public ProcessPool.Builder poolBuilder() {
        return ProcessPool.builder(this);
    }

    /**
     * Starts a manager whose server process starts with this context's start method, as
     * Python's {@code ctx.Manager()}; see {@link ProcessManager}.
     *
     * @return a running manager
     * @throws ProcessStartException if the server process cannot be started
     */
    public ProcessManager manager() {
        return managerBuilder().start();
    }

    /**
     * A builder for a manager with custom types ({@link ProcessManager.Builder#register}),
     * whose server process starts with this context's start method.
     *
     * @return a new builder
     */
    public ProcessManager.Builder managerBuilder() {
        return ProcessManager.builder(this);
    }

    /** A lock shared by processes, as Python's {@code ctx.Lock()}; see {@link ProcessLock}. */
    public ProcessLock lock() {
        return ProcessLock.create();
    }

    /** A reentrant lock shared by processes, as Python's {@code ctx.RLock()}. */
    public ProcessReentrantLock reentrantLock() {
        return ProcessReentrantLock.create();
    }

    /** A condition with its own reentrant lock, as Python's {@code ctx.Condition()}. */
    public ProcessCondition condition() {
        return ProcessCondition.create();
    }

    /**
     * A semaphore, as Python's {@code ctx.Semaphore(permits)}.
     *
     * @throws IllegalArgumentException if {@code permits} is negative
     */
    public ProcessSemaphore semaphore(int permits) {
        return ProcessSemaphore.create(permits);
    }

    /**
     * A bounded semaphore, as Python's {@code ctx.BoundedSemaphore(permits)}.
     *
     * @throws IllegalArgumentException if {@code permits} is negative
     */
    public ProcessSemaphore boundedSemaphore(int permits) {
        return ProcessSemaphore.createBounded(permits);
    }

    /**
     * A barrier for {@code parties}, as Python's {@code ctx.Barrier(parties)}.
     *
     * @throws IllegalArgumentException if {@code parties} is less than 1
     */
    public ProcessBarrier barrier(int parties) {
        return ProcessBarrier.create(parties);
    }

    /** An event, as Python's {@code ctx.Event()}. */
    public ProcessEvent event() {
        return ProcessEvent.create();
    }

    /** A shared {@code long}, as Python's {@code ctx.Value('q', v)}. */
    public SharedLong sharedLong(long initialValue) {
        return SharedLong.create(initialValue);
    }

    /** A shared {@code int}, as Python's {@code ctx.Value('i', v)}. */
    public SharedInt sharedInt(int initialValue) {
        return SharedInt.create(initialValue);
    }

    /** A shared {@code double}, as Python's {@code ctx.Value('d', v)}. */
    public SharedDouble sharedDouble(double initialValue) {
        return SharedDouble.create(initialValue);
    }

    /**
     * A shared array of {@code length} {@code long}s, as Python's {@code ctx.Array('q', n)}.
     *
     * @throws IllegalArgumentException if {@code length} is negative
     */
    public SharedLongArray sharedLongArray(int length) {
        return SharedLongArray.create(length);
    }

    /** A shared array of {@code int}s, as Python's {@code ctx.Array('i', n)}. */
    public SharedIntArray sharedIntArray(int length) {
        return SharedIntArray.create(length);
    }

    /** A shared array of {@code double}s, as Python's {@code ctx.Array('d', n)}. */
    public SharedDoubleArray sharedDoubleArray(int length) {
        return SharedDoubleArray.create(length);
    }

    /** A shared array of {@code byte}s, as Python's {@code ctx.Array('b', n)}. */
    public SharedByteArray sharedByteArray(int length) {
        return SharedByteArray.create(length);
    }

    /** {@code ProcessContext[forkserver]}. */
    @Override
    public String toString() {
        return "ProcessContext[" + startMethod + "]";
    }
}
