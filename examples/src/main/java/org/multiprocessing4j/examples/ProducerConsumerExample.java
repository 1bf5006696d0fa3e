package org.multiprocessing4j.examples;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.multiprocessing4j.JoinableProcessQueue;
import org.multiprocessing4j.JvmProcess;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.ProcessQueue;

/**
 * Consumer processes taking tasks from a {@link JoinableProcessQueue} and putting answers on a
 * {@link ProcessQueue}. Port of {@code multiprocessing_producer_consumer.py}.
 *
 * <p>The consumers are a {@link JvmProcess} subclass whose fields are the two queues. A
 * "poison pill" per consumer tells it to stop (Python uses {@code None}; a
 * {@code BlockingQueue} holds no nulls, so here it is a task that says so). The main program
 * waits with {@code tasks.join()} until every task is marked done. Prints
 * {@code Creating N consumers}, one line per task handled and per consumer exiting (in any
 * order), and the ten results (in any order).
 */
public final class ProducerConsumerExample {
    private ProducerConsumerExample() {
    }

    /** A process that handles tasks until it takes a poison pill. */
    static final class Consumer extends JvmProcess {
        private static final long serialVersionUID = 1L;
        private final JoinableProcessQueue<Task> taskQueue;
        private final ProcessQueue<String> resultQueue;

        Consumer(JoinableProcessQueue<Task> taskQueue, ProcessQueue<String> resultQueue) {
            this.taskQueue = taskQueue;
            this.resultQueue = resultQueue;
        }

        @Override
        public void run() {
            String procName = getName();
            try {
                while (true) {
                    Task nextTask = taskQueue.take();
                    if (nextTask.isPoisonPill()) {
                        System.out.println(procName + ": Exiting");
                        taskQueue.taskDone();
                        break;
                    }
                    System.out.println(procName + ": " + nextTask);
                    String answer = nextTask.call();
                    taskQueue.taskDone();
                    resultQueue.put(answer);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Multiplies two numbers, slowly. */
    static final class Task implements Serializable {
        private static final long serialVersionUID = 1L;
        private final int a;
        private final int b;
        private final boolean poisonPill;

        Task(int a, int b) {
            this(a, b, false);
        }

        private Task(int a, int b, boolean poisonPill) {
            this.a = a;
            this.b = b;
            this.poisonPill = poisonPill;
        }

        static Task poisonPill() {
            return new Task(0, 0, true);
        }

        boolean isPoisonPill() {
            return poisonPill;
        }

        String call() throws InterruptedException {
            Thread.sleep(100); // pretend to take time to do the work
            return a + " * " + b + " = " + (a * b);
        }

        @Override
        public String toString() {
            return a + " * " + b;
        }
    }

    public static void main(String[] args) throws InterruptedException {
        // Establish communication queues
        JoinableProcessQueue<Task> tasks = JoinableProcessQueue.create();
        ProcessQueue<String> results = ProcessQueue.create();

        // Start consumers
        int numConsumers = Multiprocessing.cpuCount() * 2;
        System.out.println("Creating " + numConsumers + " consumers");
        List<Consumer> consumers = new ArrayList<>();
        for (int i = 0; i < numConsumers; i++) {
            consumers.add(new Consumer(tasks, results));
        }
        for (Consumer w : consumers) {
            w.start();
        }

        // Enqueue jobs
        int numJobs = 10;
        for (int i = 0; i < numJobs; i++) {
            tasks.put(new Task(i, i));
        }

        // Add a poison pill for each consumer
        for (int i = 0; i < numConsumers; i++) {
            tasks.put(Task.poisonPill());
        }

        // Wait for all of the tasks to finish
        tasks.join();

        // Start printing results
        while (numJobs > 0) {
            String result = results.take();
            System.out.println("Result: " + result);
            numJobs--;
        }
    }
}
