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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.multiprocessing4j.JvmProcess;
import org.multiprocessing4j.ProcessContext;
import org.multiprocessing4j.ProcessQueue;
import org.multiprocessing4j.SerializableRunnable;
import org.multiprocessing4j.internal.channel.ItemCodec;
import org.multiprocessing4j.internal.channel.Queues;
import org.multiprocessing4j.internal.codec.Codec;
import org.multiprocessing4j.internal.log.LibraryLog;

/**
 * The parent side of a {@code ProcessPool}: worker processes, each with an inbox of its own, one
 * result queue shared by all of them, and three threads.
 *
 * <ul>
 * <li>The <b>dispatcher</b> gives tasks to workers: to the least busy one that has room in its
 *     window (tasks sent and not yet done). Tasks come from jobs ({@link Job}), which make them
 *     lazily, so an {@code imap} reads its input only as workers can take it.
 * <li>The <b>collector</b> reads the result queue: results (in the order each worker ran its
 *     tasks), start notices (only when tasks have a time limit) and the death notices that each
 *     worker's watcher puts on the same queue when its JVM ends. Because a worker's results were
 *     put before it died, its death notice always comes after them, so the task a dead worker was
 *     running is exactly the first one it had not answered: that one fails with a
 *     {@code WorkerDiedException}, the ones queued behind it go to other workers, and a
 *     replacement starts.
 * <li>The <b>timer</b> (only with a time limit) kills the worker of a task that runs too long.
 * </ul>
 *
 * <p>Per-worker inboxes, not one shared task queue, are what make every task's fate known: a
 * worker can die at any instant, and the pool must know which task it held.
 */
public final class PoolEngine {
    /** The task id of an initializer's failure report. */
    static final long INITIALIZER_TASK = -1;

    private static final int INBOX_BYTES = 256 * 1024;
    private static final int RESULT_BYTES = 4 << 20;
    private static final int MIN_WINDOW = 2;
    private static final int MAX_WINDOW = 64;
    /** A window is sized so that a worker has about this much work queued. */
    private static final long QUEUED_WORK_NANOS = 300_000;
    private static final AtomicInteger POOLS = new AtomicInteger();
    private static final AtomicInteger FUNCTIONS = new AtomicInteger();

    /** The life of a pool. */
    public enum State { RUNNING, CLOSED, TERMINATING, TERMINATED }

    /** What the engine needs from a builder. */
    public static final class Config {
        public int processes;
        public SerializableRunnable initializer;
        public int maxTasksPerChild;
        public List<String> jvmOptions = List.of();
        public Duration taskTimeout;
        public ProcessContext context;
        /** Makes the exceptions of the public API: (task, pid, exit code) → WorkerDiedException. */
        public DeathReports reports;
    }

    /** Makes the public exceptions, whose constructors are not public. */
    public interface DeathReports {
        RuntimeException workerDied(String task, long pid, int exitCode);

        RuntimeException timedOut(String task, Duration limit, long pid);

        RuntimeException initializerFailed(Throwable cause);
    }

    final Config config;
    private final int poolNumber = POOLS.incrementAndGet();
    private final ProcessQueue<byte[]> results = Queues.create(RESULT_BYTES);
    private final Object lock = new Object();
    private final List<Worker> workers = new ArrayList<>(); // guarded by lock: the live ones
    private final Map<Integer, Worker> byId = new HashMap<>(); // guarded by lock
    private final ArrayDeque<Job> jobs = new ArrayDeque<>(); // guarded by lock: jobs with tasks to make
    private final ArrayDeque<Task> retries = new ArrayDeque<>(); // guarded by lock
    private final Set<Job> unfinished = new HashSet<>(); // guarded by lock
    private final List<Job> drained = new ArrayList<>(); // guarded by lock: finished while making tasks
    private final AtomicInteger workerIds = new AtomicInteger();
    private final AtomicLong taskIds = new AtomicLong();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private volatile State state = State.RUNNING;
    private boolean dirty = true; // guarded by lock: something changed that the dispatcher must look at
    private RuntimeException broken; // guarded by lock: the initializer failed
    private long serviceNanos = QUEUED_WORK_NANOS; // guarded by lock: EWMA of a task's run time
    private int earlyDeaths; // guarded by lock: workers in a row that died before they were ready
    private int lastEarlyExit; // guarded by lock
    private final Thread dispatcher;
    private final Thread collector;
    private final Thread timer;

