package org.multiprocessing4j.chaos;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.multiprocessing4j.ProcessPool;
import org.multiprocessing4j.SharedLongArray;
import org.multiprocessing4j.WorkerDiedException;

/**
 * Pool workers killed mid-task (and now and then between tasks). A pool of two or three workers
 * runs a dozen to thirty tasks of 10–160 ms; each task writes the pid of its worker to a shared
 * word when it starts and marks itself done before it returns. The parent kills one to three
 * workers by pid ({@code ProcessHandle.destroyForcibly()}, SIGKILL): mostly the worker of a
 * running task, otherwise any worker that has run a task (one that never ran one may not be
 * ready yet, and three deaths before ready break a pool by design). Every future must complete,
 * with its result or with a {@link WorkerDiedException} naming a killed worker, no more of those
 * than kills; the pool must then run new tasks and be back to its size. Recovery: from the kill
 * to the next completed future. Moved: tasks completed.
 *
 * <p>The tasks report through one board that every pool round of the run shares, not one per
 * round: a shared object that travels in a task (not to a child being started) stays open in the
 * submitting JVM for five minutes, in case its handle still waits in a queue, so a board per round
 * would hold a few descriptors per round for five minutes and blur the leak check. For the same
 * reason the tasks count the library's warnings there, not in the round's {@link Crew}.
 */
final class PoolScenario {
    private static final int MAX_TASKS = 31;
    /** Words 0..MAX_TASKS-1: the pid that runs task i; then 1 once task i is done; then the warnings. */
    private static final int DONE = MAX_TASKS;
    private static final int WARNINGS = 2 * MAX_TASKS;
    private static SharedLongArray board;

    private PoolScenario() {
    }

    /** The board of every pool round, cleared. */
    private static synchronized SharedLongArray clearedBoard() {
        if (board == null) {
            board = SharedLongArray.create(WARNINGS + 1);
        }
        for (int i = 0; i < board.length(); i++) {
            board.set(i, 0);
        }
        return board;
    }

    static void run(Round r) throws Exception {
        int processes = 2 + r.rng.nextInt(2);
        int tasks = 12 + r.rng.nextInt(MAX_TASKS - 12 + 1);
        SharedLongArray b = clearedBoard();
        ProcessPool pool = r.ctx.pool(processes);
        try {
            AtomicLong lastCompletion = new AtomicLong();
            List<CompletableFuture<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < tasks; i++) {
                int index = i;
                int millis = 10 + r.rng.nextInt(150);
                CompletableFuture<Integer> f = pool.applyAsync(() -> task(b, index, millis));
                f.whenComplete((v, t) -> lastCompletion.accumulateAndGet(System.nanoTime(), Math::max));
                futures.add(f);
            }
            Set<Long> killed = new HashSet<>();
            Set<Long> tried = new HashSet<>(); // killed, or found gone when about to be killed
            int kills = r.kills();
            for (int k = 0; k < kills && !allDone(futures); ) {
                long pid;
                if (r.rng.nextInt(4) != 0) {
                    r.awaitUntil("a task to run", () -> running(b, tasks, tried) >= 0 || allDone(futures));
                    int i = running(b, tasks, tried);
                    if (i < 0) {
                        break;
                    }
                    pid = b.get(i);
                } else {
                    r.sleepUpTo(200);
                    List<Long> ready = new ArrayList<>(pool.workerPids());
                    ready.retainAll(ranATask(b, tasks));
                    if (ready.isEmpty()) {
                        continue;
                    }
                    pid = r.pick(ready);
                }
                seeWorkers(r, pool, b, tasks);
                tried.add(pid);
                long at = r.killWorker(pid);
                if (at < 0) {
                    continue;
                }
                killed.add(pid);
                k++;
                r.awaitProgress(at, "a task to complete after pool worker " + pid + " was killed", lastCompletion::get,
                        () -> allDone(futures));
            }
            int died = 0;
            for (int i = 0; i < tasks; i++) {
                try {
                    Integer v = futures.get(i).get(Round.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                    r.check(v != null && v == 7 * i + 1, "task " + i + " returned " + v + ", not " + (7 * i + 1));
                    r.tally.moved++;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof WorkerDiedException w && killed.contains(w.pid())) {
                        died++;
                    } else {
                        r.fail("task " + i + " failed with " + e.getCause() + " (killed workers: " + killed + ")");
                    }
                } catch (TimeoutException e) {
                    throw Round.stuck("the future of task " + i + " (killed workers: " + killed + ")");
                }
            }
            r.check(died <= killed.size(), died + " tasks failed with WorkerDiedException after " + killed.size()
                    + " workers were killed: a dead worker may fail only the task it held");
            for (int j = 0; j < 2 * processes; j++) {
                int n = j;
                try {
                    Integer v = pool.applyAsync(() -> quick(b, n)).get(Round.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                    r.check(v != null && v == n + 1, "a task after the kills returned " + v + ", not " + (n + 1));
                    r.tally.moved++;
                } catch (ExecutionException e) {
                    r.fail("a task after the kills failed with " + e.getCause());
                } catch (TimeoutException e) {
                    throw Round.stuck("a task submitted after the kills");
                }
            }
            r.awaitUntil("the pool to be back to " + processes + " workers", () -> pool.workerPids().size() == processes);
            seeWorkers(r, pool, b, tasks);
        } finally {
            pool.shutdown();
            if (!pool.join(Round.PATIENCE)) {
                r.fail("stuck: the pool's workers did not end within " + Round.PATIENCE.toSeconds() + " s of shutdown()");
                pool.terminate();
                pool.join(Round.PATIENCE);
            }
            r.childWarnings += b.get(WARNINGS);
        }
    }

    private static int task(SharedLongArray b, int i, int millis) throws InterruptedException {
        Crew.captureLogs(b, WARNINGS);
        b.set(i, ProcessHandle.current().pid());
        Thread.sleep(millis);
        b.set(DONE + i, 1);
        return 7 * i + 1;
    }

    private static int quick(SharedLongArray b, int n) {
        Crew.captureLogs(b, WARNINGS);
        return n + 1;
    }

    /** A task that has started and not finished on a worker not tried yet, or -1. */
    private static int running(SharedLongArray b, int tasks, Set<Long> tried) {
        for (int i = 0; i < tasks; i++) {
            long pid = b.get(i);
            if (pid != 0 && b.get(DONE + i) == 0 && !tried.contains(pid)) {
                return i;
            }
        }
        return -1;
    }

    private static Set<Long> ranATask(SharedLongArray b, int tasks) {
        Set<Long> pids = new HashSet<>();
        for (int i = 0; i < tasks; i++) {
            if (b.get(i) != 0) {
                pids.add(b.get(i));
            }
        }
        return pids;
    }

    private static void seeWorkers(Round r, ProcessPool pool, SharedLongArray b, int tasks) {
        for (long pid : pool.workerPids()) {
            r.workerSeen(pid);
        }
        for (long pid : ranATask(b, tasks)) {
            r.workerSeen(pid);
        }
    }

    private static boolean allDone(List<CompletableFuture<Integer>> futures) {
        for (CompletableFuture<Integer> f : futures) {
            if (!f.isDone()) {
                return false;
            }
        }
        return true;
    }
}
