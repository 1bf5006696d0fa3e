package org.multiprocessing4j.drivers;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
import org.multiprocessing4j.JvmProcess;
import org.multiprocessing4j.ProcessLock;
import org.multiprocessing4j.ProcessPool;
import org.multiprocessing4j.ProcessQueue;

/**
 * Records itself to {@code args[0]} while it does one of each thing the library records: a
 * process that exits with 3 (which records itself too, next to this file), a wait on a queue, a
 * pool's tasks (one throws), a pool worker that dies, a lock taken over from a dead holder.
 * Prints what the test checks the recording against.
 */
public final class Recorded {
    private Recorded() {
    }

    public static void main(String[] args) throws Exception {
        try (Recording recording = new Recording()) {
            for (String event : new String[] {"ProcessStart", "ProcessEnd", "PoolTask", "WorkerDeath", "Wait",
                    "LockTakenOver"}) {
                recording.enable("org.multiprocessing4j." + event);
            }
            recording.setDestination(Path.of(args[0]));
            recording.start();

            // Only this child records itself: one that halts would leave its recording's files behind.
            System.setProperty("multiprocessing4j.jfr.children", "true");
            JvmProcess three = new JvmProcess("exits-3", () -> System.exit(3));
            three.start();
            three.join();
            System.clearProperty("multiprocessing4j.jfr.children");
            System.out.println("exits-3 " + three.pid() + " " + three.exitCode().orElse(-1));

            ProcessQueue<String> q = ProcessQueue.create();
            System.out.println("polled " + q.poll(Duration.ofMillis(100)));

            try (ProcessPool pool = ProcessPool.create(1)) {
                System.out.println("applied " + pool.apply(() -> 1));
                Future<Object> throwing = pool.applyAsync(() -> {
                    throw new IllegalArgumentException("expected by the test");
                });
                System.out.println("threw " + failure(throwing));
                Future<Object> halting = pool.applyAsync(() -> {
                    Runtime.getRuntime().halt(7);
                    return null;
                });
                System.out.println("worker died " + failure(halting));
            }

            ProcessLock lock = ProcessLock.create();
            JvmProcess holder = new JvmProcess("holder", () -> {
                lock.lock();
                Runtime.getRuntime().halt(1);
            });
            holder.start();
            holder.join();
            lock.lock();
            System.out.println("holder " + holder.pid() + " taken over " + lock.heldAfterOwnerDied());
            lock.unlock();
            recording.stop();
        }
        System.out.println("done");
    }

    private static String failure(Future<?> f) throws InterruptedException {
        try {
            f.get(60, TimeUnit.SECONDS);
            return "none";
        } catch (ExecutionException e) {
            return e.getCause().getClass().getSimpleName();
        } catch (java.util.concurrent.TimeoutException e) {
            return "timed out";
        }
    }
}
