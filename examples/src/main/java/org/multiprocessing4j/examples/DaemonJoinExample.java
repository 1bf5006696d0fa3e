package org.multiprocessing4j.examples;

import org.multiprocessing4j.JvmProcess;
import org.multiprocessing4j.Multiprocessing;

/**
 * Waiting for processes with {@code join()}, daemon or not. Port of
 * {@code multiprocessing_daemon_join.py}.
 *
 * <p>As {@link DaemonExample}, but main joins both children, so the daemon finishes its work:
 * prints {@code Starting: daemon <pid>}, {@code Starting: non-daemon <pid>},
 * {@code Exiting : non-daemon <pid>}, then, about 2 s after it started,
 * {@code Exiting : daemon <pid>}.
 */
public final class DaemonJoinExample {
    private DaemonJoinExample() {
    }

    static void daemon() {
        JvmProcess p = Multiprocessing.currentProcess();
        System.out.println("Starting: " + p.getName() + " " + p.pid());
        sleepMillis(2000);
        System.out.println("Exiting : " + p.getName() + " " + p.pid());
    }

    static void nonDaemon() {
        JvmProcess p = Multiprocessing.currentProcess();
        System.out.println("Starting: " + p.getName() + " " + p.pid());
        System.out.println("Exiting : " + p.getName() + " " + p.pid());
    }

    public static void main(String[] args) throws InterruptedException {
        JvmProcess d = new JvmProcess("daemon", DaemonJoinExample::daemon);
        d.setDaemon(true);

        JvmProcess n = new JvmProcess("non-daemon", DaemonJoinExample::nonDaemon);
        n.setDaemon(false);

        d.start();
        Thread.sleep(1000);
        n.start();

        d.join();
        n.join();
    }

    private static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
