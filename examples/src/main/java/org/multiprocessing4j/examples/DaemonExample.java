package org.multiprocessing4j.examples;

import org.multiprocessing4j.JvmProcess;
import org.multiprocessing4j.Multiprocessing;

/**
 * Daemon processes: the program does not wait for a daemon child; it terminates it when it
 * exits. Port of {@code multiprocessing_daemon.py}.
 *
 * <p>Prints {@code Starting: daemon <pid>}, {@code Starting: non-daemon <pid>} and
 * {@code Exiting : non-daemon <pid>}, but never the daemon's {@code Exiting} line: main returns
 * without joining, the JVM stays up until the non-daemon child has ended, then terminates the
 * daemon in the middle of its sleep. Look for the daemon's pid with {@code ps} afterwards: it
 * is gone. (Python terminates daemons as soon as main ends; the output is the same.)
 */
public final class DaemonExample {
    private DaemonExample() {
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
        JvmProcess d = new JvmProcess("daemon", DaemonExample::daemon);
        d.setDaemon(true);

        JvmProcess n = new JvmProcess("non-daemon", DaemonExample::nonDaemon);
        n.setDaemon(false);

        d.start();
        Thread.sleep(1000);
        n.start();
    }

    private static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
