package org.multiprocessing4j.examples;

import java.util.Arrays;
import org.multiprocessing4j.JvmProcess;
import org.multiprocessing4j.PipeConnection;
import org.multiprocessing4j.ProcessPipe;

/**
 * Exchanging objects through a {@link ProcessPipe}: the example of Python's documentation,
 * "Exchanging objects between processes".
 *
 * <p>The child gets one end by capturing it, sends a list and closes its end. Prints
 * {@code [42, null, hello]}.
 */
public final class PipeExample {
    private PipeExample() {
    }

    static void f(PipeConnection conn) {
        try {
            conn.send(Arrays.asList(42, null, "hello"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        conn.close();
    }

    public static void main(String[] args) throws InterruptedException {
        ProcessPipe pipe = ProcessPipe.open();
        PipeConnection parentConn = pipe.first();
        PipeConnection childConn = pipe.second();
        JvmProcess p = new JvmProcess(() -> f(childConn));
        p.start();
        System.out.println(parentConn.<Object>recv()); // prints "[42, null, hello]"
        p.join();
    }
}
