package org.multiprocessing4j.examples;

import org.multiprocessing4j.JvmProcess;

/**
 * Passing an argument to a process: the lambda captures it, and it travels to the child with
 * the lambda. Port of {@code multiprocessing_simpleargs.py}.
 *
 * <p>What a target captures must be serializable (Python: picklable); {@code start()} refuses
 * anything that is not with a {@link org.multiprocessing4j.ProcessSerializationException}
 * naming the class. Prints {@code Worker: 0} to {@code Worker: 4}, in any order.
 */
public final class SimpleArgsExample {
    private SimpleArgsExample() {
    }

    /** What each child runs, with its own number. */
    static void worker(int num) {
        System.out.println("Worker: " + num);
    }

    public static void main(String[] args) {
        for (int i = 0; i < 5; i++) {
            int num = i;
            JvmProcess p = new JvmProcess(() -> worker(num));
            p.start();
        }
    }
}
