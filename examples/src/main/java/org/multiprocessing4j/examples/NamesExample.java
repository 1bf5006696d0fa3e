package org.multiprocessing4j.examples;

import org.multiprocessing4j.JvmProcess;
import org.multiprocessing4j.Multiprocessing;

/**
 * Naming processes, and reading the name in the child with
 * {@code Multiprocessing.currentProcess().getName()}. Port of {@code multiprocessing_names.py}.
 *
 * <p>The unnamed process is {@code Process-3}: the default name counts every process created
 * so far, named or not. Prints {@code <name> Starting} and {@code <name> Exiting} for
 * {@code worker 1}, {@code Process-3} and {@code my_service}; the lines of different processes
 * interleave, and {@code my_service Exiting} comes last (it sleeps longest).
 */
public final class NamesExample {
    private NamesExample() {
    }

    static void worker() {
        String name = Multiprocessing.currentProcess().getName();
        System.out.println(name + " Starting");
        sleepMillis(2000);
        System.out.println(name + " Exiting");
    }

    static void myService() {
        String name = Multiprocessing.currentProcess().getName();
        System.out.println(name + " Starting");
        sleepMillis(3000);
        System.out.println(name + " Exiting");
    }

    public static void main(String[] args) {
        JvmProcess service = new JvmProcess("my_service", NamesExample::myService);
        JvmProcess worker1 = new JvmProcess("worker 1", NamesExample::worker);
        JvmProcess worker2 = new JvmProcess(NamesExample::worker); // default name: Process-3

        worker1.start();
        worker2.start();
        service.start();
    }

    private static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
