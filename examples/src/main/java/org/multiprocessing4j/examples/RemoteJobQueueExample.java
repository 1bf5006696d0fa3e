package org.multiprocessing4j.examples;

import java.io.Serializable;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.stream.LongStream;
import org.multiprocessing4j.JvmProcess;
import org.multiprocessing4j.ProcessManager;

/**
 * A job queue served by one JVM and worked by others that connect to it: a served
 * {@link ProcessManager}. The example of Python's documentation, "Using a remote manager":
 *
 * <pre>
 * class QueueManager(BaseManager): pass
 * QueueManager.register('get_queue', callable=lambda:queue)
 * m = QueueManager(address=('', 50000), authkey=b'abracadabra')
 * m.get_server().serve_forever()
 *
 * # in another interpreter
 * m = QueueManager(address=('foo.bar.org', 50000), authkey=b'abracadabra')
 * m.connect()
 * queue = m.get_queue()
 * </pre>
 *
 * <p>This JVM serves the queues {@code jobs} and {@code results} on the loopback interface, at
 * a port the system picks, with a random authkey. Two workers connect with only that address
 * and key, as JVMs started elsewhere would; here they are child processes so that the example
 * runs alone. Each takes numbers from {@code jobs} until it takes {@code NO_MORE_JOBS}, and puts
 * their factorials on {@code results}. Prints {@code 1! = 1} to {@code 10! = 3628800}, in that
 * order whichever worker finished first.
 */
public final class RemoteJobQueueExample {
    private static final int JOBS = 10;
    private static final int WORKERS = 2;
    /** One per worker, after the jobs: a {@code BlockingQueue} holds no nulls (Python uses {@code None}). */
    private static final int NO_MORE_JOBS = -1;

    private RemoteJobQueueExample() {
    }

    /** A job's answer; it travels through the server, so it is serializable. */
    record Result(int job, long factorial) implements Serializable {
    }

    /** A worker: all it knows of the server is where it listens and its key. */
    static void work(SocketAddress address, byte[] authkey) {
        try (ProcessManager manager = ProcessManager.connect(address, authkey)) {
            BlockingQueue<Integer> jobs = manager.queue("jobs");
            BlockingQueue<Result> results = manager.queue("results");
            for (int n = jobs.take(); n != NO_MORE_JOBS; n = jobs.take()) {
                results.put(new Result(n, LongStream.rangeClosed(1, n).reduce(1, Math::multiplyExact)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static void main(String[] args) throws InterruptedException {
        byte[] authkey = new byte[32];
        new SecureRandom().nextBytes(authkey); // shown nowhere: whoever has it may call the server
        // The loopback interface only: nothing on another machine can reach the queues. Port 0
        // lets the system pick a free port; address() says which.
        SocketAddress where = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try (ProcessManager server = ProcessManager.serve(where, authkey)) {
            SocketAddress address = server.address().orElseThrow();
            BlockingQueue<Integer> jobs = server.queue("jobs");
            BlockingQueue<Result> results = server.queue("results");
            for (int n = 1; n <= JOBS; n++) {
                jobs.put(n);
            }
            for (int i = 0; i < WORKERS; i++) {
                jobs.put(NO_MORE_JOBS);
            }

            List<JvmProcess> workers = new ArrayList<>();
            for (int i = 0; i < WORKERS; i++) {
                JvmProcess w = new JvmProcess(() -> work(address, authkey));
                w.start();
                workers.add(w);
            }

            List<Result> done = new ArrayList<>();
            for (int i = 0; i < JOBS; i++) {
                done.add(results.take());
            }
            done.sort(Comparator.comparingInt(Result::job)); // they arrive as the workers finish
            for (Result r : done) {
                System.out.println(r.job() + "! = " + r.factorial());
            }
            for (JvmProcess w : workers) {
                w.join();
            }
        } // close(): stops serving, so this JVM can exit
    }
}
