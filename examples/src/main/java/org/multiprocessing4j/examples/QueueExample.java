package org.multiprocessing4j.examples;

import java.io.Serializable;
import org.multiprocessing4j.JvmProcess;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.ProcessQueue;

/**
 * Passing an object to a child through a {@link ProcessQueue}. Port of
 * {@code multiprocessing_queue.py}, from the chapter's next section.
 *
 * <p>The queue travels to the child because the target captures it; the object put on it is
 * serialized and rebuilt in the child. Prints {@code Doing something fancy in Process-1 for
 * Fancy Dan!}.
 */
public final class QueueExample {
    private QueueExample() {
    }

    /** An object of the program's own class, sent to another process. */
    static final class MyFancyClass implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String name;

        MyFancyClass(String name) {
            this.name = name;
        }

        void doSomething() {
            String procName = Multiprocessing.currentProcess().getName();
            System.out.println("Doing something fancy in " + procName + " for " + name + "!");
        }
    }

    static void worker(ProcessQueue<MyFancyClass> q) {
        try {
            MyFancyClass obj = q.take();
            obj.doSomething();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static void main(String[] args) throws InterruptedException {
        ProcessQueue<MyFancyClass> queue = ProcessQueue.create();
        JvmProcess p = new JvmProcess(() -> worker(queue));
        p.start();
        queue.put(new MyFancyClass("Fancy Dan"));
        // Wait for the worker to finish. (Python must also close the queue and join its feeder
        // thread here; items put here live in shared memory, so there is no such thread.)
        queue.close();
        p.join();
    }
}