    /** One worker process and what it holds. */
    private final class Worker {
        final int id;
        final JvmProcess process;
        final ProcessQueue<byte[]> inbox;
        final ArrayDeque<Task> inFlight = new ArrayDeque<>();
        final Set<Integer> defined = new HashSet<>();
        long itemsSent;
        long lastDoneNanos;
        long timedOutTask = Long.MIN_VALUE;
        final java.util.concurrent.locks.ReentrantLock sending = new java.util.concurrent.locks.ReentrantLock();
        boolean alive = true;
        boolean ready;
        boolean stopSent;

        Worker(int id, JvmProcess process, ProcessQueue<byte[]> inbox) {
            this.id = id;
            this.process = process;
            this.inbox = inbox;
        }

        int window() {
            long w = QUEUED_WORK_NANOS / Math.max(1, serviceNanos) + 1;
            return (int) Math.max(MIN_WINDOW, Math.min(MAX_WINDOW, w));
        }

        boolean hasRoom() {
            return alive && !stopSent && inFlight.size() < window()
                    && (config.maxTasksPerChild <= 0 || itemsSent < config.maxTasksPerChild);
        }
    }

    /** One message to one worker: one callable, or a chunk of a map. Opaque outside the engine. */
    public static final class Task {
        final long id;
        final Job job;
        final long firstIndex;
        final int count;
        final byte[] message;
        long startedNanos;

        Task(long id, Job job, long firstIndex, int count, byte[] message) {
            this.id = id;
            this.job = job;
            this.firstIndex = firstIndex;
            this.count = count;
            this.message = message;
        }

        String describe() {
            return job.describe(firstIndex, count);
        }
    }

    /** A source of tasks and a sink of their outcomes: one submit, one map, one imap. */
    public abstract static class Job {
        /** Java-serialized function shared by the job's tasks, or null for a RUN task. */
        final byte[] function;
        final int functionId;
        final Set<Integer> definedIn = new HashSet<>(); // worker ids; guarded by the engine lock

        protected Job(byte[] function) {
            this.function = function;
            this.functionId = function == null ? 0 : FUNCTIONS.incrementAndGet();
        }

        /**
         * The next task, made now (called under the engine lock), or null if there is none now.
         *
         * @param ids gives task ids
         */
        protected abstract Task next(AtomicLong ids);

        /** Whether the job may still make tasks (false once its input is used up or it failed). */
        protected abstract boolean mayHaveMore();

        /** Item {@code index} succeeded. Called by the collector, without the engine lock. */
        protected abstract void succeeded(long index, Object value);

        /** Item {@code index} failed: what its task threw in the worker, or why its worker died. */
        protected abstract void failed(long index, Throwable error, boolean workerDied);

        /** The pool was terminated before the job finished. */
        protected abstract void cancelled(CancellationException e);

        /** Whether every item has an outcome. */
        protected abstract boolean isFinished();

        /** A description of items {@code first .. first+count-1}, for error messages. */
        public abstract String describe(long first, int count);

        /** For subclasses: a task of this job. */
        protected final Task task(long id, long firstIndex, int count, byte[] message) {
            return new Task(id, this, firstIndex, count, message);
        }

        /** For subclasses: the CALL message of {@code count} argument tuples of {@code arity}. */
        protected final byte[] callMessage(long taskId, int arity, List<byte[]> encodedArgs, int count) {
            Wire.Writer w = new Wire.Writer(24 + 16 * encodedArgs.size()).op(Wire.CALL).i64(taskId)
                    .i32(functionId).i32(arity).i32(count);
            for (byte[] a : encodedArgs) {
                w.bytes(a);
            }
            return w.toBytes();
        }

