package org.multiprocessing4j.internal.pool;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.multiprocessing4j.BrokenPoolException;
import org.multiprocessing4j.JvmProcess;
import org.multiprocessing4j.ProcessContext;
import org.multiprocessing4j.ProcessQueue;
import org.multiprocessing4j.SerializableRunnable;
import org.multiprocessing4j.StartMethod;
import org.multiprocessing4j.internal.access.SharedSecrets;
import org.multiprocessing4j.internal.codec.Codec;
import org.multiprocessing4j.internal.codec.ItemCodec;
import org.multiprocessing4j.internal.jfr.Jfr;
import org.multiprocessing4j.internal.jfr.JfrEvents;
import org.multiprocessing4j.internal.log.LibraryLog;

/**
 * The parent side of a {@code ProcessPool}: worker processes, each with an inbox of its own, one
 * result queue shared by all of them, and a few threads.
 *
 * <ul>
 * <li><b>Dispatching</b> gives tasks to workers: to the least busy one that has room in its
 *     window (tasks sent and not yet answered; {@link DispatchWindow}). A submitting thread
 *     sends what it can at once; the dispatcher thread does the rest. Tasks come from jobs
 *     ({@link Job}), which make them lazily, outside the engine's lock, so an {@code imap} reads
 *     its input only as workers can take it and a slow input does not stall the pool's
 *     bookkeeping.
 * <li>The <b>collector</b> reads the result queue: results (in the order each worker ran its
 *     tasks), ready and start notices, and the death notices that each worker's watcher puts on
 *     the same queue when its JVM ends. A worker's results were put before it died, so its
 *     death notice comes after them. A thread waiting in {@code get()} may read the queue in its
 *     place ({@link #collectWhileWaiting}): one reader at a time, so the order holds, and death
 *     notices it reads are left to the collector.
 * <li>When a worker dies, the tasks left in its inbox were never taken; of those it took, all
 *     but the last were answered. So the pool knows whether it was running a task, and which:
 *     that one fails with a {@code WorkerDiedException}; the untaken ones go to other workers;
 *     a replacement starts. Each worker's {@link InFlightLedger} keeps its tasks and decides this.
 * <li>Messages are {@link PoolMessage}s; their layouts are in {@link Wire}.
 * <li>The <b>completer</b> completes futures, so that a user's callback never runs on the
 *     collector (which it could block) or under a lock; a thread waiting in {@code get()} is
 *     woken by whichever thread collected its result.
 * <li>The <b>timer</b> (only with a time limit) kills the worker of a task that runs too long.
 * </ul>
 */
public final class PoolEngine implements Engine {
    private static final int INBOX_BYTES = 256 * 1024;
    private static final int RESULT_BYTES = 1 << 20;
    private static final long RESTART_PAUSE_NANOS = 1_000_000_000L;
    /**
     * How many workers may be booting (started, not yet READY) at once while a pool starts:
     * one per two cores. A JVM's boot keeps about a core and a half busy (its main thread, the
     * JIT's, the collector's), so on two cores two boots side by side each took nearly as long
     * as both one after the other, and the pool's first result waited for that: a cold pool(2)
     * gave its first result after 109 ms, a pool(1) after 80 ms. The next worker starts as soon
     * as one says READY. The cost: the pool has all its workers later (a pool of two, about
     * 50 ms later), which a large map started at once pays for in part. Only for SPAWN (a
     * FORKSERVER worker's JVM has booted already), and not for a pool with an initializer, which
     * a worker runs before READY and which may take long. {@code
     * -Dmultiprocessing4j.pool.bootsAtOnce} sets the number.
     */
    private static final int BOOTS_AT_ONCE = Math.max(1,
            Integer.getInteger("multiprocessing4j.pool.bootsAtOnce", Runtime.getRuntime().availableProcessors() / 2));
    private static final AtomicInteger POOLS = new AtomicInteger();

    /** What the engine needs from a builder. */
    public static final class Config {
        public int processes;
        public SerializableRunnable initializer;
        public int maxTasksPerChild;
        public List<String> jvmOptions = List.of();
        public Duration taskTimeout;
        public ProcessContext context;
        /** Loaders whose classes the workers must find: those tasks will come from. */
        public List<ClassLoader> classLoaders = List.of();
    }

