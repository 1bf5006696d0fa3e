package org.multiprocessing4j.internal.pool;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.multiprocessing4j.BrokenPoolException;
import org.multiprocessing4j.internal.access.SharedSecrets;
import org.multiprocessing4j.internal.codec.Codec;
import org.multiprocessing4j.spi.ChunkRunner;

/**
 * The engine of a pool whose workers are elsewhere (a cluster's nodes): the jobs, their
 * chunking and ordering, and the futures stay here, as with {@link PoolEngine}; each task (a map's
 * chunk, or one callable) goes to the {@link ChunkRunner} as a {@link ChunkCall}, about twice
 * the runner's parallelism at a time, and its DONE message comes back as the callable's result.
 * A task whose worker is lost fails with a {@code WorkerDiedException} that says where; the
 * others go on. A task that the runner fails with a {@link BrokenPoolException} (the initializer
 * failed where it ran) breaks the pool, as a local pool breaks. One dispatcher thread and one
 * completer thread.
 */
public final class RemoteEngine implements Engine {
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final ChunkRunner runner;
    private final int capacity;
    private final int poolNumber = POOLS.incrementAndGet();
    private final Object lock = new Object();
    private final ArrayDeque<Job> jobs = new ArrayDeque<>(); // guarded by lock: jobs that may make tasks
    private final Set<Job> unfinished = new HashSet<>(); // guarded by lock
    private final AtomicLong taskIds = new AtomicLong();
    private final LinkedBlockingQueue<Runnable> completions = new LinkedBlockingQueue<>();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private int inFlight; // guarded by lock
    private BrokenPoolException broken; // guarded by lock: why the pool broke, if it did
    private boolean dirty = true; // guarded by lock
    private volatile PoolState state = PoolState.RUNNING;