        /** For subclasses: the RUN message of a Java-serialized callable. */
        protected static byte[] runMessage(long taskId, byte[] callable) {
            return new Wire.Writer(16 + callable.length).op(Wire.RUN).i64(taskId).bytes(callable).toBytes();
        }

        /** For subclasses: an argument in its travelling form. */
        protected static byte[] encodeArgument(Object item, String what) {
            return ItemCodec.encodeEmbedded(item, what);
        }
    }

    public PoolEngine(Config config) {
        this.config = config;
        synchronized (lock) {
            for (int i = 0; i < config.processes; i++) {
                startWorker();
            }
        }
        String prefix = "multiprocessing4j-pool-" + poolNumber + "-";
        dispatcher = daemon(prefix + "dispatcher", this::dispatchLoop);
        collector = daemon(prefix + "collector", this::collectLoop);
        timer = config.taskTimeout == null ? null : daemon(prefix + "timer", this::timerLoop);
    }

    private static Thread daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Starts one worker; called under the lock. */
    private void startWorker() {
        int id = workerIds.incrementAndGet();
        ProcessQueue<byte[]> inbox = Queues.create(INBOX_BYTES);
        PoolWorker target = new PoolWorker(id, inbox, results, config.initializer, config.taskTimeout != null,
                config.maxTasksPerChild);
        JvmProcess p = config.context.process("PoolWorker-" + poolNumber + "." + id, target);
        p.setDaemon(true);
        if (!config.jvmOptions.isEmpty()) {
            p.setJvmOptions(config.jvmOptions);
        }
        p.start();
        Worker w = new Worker(id, p, inbox);
        workers.add(w);
        byId.put(id, w);
        // The watcher's death notice goes on the result queue, after everything the worker put.
        Thread watcher = new Thread(() -> {
            try {
                p.join();
            } catch (InterruptedException e) {
                return;
            }
            int code = p.exitCode().orElse(-9);
            try {
                results.put(new Wire.Writer(16).op(Wire.DIED).i32(id).i32(code).toBytes());
            } catch (InterruptedException | IllegalStateException e) {
                // The pool is gone.
            }
        }, "multiprocessing4j-pool-" + poolNumber + "-watch-" + id);
        watcher.setDaemon(true);
        watcher.start();
    }

    /** Adds a job. Throws if the pool is closed or broken. */
    public void submit(Job job) {
        synchronized (lock) {
            if (state != State.RUNNING) {
                throw new java.util.concurrent.RejectedExecutionException("the pool is "
                        + (state == State.CLOSED ? "shut down" : "terminated") + ": it takes no new tasks");
            }
            if (broken != null) {
                throw broken;
            }
            jobs.add(job);
            unfinished.add(job);
        }
        // Send what the job has for idle workers right here: one hand-off less than through the
        // dispatcher. The dispatcher then does the rest (a map's later chunks, say).
        dispatchOne();
        synchronized (lock) {
            signal();
        }
    }

    /** Wakes the dispatcher: a job may make tasks again (an iterator consumed results). */
    public void poke() {
        synchronized (lock) {
            signal();
        }
    }

    public State state() {
        return state;
    }

    /** The pids of the live workers. */
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

    // ---- dispatcher ------------------------------------------------------------------------

