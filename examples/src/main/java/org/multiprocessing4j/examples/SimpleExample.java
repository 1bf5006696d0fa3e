package org.multiprocessing4j.examples;

import org.multiprocessing4j.JvmProcess;

/**
 * The simplest use: start five processes, each running a static method. Port of
 * {@code multiprocessing_simple.py}.
 *
 * <p>Main does not join them: a program does not exit while a non-daemon child still runs.
 * Prints {@code Worker} five times.
 */
public final class SimpleExample {
    private SimpleExample() {
    }

    /** What each child runs. */
    static void worker() {
        System.out.println("Worker");
    }

    public static void main(String[] args) {
        for (int i = 0; i < 5; i++) {
            JvmProcess p = new JvmProcess(SimpleExample::worker);
            p.start();
        }
    }
}
