package org.multiprocessing4j.examples;

import org.multiprocessing4j.JvmProcess;
import org.multiprocessing4j.ProcessLock;

/**
 * Synchronization between processes: a {@link ProcessLock} keeps the children's output from
 * interleaving. The example of Python's documentation, "Synchronization between processes".
 *
 * <p>Prints {@code hello world 0} to {@code hello world 9}, one line each, in any order.
 */
public final class LockExample {
    private LockExample() {
    }

    static void f(ProcessLock l, int i) {
        l.lock();
        try {
            System.out.println("hello world " + i);
        } finally {
            l.unlock();
        }
    }

    public static void main(String[] args) {
        ProcessLock lock = ProcessLock.create();
        for (int num = 0; num < 10; num++) {
            int i = num;
            new JvmProcess(() -> f(lock, i)).start();
        }
    }
}
