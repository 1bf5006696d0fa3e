package org.multiprocessing4j.examples;

import java.util.ArrayList;
import java.util.List;
import org.multiprocessing4j.JvmProcess;

/**
 * Subclassing {@link JvmProcess} and overriding {@code run()} instead of passing a target.
 * Port of {@code multiprocessing_subclass.py}.
 *
 * <p>A subclass's default name is its simple class name, a dash and the counter: prints
 * {@code In Worker-1} to {@code In Worker-5}, in any order.
 */
public final class SubclassExample {
    private SubclassExample() {
    }

    /** A process whose work is its own {@code run()}; it and its fields travel to the child. */
    public static class Worker extends JvmProcess {
        private static final long serialVersionUID = 1L;

        @Override
        public void run() {
            System.out.println("In " + getName());
        }
    }

    public static void main(String[] args) throws InterruptedException {
        List<Worker> jobs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Worker p = new Worker();
            jobs.add(p);
            p.start();
        }
        for (Worker j : jobs) {
            j.join();
        }
    }
}
