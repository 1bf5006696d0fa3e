package org.multiprocessing4j.examples;

/**
 * The target of {@link ImportMainExample}, in a class of its own. Port of
 * {@code multiprocessing_import_worker.py}.
 */
public final class ImportWorker {
    private ImportWorker() {
    }

    /** Prints {@code Worker}. */
    public static void worker() {
        System.out.println("Worker");
    }
}
