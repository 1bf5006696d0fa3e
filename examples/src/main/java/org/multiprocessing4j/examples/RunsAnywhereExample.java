package org.multiprocessing4j.examples;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import org.multiprocessing4j.JvmProcess;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.ProcessContext;
import org.multiprocessing4j.ProcessPool;
import org.multiprocessing4j.ProcessQueue;
import org.multiprocessing4j.StartMethod;

/**
 * One program, however it is packaged and launched: a lambda, a subclass and a pool under both
 * start methods, each sending back an object of this program's own class. Its integration tests
 * run it from a shaded jar ({@code java -jar}), a Spring Boot executable jar ({@code java -jar},
 * its classes in nested jars), {@code mvn exec:java} (its classes in a Maven class loader) and
 * a plugin host's {@code URLClassLoader}: wherever the parent found these classes, its children
 * find them too.
 *
 * <p>Prints, for each start method, one line for what each kind of child sent back, then
 * {@code done}.
 */
public final class RunsAnywhereExample {
    private RunsAnywhereExample() {
    }

    /** What a child sends back: a class of this program, not of the JDK or the library. */
    record Greeting(String from, long pid) implements Serializable {
        String describe() {
            return from + " in another process: " + (pid != ProcessHandle.current().pid());
        }
    }

    /** A subclass: its class, too, must be found in the child. */
    static final class Greeter extends JvmProcess {
        private final ProcessQueue<Greeting> replies;

        Greeter(ProcessQueue<Greeting> replies) {
            this.replies = replies;
        }

        @Override
        public void run() {
            reply(replies, "subclass");
        }
    }

    static void reply(ProcessQueue<Greeting> replies, String from) {
        try {
            replies.put(new Greeting(from, ProcessHandle.current().pid()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Greeting awaitReply(ProcessQueue<Greeting> replies, JvmProcess from) throws InterruptedException {
        Greeting reply = replies.poll(Duration.ofSeconds(60));
        if (reply == null) {
            throw new IllegalStateException("no reply within 60 s from " + from + ", exit code " + from.exitCode());
        }
        return reply;
    }

    static int square(int x) {
        return x * x;
    }

    public static void main(String[] args) throws InterruptedException {
        for (StartMethod method : StartMethod.values()) {
            ProcessContext context = Multiprocessing.getContext(method);
            ProcessQueue<Greeting> replies = context.queue();

            JvmProcess lambda = context.process(() -> reply(replies, "lambda"));
            lambda.start();
            System.out.println(method + " " + awaitReply(replies, lambda).describe());
            lambda.join();

            JvmProcess subclass = context.bind(new Greeter(replies));
            subclass.start();
            System.out.println(method + " " + awaitReply(replies, subclass).describe());
            subclass.join();

            try (ProcessPool pool = context.pool(2)) {
                List<Integer> squares = pool.map(RunsAnywhereExample::square, List.of(1, 2, 3));
                Greeting fromPool = pool.apply(() -> new Greeting("pool", ProcessHandle.current().pid()));
                System.out.println(method + " pool: " + squares + ", " + fromPool.describe());
            }
            replies.close();
        }
        System.out.println("done");
    }
}