    private void dispatchLoop() {
        try {
            while (true) {
                synchronized (lock) {
                    while (!dirty && state != State.TERMINATED && state != State.TERMINATING) {
                        lock.wait();
                    }
                    if (state == State.TERMINATED || state == State.TERMINATING) {
                        return;
                    }
                    dirty = false;
                }
                while (dispatchOne()) {
                    // Keep the workers' windows full.
                }
                List<Job> finished = null;
                List<Worker> toStop = null;
                synchronized (lock) {
                    if (!drained.isEmpty()) {
                        finished = new ArrayList<>(drained);
                        drained.clear();
                    }
                    if (state == State.CLOSED && unfinished.isEmpty()) {
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
                    byte[] stop = new Wire.Writer(1).op(Wire.STOP).toBytes();
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
            LibraryLog.debug("pool dispatcher failed: " + e);
            failEverything(e);
        }
    }

    /**
     * Gives one task to the least busy worker that has room, and sends it; false if there was
     * nothing to send or nobody to take it. Called by the dispatcher, and by a submitting thread
     * (which saves a hand-off to the dispatcher on the way to the worker). A worker's tasks go
     * into its in-flight list and its inbox under its send lock, so both have the same order.
     */
    private boolean dispatchOne() {
        Worker w;
        Task t;
        byte[] define = null;
        synchronized (lock) {
            if (state == State.TERMINATED || state == State.TERMINATING) {
                return false;
            }
            w = leastBusyWithRoom();
            if (w == null) {
                return false;
            }
            t = nextTask();
            if (t == null) {
                return false;
            }
            if (!w.sending.tryLock()) {
                retries.addFirst(t); // another thread is sending to it right now
                return false;
            }
            w.inFlight.add(t);
            w.itemsSent += t.count;
            if (w.inFlight.size() == 1) {
                t.startedNanos = System.nanoTime();
            }
            if (t.job.function != null && w.defined.add(t.job.functionId)) {
                t.job.definedIn.add(w.id);
                define = new Wire.Writer(16 + t.job.function.length).op(Wire.DEFINE)
                        .i32(t.job.functionId).bytes(t.job.function).toBytes();
            }
        }
        try {
            if (define != null) {
                send(w, define);
            }
            send(w, t.message);
        } finally {
            w.sending.unlock();
        }
        return true;
    }

    /** Sets the dispatcher going; called holding the lock. */
    private void signal() {
        dirty = true;
        lock.notifyAll();
    }

    /**
     * Puts a message in a worker's inbox, giving up if the worker dies meanwhile (its tasks are
     * retried). Not interruptible: a task recorded as sent must be sent. An interrupt is kept.
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
                }
                synchronized (lock) {
                    if (!w.alive || state == State.TERMINATING || state == State.TERMINATED) {
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

    private Worker leastBusyWithRoom() {
        Worker best = null;
        for (Worker w : workers) {
            if (w.hasRoom() && !w.sending.isLocked()
                    && (best == null || w.inFlight.size() < best.inFlight.size())) {
                best = w;
            }
        }
        return best;
    }

    private Task nextTask() {
        Task t = retries.pollFirst();
        if (t != null) {
            return t;
        }
        int n = jobs.size();
        for (int i = 0; i < n; i++) {
            Job job = jobs.peekFirst();
            t = job.next(taskIds);
            if (t != null) {
                return t;
            }
            jobs.pollFirst();
            if (job.mayHaveMore()) {
                jobs.addLast(job); // throttled (an imap far ahead of its reader): look again later
            } else if (job.isFinished()) {
                drained.add(job); // its input ended with nothing in flight: no result will finish it
            }
        }
        return null;
    }

    // ---- collector -------------------------------------------------------------------------

    private void collectLoop() {
        try {
            while (true) {
                byte[] m = results.take();
                Wire.Reader r = new Wire.Reader(m);
                byte op = r.op();
                if (op == Wire.DONE) {
                    done(r);
                } else if (op == Wire.READY) {
                    synchronized (lock) {
                        Worker w = byId.get(r.i32());
                        if (w != null) {
                            w.ready = true;
                            earlyDeaths = 0;
                        }
                    }
                } else if (op == Wire.STARTED) {
                    started(r.i32(), r.i64());
                } else if (op == Wire.DIED) {
                    if (died(r.i32(), r.i32())) {
                        return;
                    }
                } else if (op == Wire.STOP) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            // Terminated.
        } catch (RuntimeException | Error e) {
            LibraryLog.debug("pool collector failed: " + e);
            failEverything(e);
        }
    }

    private void done(Wire.Reader r) {
        int workerId = r.i32();
        long taskId = r.i64();
        int count = r.i32();
        Task t = null;
        if (taskId == INITIALIZER_TASK) {
            r.op();
            int at = r.field();
            Throwable cause = decodeThrowable(r.buf, at, r.lastLength);
            breakPool(config.reports.initializerFailed(cause));
            return;
        }
        synchronized (lock) {
            Worker w = byId.get(workerId);
            if (w != null) {
                for (Task x : w.inFlight) {
                    if (x.id == taskId) {
                        t = x;
                        break;
                    }
                }
                if (t != null) {
                    w.inFlight.remove(t);
                    long now = System.nanoTime();
                    if (t.startedNanos != 0) {
                        long took = Math.max(1, (now - t.startedNanos) / Math.max(1, t.count));
                        serviceNanos = (serviceNanos * 7 + took) / 8;
                    }
                    Task head = w.inFlight.peekFirst();
                    if (head != null && config.taskTimeout == null) {
                        head.startedNanos = now;
                    }
                }
            }
            signal();
        }
        if (t == null) {
            return; // a task already failed (its worker was declared dead); its late result is dropped
        }
        for (int k = 0; k < count; k++) {
            byte status = r.op();
            int at = r.field();
            long index = t.firstIndex + k;
            if (status == Wire.OK) {
                Object value;
                try {
                    value = ItemCodec.decodeEmbedded(r.buf, at, r.lastLength);
                } catch (RuntimeException e) {
                    t.job.failed(index, e, false);
                    continue;
                }
                t.job.succeeded(index, value);
            } else {
                t.job.failed(index, decodeThrowable(r.buf, at, r.lastLength), false);
            }
        }
        finishIfDone(t.job);
    }

    private void started(int workerId, long taskId) {
        synchronized (lock) {
            Worker w = byId.get(workerId);
            if (w != null) {
                for (Task x : w.inFlight) {
                    if (x.id == taskId) {
                        x.startedNanos = System.nanoTime();
                    }
                }
            }
        }
    }

    /** Handles a death notice; true when the collector should end (the pool is terminated). */
    private boolean died(int workerId, int exitCode) {
        Task running;
        boolean timedOut;
        Worker w;
        boolean replace;
        synchronized (lock) {
            w = byId.remove(workerId);
            if (w == null) {
                return false;
            }
            w.alive = false;
            workers.remove(w);
            // A worker that died before it was ready (while booting, or in its initializer) ran
            // nothing: all its tasks go to other workers. Several in a row mean it always will.
            running = w.ready ? w.inFlight.pollFirst() : null;
            if (!w.ready && state == State.RUNNING) {
                earlyDeaths++;
                lastEarlyExit = exitCode;
            }
            timedOut = running != null && w.timedOutTask == running.id;
            // The tasks queued behind it never started: they go to other workers, in order.
            for (java.util.Iterator<Task> it = w.inFlight.descendingIterator(); it.hasNext(); ) {
                Task queued = it.next();
                queued.startedNanos = 0;
                retries.addFirst(queued);
            }
            w.inFlight.clear();
            for (Job j : unfinished) {
                j.definedIn.remove(w.id);
            }
            replace = (state == State.RUNNING || (state == State.CLOSED && !unfinished.isEmpty())) && broken == null;
            signal();
        }
        if (running != null) {
            String task = running.describe();
            RuntimeException error = timedOut
                    ? config.reports.timedOut(task, config.taskTimeout, w.process.pid())
                    : config.reports.workerDied(task, w.process.pid(), exitCode);
            for (int k = 0; k < running.count; k++) {
                running.job.failed(running.firstIndex + k, error, true);
            }
            finishIfDone(running.job);
        }
        w.inbox.close();
        boolean hopeless;
        synchronized (lock) {
            hopeless = earlyDeaths >= 3 && broken == null;
        }
        if (hopeless) {
            breakPool(new IllegalStateException("pool workers keep ending before they are ready (the last with exit"
                    + " code " + lastEarlyExit + "): check the pool's JVM options and initializer"));
            replace = false;
        }
        if (replace) {
            synchronized (lock) {
                try {
                    startWorker();
                } catch (RuntimeException e) {
                    LibraryLog.debug("pool could not replace a worker: " + e);
                    if (workers.isEmpty()) {
                        breakPool(e);
                    }
                }
                signal();
            }
        }
        synchronized (lock) {
            if (workers.isEmpty() && state != State.RUNNING && (state != State.CLOSED || unfinished.isEmpty())) {
                state = State.TERMINATED;
                signal();
                terminated.countDown();
                return true;
            }
        }
        return false;
    }

    private void finishIfDone(Job job) {
        if (job.isFinished()) {
            List<Worker> holders = new ArrayList<>();
            synchronized (lock) {
                unfinished.remove(job);
                jobs.remove(job);
                for (int id : job.definedIn) {
                    Worker w = byId.get(id);
                    if (w != null && w.defined.remove(job.functionId)) {
                        holders.add(w);
                    }
                }
                signal();
            }
            if (job.function != null) {
                byte[] forget = new Wire.Writer(8).op(Wire.FORGET).i32(job.functionId).toBytes();
                for (Worker w : holders) {
                    // Best effort: a worker that keeps a function it no longer needs only wastes memory.
                    w.inbox.offer(forget);
                }
            }
        }
    }

    private static Throwable decodeThrowable(byte[] buf, int at, int length) {
        try {
            return (Throwable) Codec.defaultCodec().decode(java.util.Arrays.copyOfRange(buf, at, at + length));
        } catch (Exception | LinkageError e) {
            return new IllegalStateException("a pool task failed, and its exception could not be decoded here: " + e, e);
        }
    }

    // ---- timer -----------------------------------------------------------------------------

    private void timerLoop() {
        long limit = config.taskTimeout.toNanos();
        long tick = Math.max(1_000_000, Math.min(limit / 4, 50_000_000));
        try {
            while (state != State.TERMINATED) {
                Thread.sleep(tick / 1_000_000, (int) (tick % 1_000_000));
                List<JvmProcess> overdue = new ArrayList<>();
                long now = System.nanoTime();
                synchronized (lock) {
                    for (Worker w : workers) {
                        Task head = w.inFlight.peekFirst();
                        if (w.alive && head != null && head.startedNanos != 0 && now - head.startedNanos > limit
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

    // ---- ending ----------------------------------------------------------------------------

    /** Python's close(): no new tasks; workers exit once every task is done. */
    public void close() {
        synchronized (lock) {
            if (state == State.RUNNING) {
                state = State.CLOSED;
                if (workers.isEmpty()) {
                    state = State.TERMINATED;
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
    public List<Job> terminate() {
        List<Job> cancelled;
        List<Worker> live;
        synchronized (lock) {
            if (state == State.TERMINATED || state == State.TERMINATING) {
                return List.of();
            }
            state = workers.isEmpty() ? State.TERMINATED : State.TERMINATING;
            cancelled = new ArrayList<>(unfinished);
            unfinished.clear();
            jobs.clear();
            retries.clear();
            live = new ArrayList<>(workers);
            for (Worker w : live) {
                w.inFlight.clear();
            }
            signal();
            if (state == State.TERMINATED) {
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

    private void breakPool(RuntimeException cause) {
        List<Job> failed;
        synchronized (lock) {
            if (broken != null) {
                return;
            }
            broken = cause;
            failed = new ArrayList<>(unfinished);
        }
        for (Job j : failed) {
            j.failed(-1, cause, false);
        }
        terminate();
    }

    private void failEverything(Throwable e) {
        breakPool(e instanceof RuntimeException ? (RuntimeException) e : new IllegalStateException(e));
    }

    /** Waits for the pool to be terminated: every worker ended. */
    public boolean awaitTermination(long nanos) throws InterruptedException {
        return terminated.await(nanos, TimeUnit.NANOSECONDS);
    }

    public void awaitTermination() throws InterruptedException {
        terminated.await();
    }

    /** Called when the pool has ended, to free its queues. */
    public void release() {
        results.close();
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "pool " + poolNumber + " [" + state + ", " + workers.size() + " workers, " + unfinished.size()
                    + " unfinished jobs]";
        }
    }
}
