package org.multiprocessing4j.examples;

import org.multiprocessing4j.JvmProcess;

/**
 * A target defined in another class ({@link ImportWorker#worker()}), passed as a method
 * reference. Port of {@code multiprocessing_import_main.py}: any class on the class path can
 * provide the code a child runs. Prints {@code Worker} five times.
 */
public final class ImportMainExample {
    private ImportMainExample() {
    }

    public static void main(String[] args) {
        for (int i = 0; i < 5; i++) {
            JvmProcess p = new JvmProcess(ImportWorker::worker);
            p.start();
        }
    }
}
