package org.multiprocessing4j.examples;

import java.time.Duration;
import org.multiprocessing4j.JvmProcess;
import org.multiprocessing4j.Multiprocessing;

/**
 * {@code join(Duration)}: wait at most a given time for a process to end. Port of
 * {@code multiprocessing_daemon_join_timeout.py}.
 *
 * <p>The timeout (1 s) is shorter than the daemon's sleep, so after the timed join it is still
 * alive: prints {@code d.isAlive() true}. The daemon never prints its {@code Exiting} line: it
 * is terminated when main exits.
 */
public final class DaemonJoinTimeoutExample {
    private DaemonJoinTimeoutExample() {
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
        JvmProcess d = new JvmProcess("daemon", DaemonJoinTimeoutExample::daemon);
        d.setDaemon(true);

        JvmProcess n = new JvmProcess("non-daemon", DaemonJoinTimeoutExample::nonDaemon);
        n.setDaemon(false);

        d.start();
        Thread.sleep(1000);
        n.start();

        d.join(Duration.ofSeconds(1));
        System.out.println("d.isAlive() " + d.isAlive());
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
