package org.multiprocessing4j;

import java.util.List;
import java.util.concurrent.ConcurrentMap;

/**
 * A factory for processes, pools, queues, pipes, locks, conditions, semaphores, events,
 * barriers and shared values, bound to one {@link StartMethod}: the counterpart of Python's
 * {@code multiprocessing.get_context(method)}. The start method decides how the processes and
 * pool workers it makes get their JVMs; the other objects are the same whichever context made
 * them. Get one from {@link Multiprocessing#getContext(StartMethod)}: its processes are this
 * JVM's children and its objects live in this machine's shared memory. The cluster module's
 * {@code Cluster.context()} is another implementation, whose processes run on other machines,
 * so that code written against this interface runs unchanged on one machine or many.
 * Implementations are immutable and thread-safe.
 */
public interface ProcessContext {
    /**
     * The start method of everything this context makes.
     *
     * @return the start method
     */
    StartMethod getStartMethod();

    /**
     * A process that runs {@code target} and starts with this context's start method; as
     * {@link JvmProcess#JvmProcess(SerializableRunnable)} otherwise.
     *
     * @param target what the child runs
     * @return a new process, not yet started
     * @throws NullPointerException if {@code target} is null
     */
    default JvmProcess process(SerializableRunnable target) {
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
    default JvmProcess process(String name, SerializableRunnable target) {
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
    <P extends JvmProcess> P bind(P process);

    /**
     * An unbounded queue for processes of this family, as Python's {@code ctx.Queue()}; see
     * {@link ProcessQueue}. Queues work the same under every start method.
     *
     * @param <E> the type of the items
     * @return a new queue
     * @throws java.io.UncheckedIOException if its shared memory cannot be made
     */
    <E> ProcessQueue<E> queue();

    /**
     * A queue that holds at most {@code maxsize} items, as Python's {@code ctx.Queue(maxsize)}.
     *
     * @param maxsize the most items it holds; 0 means no bound but its buffer
     * @param <E> the type of the items
     * @return a new queue
     * @throws IllegalArgumentException if {@code maxsize} is negative
     * @throws java.io.UncheckedIOException if its shared memory cannot be made
     */
    <E> ProcessQueue<E> queue(int maxsize);

    /**
     * An unbounded joinable queue, as Python's {@code ctx.JoinableQueue()}; see
     * {@link JoinableProcessQueue}.
     *
     * @param <E> the type of the items
     * @return a new queue
     * @throws java.io.UncheckedIOException if its shared memory cannot be made
     */
    <E> JoinableProcessQueue<E> joinableQueue();

    /**
     * A joinable queue that holds at most {@code maxsize} items.
     *
     * @param maxsize the most items it holds; 0 means no bound but its buffer
     * @param <E> the type of the items
     * @return a new queue
     * @throws IllegalArgumentException if {@code maxsize} is negative
     * @throws java.io.UncheckedIOException if its shared memory cannot be made
     */
    <E> JoinableProcessQueue<E> joinableQueue(int maxsize);

    /**
     * A pipe, as Python's {@code ctx.Pipe(duplex)}; see {@link ProcessPipe#open(boolean)}.
     *
     * @param duplex true for a two-way pipe; false for one whose first end only receives and
     *        whose second end only sends
     * @return a new pipe; this process holds both ends
     * @throws java.io.UncheckedIOException if its shared memory cannot be made
     */
    ProcessPipe pipe(boolean duplex);

    /**
     * A duplex pipe, as Python's {@code ctx.Pipe()}.
     *
     * @return a new pipe; this process holds both ends
     * @throws java.io.UncheckedIOException if its shared memory cannot be made
     */
    ProcessPipe pipe();

    /**
     * A pool of {@code processes} workers started with this context's start method, as Python's
     * {@code ctx.Pool(processes)}; see {@link ProcessPool}.
     *
     * @param processes the number of workers
     * @return a running pool; its workers may still be booting
     * @throws IllegalArgumentException if {@code processes} is less than 1
     * @throws ProcessStartException if a worker JVM could not be started
     */
    ProcessPool pool(int processes);

    /**
     * Options for a pool started with this context's start method: the number of workers, an
     * initializer, tasks per worker, worker JVM options, a per-task time limit.
     *
     * @return a new builder
     */
    ProcessPool.Builder poolBuilder();

    /**
     * Starts a manager whose server process starts with this context's start method, as
     * Python's {@code ctx.Manager()}; see {@link ProcessManager}.
     *
     * @return a running manager
     * @throws ProcessStartException if the server process cannot be started
     */
    ProcessManager manager();

    /**
     * A builder for a manager with custom types ({@link ProcessManager.Builder#register}),
     * whose server process starts with this context's start method.
     *
     * @return a new builder
     */
    ProcessManager.Builder managerBuilder();

    /** A lock shared by processes, as Python's {@code ctx.Lock()}; see {@link ProcessLock}. */
    ProcessLock lock();

    /** A reentrant lock shared by processes, as Python's {@code ctx.RLock()}. */
    ProcessReentrantLock reentrantLock();

    /** A condition with its own reentrant lock, as Python's {@code ctx.Condition()}. */
    ProcessCondition condition();

    /**
     * A semaphore, as Python's {@code ctx.Semaphore(permits)}.
     *
     * @throws IllegalArgumentException if {@code permits} is negative
     */
    ProcessSemaphore semaphore(int permits);

    /**
     * A bounded semaphore, as Python's {@code ctx.BoundedSemaphore(permits)}.
     *
     * @throws IllegalArgumentException if {@code permits} is negative
     */
    ProcessSemaphore boundedSemaphore(int permits);

    /**
     * A barrier for {@code parties}, as Python's {@code ctx.Barrier(parties)}.
     *
     * @throws IllegalArgumentException if {@code parties} is less than 1
     */
    ProcessBarrier barrier(int parties);

    /**
     * A barrier for {@code parties} whose {@code action} runs once per round, as Python's
     * {@code ctx.Barrier(parties, action)} and {@code new CyclicBarrier(parties, action)}: the
     * thread that arrives last runs it, after every party has arrived and before any is released;
     * if it throws, the barrier breaks (the others get a {@code BrokenBarrierException}) and that
     * thread's {@code await} throws what it threw. See {@link ProcessBarrier} for where the action
     * runs, its copies in other processes, and what the others do while it runs. Any thread may
     * call this; it waits for nothing but the making of the barrier (on a cluster, its state in
     * the cluster).
     *
     * <p>The default implementation makes {@link #barrier(int) barrier(parties)} and gives it the
     * action: every context's barrier store runs an action ({@code BarrierStore.await}).
     *
     * @param parties the number of parties
     * @param action what the last party of each round runs; null for none, as in {@code CyclicBarrier}
     * @return a new barrier
     * @throws IllegalArgumentException if {@code parties} is less than 1
     * @throws ProcessSerializationException (an {@code IllegalArgumentException}) if {@code action}
     *         cannot be serialized, naming the class that cannot and where it was found; nothing
     *         is made then
     */
    default ProcessBarrier barrier(int parties, SerializableRunnable action) {
        if (action != null) {
            ProcessBarrier.checkAction(action); // before anything is made
        }
        return ProcessBarrier.withAction(barrier(parties), action);
    }

    /** An event, as Python's {@code ctx.Event()}. */
    ProcessEvent event();

    /** A shared {@code long}, as Python's {@code ctx.Value('q', v)}. */
    SharedLong sharedLong(long initialValue);

    /** A shared {@code int}, as Python's {@code ctx.Value('i', v)}. */
    SharedInt sharedInt(int initialValue);

    /** A shared {@code double}, as Python's {@code ctx.Value('d', v)}. */
    SharedDouble sharedDouble(double initialValue);

    /**
     * A shared array of {@code length} {@code long}s, as Python's {@code ctx.Array('q', n)}.
     *
     * @throws IllegalArgumentException if {@code length} is negative
     */
    SharedLongArray sharedLongArray(int length);

    /** A shared array of {@code int}s, as Python's {@code ctx.Array('i', n)}. */
    SharedIntArray sharedIntArray(int length);

    /** A shared array of {@code double}s, as Python's {@code ctx.Array('d', n)}. */
    SharedDoubleArray sharedDoubleArray(int length);

    /** A shared array of {@code byte}s, as Python's {@code ctx.Array('b', n)}. */
    SharedByteArray sharedByteArray(int length);

    /**
     * A map whose every method runs atomically where the map lives, as Python's
     * {@code Manager().dict()}: {@code compute}, {@code merge} and {@code putIfAbsent} included.
     * Keys and values travel as copies, so they must be serializable. Pass it to processes and
     * pool tasks by capturing it. On one machine it lives in this context's manager process
     * (started by the first call, see {@link #manager()}, and ended with this JVM); on a cluster,
     * in the cluster, private to this program and destroyed when it ends. The function given to
     * {@code compute}, {@code merge} and their kin runs in the manager on one machine (so it must
     * be serializable: a {@link SerializableBiFunction}) and in the caller on a cluster (where the
     * call is a compare-and-set loop, so the function may run more than once); a serializable
     * function works on both.
     *
     * @throws ProcessStartException if the manager process could not be started
     */
    <K, V> ConcurrentMap<K, V> dict();

    /**
     * A list whose every method runs atomically where the list lives, as Python's
     * {@code Manager().list()}; where it lives as for {@link #dict()}.
     *
     * @throws ProcessStartException if the manager process could not be started
     */
    <E> List<E> list();

    /**
     * The queue called {@code name}, made by the first program that asks for it: separate
     * programs that use the same name reach the same queue (the cluster's answer to Python's
     * remote managers). A named object lives until {@link #destroy(String)}; an unnamed one is
     * private to the program that made it.
     *
     * @throws UnsupportedOperationException on a context that has no place shared by separate
     *         programs (one machine's: use {@link ProcessManager#serve} there)
     * @throws IllegalArgumentException if {@code name} is empty, or names an object of another kind
     */
    default <E> ProcessQueue<E> queue(String name) {
        throw notShared("queue(name)");
    }

    /** The joinable queue called {@code name}; see {@link #queue(String)}. */
    default <E> JoinableProcessQueue<E> joinableQueue(String name) {
        throw notShared("joinableQueue(name)");
    }

    /** The lock called {@code name}; see {@link #queue(String)}. */
    default ProcessLock lock(String name) {
        throw notShared("lock(name)");
    }

    /** The reentrant lock called {@code name}; see {@link #queue(String)}. */
    default ProcessReentrantLock reentrantLock(String name) {
        throw notShared("reentrantLock(name)");
    }

    /**
     * The semaphore called {@code name}, made with {@code permits} by the first program that asks
     * for it (later programs get it as it is); see {@link #queue(String)}.
     */
    default ProcessSemaphore semaphore(String name, int permits) {
        throw notShared("semaphore(name, permits)");
    }

    /** The event called {@code name}; see {@link #queue(String)}. */
    default ProcessEvent event(String name) {
        throw notShared("event(name)");
    }

    /**
     * The barrier called {@code name}, for {@code parties}; see {@link #queue(String)}.
     *
     * @throws IllegalArgumentException also if it exists with another number of parties
     */
    default ProcessBarrier barrier(String name, int parties) {
        throw notShared("barrier(name, parties)");
    }

    /**
     * The shared long called {@code name}, set to {@code initialValue} by the first program that
     * asks for it (later programs get its current value); see {@link #queue(String)}.
     */
    default SharedLong sharedLong(String name, long initialValue) {
        throw notShared("sharedLong(name, initialValue)");
    }

    /** The map called {@code name}; see {@link #queue(String)} and {@link #dict()}. */
    default <K, V> ConcurrentMap<K, V> dict(String name) {
        throw notShared("dict(name)");
    }

    /** The list called {@code name}; see {@link #queue(String)} and {@link #list()}. */
    default <E> List<E> list(String name) {
        throw notShared("list(name)");
    }

    /**
     * Destroys the named object {@code name} (of any kind) for every program that uses it; a
     * program that uses it afterwards gets a new, empty one. Does nothing if there is none.
     *
     * @throws UnsupportedOperationException on a context without named objects
     */
    default void destroy(String name) {
        throw notShared("destroy(name)");
    }

    private static UnsupportedOperationException notShared(String what) {
        return new UnsupportedOperationException("ctx." + what + ": named objects are shared by separate programs"
                + " through a cluster context (Cluster.connect(...).context()); on one machine, serve a manager"
                + " (ProcessManager.serve) and connect to it by address");
    }
}