    final Config config;
    private final int poolNumber = POOLS.incrementAndGet();
    private final ProcessQueue<byte[]> results = SharedSecrets.getProcessQueueAccess().create(RESULT_BYTES);
    private final Object lock = new Object();
    private final List<Worker> workers = new ArrayList<>(); // guarded by lock: the live ones
    private final Map<Integer, Worker> byId = new HashMap<>(); // guarded by lock
    private final ArrayDeque<Job> jobs = new ArrayDeque<>(); // guarded by lock: jobs that may make tasks
    private final ArrayDeque<Task> retries = new ArrayDeque<>(); // guarded by lock
    private final Set<Job> unfinished = new HashSet<>(); // guarded by lock
    private final List<Job> drained = new ArrayList<>(); // guarded by lock: finished while making tasks
    private final AtomicInteger workerIds = new AtomicInteger();
    private final AtomicLong taskIds = new AtomicLong();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final LinkedBlockingQueue<Runnable> completions = new LinkedBlockingQueue<>();
    private final DispatchWindow window; // guarded by lock
    private volatile PoolState state = PoolState.RUNNING;
    private boolean dirty = true; // guarded by lock: something changed that the dispatcher must look at
    private BrokenPoolException broken; // guarded by lock: the pool cannot work (its initializer failed...)
    private int earlyDeaths; // guarded by lock: workers in a row that died before they were ready
    private long lastStartAttempt; // guarded by lock
    /** Workers of the pool's first set not started yet: each starts when fewer than BOOTS_AT_ONCE boot. */
    private int initialStartsLeft; // guarded by lock

    /** One worker process and what it holds. */
    private final class Worker {
        final int id;
        final JvmProcess process;
        final ProcessQueue<byte[]> inbox;
        final InFlightLedger inFlight = new InFlightLedger(); // guarded by lock
        final Set<Integer> defined = new HashSet<>();
        final ReentrantLock sending = new ReentrantLock();
        long itemsSent;
        long timedOutTask = Long.MIN_VALUE;
        boolean alive = true;
        boolean ready;
        boolean stopSent;

        Worker(int id, JvmProcess process, ProcessQueue<byte[]> inbox) {
            this.id = id;
            this.process = process;
            this.inbox = inbox;
        }

        boolean hasRoom() {
            return alive && !stopSent && !sending.isLocked() && window.hasRoom(inFlight.size(), itemsSent);
        }
    }

    /**
     * Starts the workers and the pool's threads.
     *
     * @throws RuntimeException from starting a worker; the workers already started are ended
     */
    public PoolEngine(Config config) {
        this.config = config;
        this.window = new DispatchWindow(config.maxTasksPerChild, INBOX_BYTES);
        try {
            synchronized (lock) {
                // Only cold boots are staggered (a FORKSERVER worker's JVM is booted already), and
                // not with an initializer: READY comes after it, which may take long.
                boolean stagger = config.initializer == null && config.context.getStartMethod() == StartMethod.SPAWN;
                int first = stagger ? Math.min(config.processes, BOOTS_AT_ONCE) : config.processes;
                for (int i = 0; i < first; i++) {
                    startWorker();
                }
                initialStartsLeft = config.processes - workers.size();
            }
        } catch (RuntimeException | Error e) {
            List<Worker> started;
            synchronized (lock) {
                state = PoolState.TERMINATED;
                started = new ArrayList<>(workers);
            }
            for (Worker w : started) {
                w.process.kill();
            }
            terminated.countDown();
            throw e;
        }
        String prefix = "multiprocessing4j-pool-" + poolNumber + "-";
        daemon(prefix + "dispatcher", this::dispatchLoop);
        daemon(prefix + "collector", this::collectLoop);
        daemon(prefix + "completer", this::completeLoop);
        if (config.taskTimeout != null) {
            daemon(prefix + "timer", this::timerLoop);
        }
    }