    public RemoteEngine(ChunkRunner runner) {
        this.runner = runner;
        this.capacity = 2 * Math.max(1, runner.parallelism());
        String prefix = "multiprocessing4j-remote-pool-" + poolNumber + "-";
        PoolEngine.daemon(prefix + "dispatcher", this::dispatchLoop);
        PoolEngine.daemon(prefix + "completer", this::completeLoop);
    }


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
            signal();
        }
    }

    private void signal() {
        dirty = true;
        lock.notifyAll();
    }

    @Override
    public void poke() {
        synchronized (lock) {
            signal();
        }
    }

    @Override
    public Executor completer() {
        return completions::add;
    }

    @Override
    public PoolState state() {
        return state;
    }

    @Override
    public List<Long> workerPids() {
        return runner.workerPids();
    }

    private void dispatchLoop() {
        try {
            while (true) {
                List<Job> candidates;
                boolean throttle;
                synchronized (lock) {
                    while (state.isEnding() || inFlight >= capacity || jobs.isEmpty() || !dirty) {
                        if (state == PoolState.TERMINATED) {
                            return;
                        }
                        lock.wait();
                    }
                    dirty = false;
                    candidates = new ArrayList<>(jobs);
                    throttle = state == PoolState.RUNNING;
                }
                // Oldest job first, as the local pool does; a job with nothing now (an imap held
                // back by its reader) lets the next one go.
                for (Job job : candidates) {
                    try {
                        feed(job, throttle);
                    } catch (RuntimeException | Error e) {
                        // The job's input or encoding failed (a user's iterator threw, say): that
                        // job fails, the pool goes on, as the local engine does.
                        synchronized (lock) {
                            jobs.remove(job);
                            unfinished.remove(job);
                        }
                        job.failed(-1, e, false);
                        finishIfClosedAndDone();
                    }
                }
            }
        } catch (InterruptedException e) {
            // Nobody interrupts the dispatcher; the pool's end is the only way out.
        }
    }

    /** Sends tasks of {@code job} while there is room and it has some now. */
    private void feed(Job job, boolean throttle) {
        while (true) {
            synchronized (lock) {
                if (inFlight >= capacity || state.isEnding()) {
                    return;
                }
            }
            Task t = job.next(taskIds, throttle);
            if (t == null) {
                if (!job.mayHaveMore()) {
                    synchronized (lock) {
                        jobs.remove(job);
                    }
                    finishIfDone(job);
                }
                return;
            }
            send(t);
        }
    }

    private void send(Task t) {
        synchronized (lock) {
            inFlight++;
        }
        byte[] chunk;
        try {
            chunk = Codec.defaultCodec().encode(new ChunkCall(t.job.function, t.message), t.describe());
        } catch (RuntimeException e) {
            answered(t, null, e);
            return;
        }
        try {
            runner.run(chunk, t.describe()).whenComplete((done, error) -> answered(t, done, error));
        } catch (RuntimeException | Error e) {
            answered(t, null, e);
        }
    }

    private void answered(Task t, byte[] done, Throwable error) {
        synchronized (lock) {
            inFlight--;
            signal();
        }
        if (!unfinishedContains(t.job)) {
            return; // terminated, or the job already failed: nobody waits for it
        }
        if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof BrokenPoolException) {
                stop((BrokenPoolException) cause); // fails this task's job with the others
                return;
            }
            RuntimeException lost = SharedSecrets.getPoolAccess().workerLost(t.describe(), cause);
            for (int k = 0; k < t.count; k++) {
                t.job.failed(t.firstIndex + k, lost, true);
            }
        } else {
            PoolMessage.Done answer;
            try {
                answer = (PoolMessage.Done) PoolMessage.read(done);
            } catch (RuntimeException malformed) {
                IllegalStateException e = new IllegalStateException("the answer to " + t.describe()
                        + " could not be read: " + malformed, malformed);
                for (int k = 0; k < t.count; k++) {
                    t.job.failed(t.firstIndex + k, e, false);
                }
                finishIfDone(t.job);
                return;
            }
            PoolEngine.deliver(t, answer.outcomes());
        }
        finishIfDone(t.job);
    }

    private boolean unfinishedContains(Job job) {
        synchronized (lock) {
            return unfinished.contains(job);
        }
    }

    private void finishIfDone(Job job) {
        if (!job.isFinished()) {
            return;
        }
        synchronized (lock) {
            unfinished.remove(job);
            jobs.remove(job);
        }
        finishIfClosedAndDone();
    }

    private void finishIfClosedAndDone() {
        synchronized (lock) {
            if (state == PoolState.CLOSED && unfinished.isEmpty()) {
                end();
            }
        }
    }

    /**
     * Under the lock: the pool is over. The workers are ended on a thread of their own (closing
     * waits for the nodes' answers), and {@code terminated} opens once they are.
     */
    private void end() {
        if (state == PoolState.TERMINATED) {
            return;
        }
        state = PoolState.TERMINATED;
        signal();
        completions.add(() -> { }); // wakes the completer to see the end
        Thread closer = new Thread(() -> {
            try {
                runner.close();
            } finally {
                terminated.countDown();
            }
        }, "multiprocessing4j-remote-pool-" + poolNumber + "-closer");
        closer.setDaemon(true);
        closer.start();
    }

    private void completeLoop() {
        while (true) {
            Runnable r;
            try {
                r = completions.poll(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                continue; // nobody interrupts it on purpose
            }
            if (r != null) {
                try {
                    r.run();
                } catch (RuntimeException | Error e) {
                    // A user's callback threw: it has no one else to tell.
                }
            } else if (state == PoolState.TERMINATED && completions.isEmpty()) {
                return;
            }
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (state.isRunning()) {
                state = PoolState.CLOSED;
                if (unfinished.isEmpty()) {
                    end();
                }
                signal();
            }
        }
    }

    @Override
    public List<Job> terminate() {
        return stop(null);
    }

    /**
     * Ends the pool now: {@code terminate()} ({@code broke} null: the unfinished jobs are
     * cancelled), or the pool broke (they fail with {@code broke}, and so does every later
     * submission).
     *
     * @return the jobs that had not finished
     */
    private List<Job> stop(BrokenPoolException broke) {
        List<Job> left;
        synchronized (lock) {
            if (broke != null && broken == null) {
                broken = broke;
            }
            if (state.isEnding()) {
                return List.of();
            }
            state = PoolState.TERMINATING; // no more dispatching; answers still coming are dropped
            left = new ArrayList<>(unfinished);
            unfinished.clear();
            jobs.clear();
            signal();
        }
        // Failed before the pool counts as ended, so that the completer (which runs until then)
        // completes every waiting future.
        CancellationException e = broke == null ? new CancellationException("the pool was terminated") : null;
        for (Job j : left) {
            if (broke == null) {
                j.cancelled(e);
            } else {
                j.failed(-1, broke, false);
            }
        }
        synchronized (lock) {
            end();
        }
        return left;
    }

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
            return "remote pool " + poolNumber + " [" + state + ", " + inFlight + " tasks in flight, "
                    + unfinished.size() + " unfinished jobs]";
        }
    }
}
