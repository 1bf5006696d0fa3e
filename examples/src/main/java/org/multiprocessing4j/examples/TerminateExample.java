package org.multiprocessing4j.examples;

import org.multiprocessing4j.JvmProcess;

/**
 * Ending a process from outside with {@code terminate()} (SIGTERM), then {@code join()} so
 * that the object sees the end. Port of {@code multiprocessing_terminate.py}.
 *
 * <p>Prints the process and its liveness at each step:
 * <pre>
 * BEFORE: &lt;JvmProcess(Process-1, initial)&gt; false
 * DURING: &lt;JvmProcess(Process-1, started)&gt; true
 * TERMINATED: &lt;JvmProcess(Process-1, started)&gt; true
 * JOINED: &lt;JvmProcess(Process-1, stopped[SIGTERM])&gt; false
 * </pre>
 * The third line races with the signal (as in Python): it may also read
 * {@code stopped[SIGTERM]} and {@code false}. After the join the exit code is -15.
 */
public final class TerminateExample {
    private TerminateExample() {
    }

    static void slowWorker() {
        System.out.println("Starting worker");
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.out.println("Finished worker");
    }

    public static void main(String[] args) throws InterruptedException {
        JvmProcess p = new JvmProcess(TerminateExample::slowWorker);
        System.out.println("BEFORE: " + p + " " + p.isAlive());

        p.start();
        System.out.println("DURING: " + p + " " + p.isAlive());

        p.terminate();
        System.out.println("TERMINATED: " + p + " " + p.isAlive());

        p.join();
        System.out.println("JOINED: " + p + " " + p.isAlive());
    }
}