    /** Starts {@code body} on a daemon thread named {@code name}: the engines' own threads. */
    static void daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
    }

    /** How many live workers have not said READY yet; called under the lock. */
    private int booting() {
        int n = 0;
        for (Worker w : workers) {
            n += w.alive && !w.ready ? 1 : 0;
        }
        return n;
    }

    /** Starts one worker; called under the lock. */
    private void startWorker() {
        lastStartAttempt = System.nanoTime();
        int id = workerIds.incrementAndGet();
        ProcessQueue<byte[]> inbox = SharedSecrets.getProcessQueueAccess().create(INBOX_BYTES);
        PoolWorker target = new PoolWorker(id, inbox, results, config.initializer, config.taskTimeout != null,
                config.maxTasksPerChild);
        JvmProcess p = config.context.process("PoolWorker-" + poolNumber + "." + id, target);
        p.setDaemon(true);
        SharedSecrets.getJvmProcessAccess().findClassesOf(p, config.classLoaders);
        if (!config.jvmOptions.isEmpty()) {
            p.setJvmOptions(config.jvmOptions);
        }
        p.start();
        Worker w = new Worker(id, p, inbox);
        workers.add(w);
        byId.put(id, w);
        // The watcher's death notice goes on the result queue, after everything the worker put.
        Thread watcher = new Thread(() -> {
            while (true) {
                try {
                    p.join();
                    break;
                } catch (InterruptedException e) {
                    // Nobody interrupts it on purpose: a death notice must not be lost.
                }
            }
            int code = p.exitCode().orElse(-9);
            try {
                results.put(new PoolMessage.Died(id, code).toBytes());
            } catch (InterruptedException | IllegalStateException e) {
                // The pool is gone.
            }
        }, "multiprocessing4j-pool-" + poolNumber + "-watch-" + id);
        watcher.setDaemon(true);
        watcher.start();
    }

    /** Starts a missing worker (a replacement that failed to start earlier), at most once a second. */
    private void topUp() {
        while (initialStartsLeft > 0 && broken == null && !state.isEnding() && workers.size() < config.processes
                && booting() < BOOTS_AT_ONCE) {
            initialStartsLeft--;
            try {
                startWorker();
            } catch (RuntimeException e) {
                LibraryLog.debug("pool " + poolNumber + " could not start a worker: " + e);
                return; // the once-a-second retry below takes over
            }
        }
        if (broken == null && state.needsWorkers(!unfinished.isEmpty()) && workers.size() < config.processes
                && System.nanoTime() - lastStartAttempt > RESTART_PAUSE_NANOS) {
            try {
                startWorker();
            } catch (RuntimeException e) {
                LibraryLog.debug("pool " + poolNumber + " could not start a worker: " + e);
            }
        }
    }

    /**
     * Adds a job and sends what it has for idle workers at once.
     *
     * @throws BrokenPoolException if the pool is broken (its initializer failed...), before it
     *         counts as terminated: as Python's executor, the break is what the caller needs to know
     * @throws RejectedExecutionException if the pool is shut down or terminated
     */
    @Override
    public void submit(Job job) {
        synchronized (lock) {
            if (broken != null) {
                throw SharedSecrets.getPoolAccess().brokenAgain(broken, "the pool takes no new tasks");
            }
            if (!state.isRunning()) {
                throw new RejectedExecutionException("the pool is "
                        + (state == PoolState.CLOSED ? "shut down" : "terminated") + ": it takes no new tasks");
            }
            jobs.add(job);
            unfinished.add(job);
        }
        // One hand-off less than through the dispatcher; it does the rest (a map's later chunks).
        while (dispatchOne() == Progress.SENT_TO_IDLE) {
            // An idle worker took a task: give the next idle one a task too.
        }
        synchronized (lock) {
            signalIfNeeded();
        }
    }

    /** Wakes the dispatcher: a job may make tasks again (an iterator consumed results). */
    @Override
    public void poke() {
        synchronized (lock) {
            signal();
        }
    }

    /** Runs {@code completion} on the pool's completer thread: where futures are completed. */
    @Override
    public Executor completer() {
        return completions::add;
    }

    @Override
    public PoolState state() {
        return state;
    }

    /** The pids of the live workers. */
    @Override
    public List<Long> workerPids() {
        synchronized (lock) {
            List<Long> pids = new ArrayList<>();
            for (Worker w : workers) {
                if (w.alive) {
                    pids.add(w.process.pid());
                }
            }
            return pids;
        }
    }

    // ---- dispatching -------------------------------------------------------------------------

    private enum Progress { NOTHING, SENT, SENT_TO_IDLE, LOOK_AGAIN }

    private void dispatchLoop() {
        try {
            while (true) {
                synchronized (lock) {
                    while (!dirty && !state.isEnding()) {
                        lock.wait();
                    }
                    if (state.isEnding()) {
                        return;
                    }
                    dirty = false;
                }
                while (dispatchOne() != Progress.NOTHING) {
                    // Keep the workers' windows full.
                }
                List<Job> finished = null;
                List<Worker> toStop = null;
                synchronized (lock) {
                    if (!drained.isEmpty()) {
                        finished = new ArrayList<>(drained);
                        drained.clear();
                    }
                    if (state == PoolState.CLOSED && unfinished.isEmpty()) {
                        toStop = new ArrayList<>();
                        for (Worker x : workers) {
                            if (x.alive && !x.stopSent) {
                                x.stopSent = true;
                                toStop.add(x);
                            }
                        }
                    }
                }
                if (finished != null) {
                    for (Job j : finished) {
                        finishIfDone(j);
                    }
                }
                if (toStop != null) {
                    byte[] stop = new PoolMessage.Stop().toBytes();
                    for (Worker x : toStop) {
                        x.sending.lock();
                        try {
                            send(x, stop);
                        } finally {
                            x.sending.unlock();
                        }
                    }
                }
            }
        } catch (InterruptedException e) {
            // The pool is being terminated.
        } catch (RuntimeException | Error e) {
            LibraryLog.debug("pool " + poolNumber + " dispatcher failed: " + e);
            breakPool(broken("its dispatcher failed: " + e, e));
        }
    }

    /**
     * Gives one task to the least busy worker that has room, and sends it. A worker's tasks go
     * into its in-flight list and its inbox under its send lock, so both have the same order;
     * a task is made (the user's input read) while only that lock is held.
     */
    private Progress dispatchOne() {
        Worker w;
        Task t;
        Job job = null;
        synchronized (lock) {
            if (state.isEnding()) {
                return Progress.NOTHING;
            }
            topUp();
            w = leastBusyWithRoom();
            if (w == null) {
                return Progress.NOTHING;
            }
            t = retries.peekFirst();
            if (t != null) {
                if (!window.mayGo(t.message.length, w.inFlight.isEmpty())) {
                    return Progress.NOTHING; // it waits for an idle worker
                }
                retries.pollFirst();
            } else {
                job = jobs.pollFirst();
                if (job == null) {
                    return Progress.NOTHING;
                }
                jobs.addLast(job); // round robin between jobs
            }
            if (!w.sending.tryLock()) {
                if (t != null) {
                    retries.addFirst(t);
                }
                return Progress.NOTHING;
            }
        }
        try {
            if (t == null) {
                t = job.next(taskIds, state.isRunning());
                if (t == null) {
                    synchronized (lock) {
                        if (!job.mayHaveMore()) {
                            boolean present = jobs.remove(job);
                            if (present && job.isFinished()) {
                                drained.add(job); // its input ended with nothing in flight
                            }
                            return Progress.LOOK_AGAIN;
                        }
                        return Progress.NOTHING; // throttled: an imap far ahead of its reader
                    }
                }
            }
            byte[] define = null;
            boolean idle;
            synchronized (lock) {
                if (state.isEnding()) {
                    return Progress.NOTHING;
                }
                if (!w.alive || !window.mayGo(t.message.length, w.inFlight.isEmpty())) {
                    retries.addFirst(t);
                    signal();
                    return Progress.LOOK_AGAIN;
                }
                idle = w.inFlight.isEmpty();
                w.inFlight.sent(t);
                w.itemsSent += t.count;
                t.sentNanos = System.nanoTime();
                if (t.job.function != null && w.defined.add(t.job.functionId)) {
                    t.job.definedIn.add(w.id);
                    define = new PoolMessage.Define(t.job.functionId, t.job.function).toBytes();
                }
            }
            if (define != null) {
                send(w, define);
            }
            send(w, t.message);
            return idle ? Progress.SENT_TO_IDLE : Progress.SENT;
        } finally {
            w.sending.unlock();
        }
    }

    /** Sets the dispatcher going; called holding the lock. */
    private void signal() {
        dirty = true;
        lock.notifyAll();
    }

    /**
     * Sets the dispatcher going if it has something to do: tasks to send, finished jobs to
     * settle, or workers to stop after {@code shutdown()}. Called holding the lock, where a
     * task was sent or answered: waking the dispatcher for nothing there cost each one-task
     * round trip the wake-up of a thread on the parent's cores.
     */
    private void signalIfNeeded() {
        if (!jobs.isEmpty() || !retries.isEmpty() || !drained.isEmpty() || state == PoolState.CLOSED) {
            signal();
        }
    }

    /**
     * {@link #signalIfNeeded} after a task was answered: new tasks wait until some worker (the
     * one that answered, or another) is down to half its window, so that the dispatcher, woken
     * once, sends half a window in a row instead of one task per wake-up (a thread's wake-up
     * costs more than a task of a chunksize-1 {@code map}). Anything else that waits for the
     * dispatcher (a retried task, a finished job, stopping the workers) still wakes it.
     */
    private void signalIfRefillDue() {
        if (!retries.isEmpty() || !drained.isEmpty() || state == PoolState.CLOSED) {
            signal();
            return;
        }
        if (!jobs.isEmpty()) {
            int half = window.size() / 2;
            for (Worker x : workers) {
                if (x.alive && !x.stopSent && x.inFlight.size() <= half) {
                    signal();
                    return;
                }
            }
        }
    }

    /**
     * Puts a message in a worker's inbox, giving up if the worker dies meanwhile (its tasks are
     * dealt with by the death notice). Not interruptible: a task recorded as sent must be sent;
     * an interrupt is kept.
     */
    private void send(Worker w, byte[] message) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    if (w.inbox.offer(message, 50, TimeUnit.MILLISECONDS)) {
                        return;
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (IllegalStateException closed) {
                    return; // the worker died and its inbox was closed
                }
                synchronized (lock) {
                    if (!w.alive || state.isEnding()) {
                        return;
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The worker with room that holds the fewest tasks, among those that have said READY; none
     * while no worker has. A task given to a worker still booting waits for that worker even
     * when another becomes ready first: two JVMs booting side by side on two cores are often
     * milliseconds apart, and a pool's first task went to whichever came first in the list.
     */
    private Worker leastBusyWithRoom() {
        Worker best = null;
        for (Worker w : workers) {
            if (w.ready && w.hasRoom() && (best == null || w.inFlight.size() < best.inFlight.size())) {
                best = w;
            }
        }
        return best;
    }

    // ---- collecting --------------------------------------------------------------------------

    private void collectLoop() {
        try {
            while (true) {
                PoolMessage.Died d = deferredDeaths.poll();
                if (d != null) {
                    if (died(d.worker(), d.exitCode())) {
                        return;
                    }
                    continue;
                }
                if (!mayCollect()) {
                    continue;
                }
                byte[] m;
                try {
                    m = results.take();
                } catch (InterruptedException | IllegalStateException e) {
                    return;
                }
                if (handle(m, false)) {
                    return;
                }
            }
        } finally {
            synchronized (readers) {
                collectorEnded = true;
                readers.notifyAll();
            }
        }
    }

    /**
     * Handles one message from the result queue, on the collector or on a caller that collects
     * while it waits ({@code byCaller}); true when the collector should end (the pool is terminated).
     */
    private boolean handle(byte[] m, boolean byCaller) {
        try {
            PoolMessage message = PoolMessage.read(m);
            if (message instanceof PoolMessage.Done done) {
                done(done);
            } else if (message instanceof PoolMessage.Ready ready) {
                ready(ready.worker());
            } else if (message instanceof PoolMessage.Started started) {
                started(started.worker(), started.taskId());
            } else if (message instanceof PoolMessage.Died died) {
                if (byCaller) {
                    // A death takes a while to settle (its inbox read, a replacement started):
                    // not on the thread of a caller that only waits for its result. Every
                    // message of that worker came before its death notice and is handled.
                    deferredDeaths.add(died);
                    synchronized (readers) {
                        readers.notifyAll();
                    }
                    return false;
                }
                return died(died.worker(), died.exitCode());
            } else if (!(message instanceof PoolMessage.Aside)) {
                throw new IllegalArgumentException("a pool's result queue got a message for a worker: " + message);
            }
        } catch (RuntimeException | Error e) {
            // One bad message must not stop the collector: the pool could never end then.
            LibraryLog.debug("pool " + poolNumber + (byCaller ? " caller" : " collector") + ": " + e);
        }
        return false;
    }

    // ---- a caller that collects while it waits ----------------------------------------------
    //
    // A round trip through the collector thread costs the wake-up of a parked thread (tens of
    // microseconds on two cores) on top of the worker's; a caller waiting in get() that reads
    // the result queue itself gets its result straight from the worker. One thread reads the
    // queue at a time, so messages are still handled in order: the collector steps aside (an
    // ASIDE message put by the caller tells it) and waits while a caller reads, and for a
    // moment after, as the next call of a caller in a loop comes at once. It takes over again
    // when the caller leaves work behind that nobody waits for, or that moment has passed.

    /**
     * Whether callers collect while they wait; {@code -Dmultiprocessing4j.pool.callerCollects=false}
     * leaves it all to the collector, to measure the difference.
     */
    private static final boolean CALLERS_COLLECT =
            !"false".equals(System.getProperty("multiprocessing4j.pool.callerCollects"));
    /** How long the collector stays aside after a caller stopped collecting, unless work is left. */
    private static final long ASIDE_GRACE_NANOS = 1_000_000;
    /** How often an aside collector looks again while a caller collects (it is also woken). */
    private static final long ASIDE_CHECK_NANOS = 10_000_000;
    /** The longest a collecting caller waits on the queue before it looks at its own future again. */
    private static final long CALLER_SLICE_NANOS = 20_000_000;

    private final Object readers = new Object();
    private final ConcurrentLinkedQueue<PoolMessage.Died> deferredDeaths = new ConcurrentLinkedQueue<>();
    private Thread callerReading;     // guarded by readers: the caller that collects now, if any
    private boolean collectorAside;   // guarded by readers: the collector does not read the queue
    private boolean collectorWanted;  // guarded by readers: a caller left work that nobody waits for
    private boolean collectorEnded;   // guarded by readers
    private long callerLeftNanos = System.nanoTime() - ASIDE_GRACE_NANOS; // guarded by readers

    /**
     * For the collector, before it reads the queue: waits while a caller collects (or has just
     * stopped); false if it should look at the deferred deaths first.
     */
    private boolean mayCollect() {
        synchronized (readers) {
            while (deferredDeaths.isEmpty()) {
                long graceLeft = collectorWanted ? 0 : ASIDE_GRACE_NANOS - (System.nanoTime() - callerLeftNanos);
                if (callerReading == null && graceLeft <= 0) {
                    collectorAside = false;
                    collectorWanted = false;
                    return true;
                }
                if (!collectorAside) {
                    collectorAside = true;
                    readers.notifyAll(); // the caller waits for this before it reads
                }
                long waitNanos = callerReading != null ? ASIDE_CHECK_NANOS : graceLeft;
                try {
                    readers.wait(Math.max(1, waitNanos / 1_000_000), (int) (waitNanos % 1_000_000));
                } catch (InterruptedException e) {
                    // Nobody interrupts the collector on purpose; it keeps collecting.
                }
            }
            return false;
        }
    }

    @Override
    public Waited collectWhileWaiting(BooleanSupplier done, long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        Thread me = Thread.currentThread();
        boolean nudge;
        synchronized (readers) {
            if (!CALLERS_COLLECT || callerReading != null || collectorEnded || state.isEnding()) {
                return Waited.NOT_NOW;
            }
            callerReading = me;
            nudge = !collectorAside;
        }
        try {
            if (nudge) {
                try {
                    results.put(new PoolMessage.Aside().toBytes());
                } catch (IllegalStateException closed) {
                    return Waited.NOT_NOW;
                }
            }
            synchronized (readers) {
                while (!collectorAside && !collectorEnded) {
                    if (done.getAsBoolean()) {
                        return Waited.DONE;
                    }
                    long left = nanos < 0 ? ASIDE_CHECK_NANOS : deadline - System.nanoTime();
                    if (left <= 0) {
                        return Waited.TIMED_OUT;
                    }
                    left = Math.min(left, ASIDE_CHECK_NANOS);
                    readers.wait(Math.max(1, left / 1_000_000), (int) (left % 1_000_000));
                }
                if (collectorEnded) {
                    return done.getAsBoolean() ? Waited.DONE : Waited.NOT_NOW;
                }
            }
            while (!done.getAsBoolean()) {
                if (state.isEnding()) {
                    return Waited.NOT_NOW; // the pool completes every future as it ends
                }
                long slice = CALLER_SLICE_NANOS;
                if (nanos >= 0) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return Waited.TIMED_OUT;
                    }
                    slice = Math.min(slice, left);
                }
                byte[] m;
                try {
                    m = results.poll(slice, TimeUnit.NANOSECONDS);
                } catch (IllegalStateException closed) {
                    return Waited.NOT_NOW;
                }
                if (m != null) {
                    handle(m, true);
                }
            }
            return Waited.DONE;
        } finally {
            boolean workLeft;
            synchronized (lock) {
                workLeft = !unfinished.isEmpty();
            }
            synchronized (readers) {
                callerReading = null;
                callerLeftNanos = System.nanoTime();
                if (workLeft || !results.isEmpty() || !deferredDeaths.isEmpty()) {
                    collectorWanted = true;
                    readers.notifyAll();
                }
            }
        }
    }

    private void ready(int workerId) {
        synchronized (lock) {
            Worker w = byId.get(workerId);
            if (w != null) {
                w.ready = true;
                earlyDeaths = 0;
                if (initialStartsLeft > 0) {
                    signal(); // the dispatcher starts the next worker (topUp)
                } else {
                    signalIfNeeded(); // tasks may be waiting for a ready worker
                }
            }
        }
    }

    private void done(PoolMessage.Done done) {
        int workerId = done.worker();
        long taskId = done.taskId();
        PoolMessage.Fields outcomes = done.outcomes();
        int count = outcomes.size();
        if (taskId == Wire.INITIALIZER_TASK) {
            Throwable cause = decodeThrowable(outcomes, 0);
            breakPool(broken("its initializer failed in a worker: " + cause, cause));
            return;
        }
        Task t = null;
        Worker from;
        synchronized (lock) {
            Worker w = byId.get(workerId);
            from = w;
            if (w != null) {
                t = w.inFlight.answered(taskId);
                if (t != null) {
                    window.answered(System.nanoTime() - (t.startedNanos != 0 ? t.startedNanos : t.sentNanos), t.count);
                }
            }
            if (t == null) {
                signalIfNeeded();
            } else {
                signalIfRefillDue();
            }
        }
        if (t == null) {
            return; // its worker was already declared dead and the task failed or retried
        }
        if (Jfr.on()) {
            recordTask(t, outcomes, from.process.pid());
        }
        deliver(t, outcomes);
        finishIfDone(t.job);
    }

    private static void recordTask(Task t, PoolMessage.Fields outcomes, long workerPid) {
        long now = System.nanoTime();
        int failed = 0;
        for (int k = 0; k < outcomes.size(); k++) {
            failed += outcomes.status(k) == Wire.OK ? 0 : 1;
        }
        JfrEvents.poolTask(t.describe(), t.count, failed, workerPid, Math.max(0, t.sentNanos - t.job.submittedNanos),
                now - t.sentNanos);
    }

    /** Hands the outcomes of {@code t}, as a DONE message carried them, to its job. */
    static void deliver(Task t, PoolMessage.Fields outcomes) {
        int count = outcomes.size();
        Object[] values = new Object[count];
        Throwable[] errors = null;
        for (int k = 0; k < count; k++) {
            long index = t.firstIndex + k;
            try {
                if (outcomes.status(k) == Wire.OK) {
                    values[k] = ItemCodec.decodeEmbedded(outcomes.message(), outcomes.at(k), outcomes.length(k));
                    continue;
                }
                if (errors == null) {
                    errors = new Throwable[count];
                }
                errors[k] = decodeThrowable(outcomes, k);
            } catch (RuntimeException | LinkageError e) {
                if (errors == null) {
                    errors = new Throwable[count];
                }
                errors[k] = new IllegalStateException("the result of " + t.job.describe(index, 1)
                        + " could not be decoded here: " + e, e);
            }
        }
        t.job.delivered(t.firstIndex, values, errors);
    }

    private void started(int workerId, long taskId) {
        synchronized (lock) {
            Worker w = byId.get(workerId);
            Task t = w != null ? w.inFlight.find(taskId) : null;
            if (t != null) {
                t.startedNanos = System.nanoTime();
            }
        }
    }

    /** Handles a death notice; true when the collector should end (the pool is terminated). */
    private boolean died(int workerId, int exitCode) {
        Worker w;
        synchronized (lock) {
            w = byId.remove(workerId);
            if (w == null) {
                return false;
            }
            w.alive = false;
            workers.remove(w);
        }
        // What is still in its inbox was never taken (see InFlightLedger).
        List<Object> leftInInbox = drainDeadInbox(w.inbox);
        w.inbox.close();
        Task running;
        boolean timedOut;
        boolean replace;
        boolean hopeless = false;
        synchronized (lock) {
            InFlightLedger.Death death = w.inFlight.settle(leftInInbox);
            running = death.held();
            List<Task> untaken = death.untaken();
            for (int k = untaken.size() - 1; k >= 0; k--) {
                retries.addFirst(untaken.get(k)); // ahead of the older retries, in their order
            }
            for (Job j : unfinished) {
                j.definedIn.remove(w.id);
            }
            timedOut = running != null && w.timedOutTask == running.id;
            if (!w.ready && !state.isEnding()) {
                // It died while booting or in its initializer; several in a row mean it always will.
                earlyDeaths++;
                hopeless = earlyDeaths >= 3 && broken == null;
            }
            replace = !hopeless && broken == null && state.needsWorkers(!unfinished.isEmpty());
            signal();
        }
        if ((running != null || exitCode != 0) && Jfr.on()) {
            // Not a worker that retired (maxTasksPerChild) or stopped with the pool.
            JfrEvents.workerDied(w.process.pid(), exitCode, running != null ? running.describe() : null, timedOut);
        }
        if (running != null) {
            String task = running.describe();
            RuntimeException error = timedOut
                    ? SharedSecrets.getPoolAccess().timedOut(task, limitFor(running), w.process.pid())
                    : SharedSecrets.getPoolAccess().workerDied(task, w.process.pid(), exitCode,
                            w.process.exception().orElse(null));
            for (int k = 0; k < running.count; k++) {
                running.job.failed(running.firstIndex + k, error, true);
            }
            finishIfDone(running.job);
        }
        if (hopeless) {
            breakPool(broken("its workers keep ending before they are ready (the last with exit code " + exitCode
                    + "): check the pool's JVM options and initializer", w.process.exception().orElse(null)));
        }
        BrokenPoolException brokenNow;
        synchronized (lock) {
            // The dispatcher's topUp() may have started the replacement while this thread read
            // the dead worker's inbox: a pool never runs more than its number of workers.
            if (replace && broken == null && state.needsWorkers(!unfinished.isEmpty())
                    && workers.size() < config.processes) {
                try {
                    startWorker();
                } catch (RuntimeException e) {
                    LibraryLog.debug("pool " + poolNumber + " could not replace a worker: " + e);
                    if (workers.isEmpty()) {
                        broken = broken("no worker could be started: " + e.getMessage(), e);
                    }
                }
                signal();
            }
            if (workers.isEmpty() && !state.needsWorkers(!unfinished.isEmpty())) {
                state = PoolState.TERMINATED;
                signal();
                terminated.countDown();
                completions.add(() -> { });
                return true;
            }
            brokenNow = broken; // read under the lock that guards it: breakPool runs outside it
        }
        if (brokenNow != null) {
            breakPool(brokenNow);
        }
        return false;
    }

    /** Empties a dead worker's inbox: the messages it never took, in order (none if it cannot be read). */
    private static List<Object> drainDeadInbox(ProcessQueue<byte[]> inbox) {
        try {
            // The dead worker may hold the inbox's consumer lock: it is taken over, not waited for.
            return SharedSecrets.getProcessQueueAccess().drainAfterDeath(inbox, 2_000_000_000L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LibraryLog.debug("could not read a dead worker's inbox: " + e);
        }
        return List.of();
    }

    private void finishIfDone(Job job) {
        if (!job.isFinished()) {
            return;
        }
        List<Worker> holders = new ArrayList<>();
        synchronized (lock) {
            if (!unfinished.remove(job)) {
                return;
            }
            jobs.remove(job);
            for (int id : job.definedIn) {
                Worker w = byId.get(id);
                if (w != null && w.defined.remove(job.functionId)) {
                    holders.add(w);
                }
            }
            signalIfNeeded();
        }
        if (job.function != null) {
            byte[] forget = new PoolMessage.Forget(job.functionId).toBytes();
            for (Worker w : holders) {
                try {
                    // Best effort: a worker that keeps a function it no longer needs only wastes memory.
                    w.inbox.offer(forget);
                } catch (IllegalStateException gone) {
                    // It died meanwhile.
                }
            }
        }
    }

    /** Outcome {@code k} of a DONE, a Java-serialized throwable. */
    static Throwable decodeThrowable(PoolMessage.Fields outcomes, int k) {
        try {
            return (Throwable) Codec.defaultCodec().decode(outcomes.copy(k));
        } catch (Exception | LinkageError e) {
            return new IllegalStateException("a pool task failed, and its exception could not be decoded here: " + e, e);
        }
    }

    // ---- completing --------------------------------------------------------------------------

    private void completeLoop() {
        while (true) {
            Runnable r;
            try {
                r = completions.poll(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (r == null) {
                if (state == PoolState.TERMINATED && completions.isEmpty()) {
                    return;
                }
                continue;
            }
            try {
                r.run();
            } catch (RuntimeException | Error e) {
                LibraryLog.debug("a callback of a pool future threw: " + e);
            }
        }
    }

    // ---- time limits -------------------------------------------------------------------------

    /** The limit of a task: the pool's limit per item. */
    private Duration limitFor(Task t) {
        return config.taskTimeout.multipliedBy(Math.max(1, t.count));
    }

    private void timerLoop() {
        long limit = config.taskTimeout.toNanos();
        long tick = Math.max(1_000_000, Math.min(limit / 4, 50_000_000));
        try {
            while (state != PoolState.TERMINATED) {
                Thread.sleep(tick / 1_000_000, (int) (tick % 1_000_000));
                List<JvmProcess> overdue = new ArrayList<>();
                long now = System.nanoTime();
                synchronized (lock) {
                    for (Worker w : workers) {
                        Task head = w.inFlight.oldest();
                        // The clock starts when the worker says it started the task, not when it
                        // was sent: a worker still booting or in its initializer is not late.
                        if (w.alive && head != null && head.startedNanos != 0
                                && now - head.startedNanos > limit * Math.max(1, head.count)
                                && w.timedOutTask != head.id) {
                            w.timedOutTask = head.id;
                            overdue.add(w.process);
                        }
                    }
                }
                for (JvmProcess p : overdue) {
                    p.kill();
                }
            }
        } catch (InterruptedException e) {
            // Terminated.
        }
    }

    // ---- ending ------------------------------------------------------------------------------

    /**
     * Python's close(): no new tasks; the workers exit once every task is done. Jobs that an
     * iterator reads slowly are no longer held back, so that they can finish.
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (state.isRunning()) {
                state = PoolState.CLOSED;
                // With work left and no worker alive at this instant (one died and its
                // replacement is not started yet), the pool is not done: the death notice starts
                // the replacement, and the last death notice ends the pool.
                if (workers.isEmpty() && unfinished.isEmpty()) {
                    state = PoolState.TERMINATED;
                    terminated.countDown();
                }
                signal();
            }
        }
    }

    /**
     * Python's terminate(): ends every worker now; every unfinished job is cancelled.
     *
     * @return the jobs that had not finished
     */
    @Override
    public List<Job> terminate() {
        List<Job> cancelled;
        List<Worker> live;
        synchronized (lock) {
            if (state.isEnding()) {
                return List.of();
            }
            state = workers.isEmpty() ? PoolState.TERMINATED : PoolState.TERMINATING;
            cancelled = new ArrayList<>(unfinished);
            unfinished.clear();
            jobs.clear();
            retries.clear();
            live = new ArrayList<>(workers);
            for (Worker w : live) {
                w.inFlight.clear();
            }
            signal();
            if (state == PoolState.TERMINATED) {
                terminated.countDown();
            }
        }
        CancellationException e = new CancellationException("the pool was terminated");
        for (Job j : cancelled) {
            j.cancelled(e);
        }
        for (Worker w : live) {
            w.process.terminate();
        }
        return cancelled;
    }

    /** Why the pool broke, for {@link #breakPool}: "the pool is broken: " and {@code why}. */
    private static BrokenPoolException broken(String why, Throwable cause) {
        return SharedSecrets.getPoolAccess().brokenPool("the pool is broken: " + why, cause);
    }

    /** The pool cannot work: every unfinished job fails with {@code cause}, and the pool is terminated. */
    private void breakPool(BrokenPoolException cause) {
        List<Job> failed;
        synchronized (lock) {
            if (broken != null && broken != cause) {
                return;
            }
            broken = cause;
            failed = new ArrayList<>(unfinished);
            unfinished.clear();
            jobs.clear();
            retries.clear();
        }
        // Terminated before the futures fail, so that whoever sees a failed future also sees a shut-down pool.
        terminate();
        for (Job j : failed) {
            j.failed(-1, cause, false);
        }
    }

    /** Waits for the pool to be terminated: every worker ended. */
    @Override
    public boolean awaitTermination(long nanos) throws InterruptedException {
        return terminated.await(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void awaitTermination() throws InterruptedException {
        terminated.await();
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "pool " + poolNumber + " [" + state + ", " + workers.size() + " workers, " + unfinished.size()
                    + " unfinished jobs]";
        }
    }
}
