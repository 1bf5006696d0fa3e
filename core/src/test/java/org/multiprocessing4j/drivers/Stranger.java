package org.multiprocessing4j.drivers;

import java.io.ByteArrayInputStream;
import java.io.ObjectInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.multiprocessing4j.PipeConnection;
import org.multiprocessing4j.ProcessLock;
import org.multiprocessing4j.ProcessQueue;

/**
 * A program the library did not start: it deserializes the handles (Java serialization of a
 * queue, a pipe end or a lock) in the files it is given and uses each once, printing one line
 * per file, {@code NAME: what it did} or {@code NAME: the exception}, then {@code done}. Loads
 * nothing but the library and the JDK, so that it runs with only their classes.
 */
public final class Stranger {
    private Stranger() {
    }

    public static void main(String[] args) {
        for (String file : args) {
            String name = Path.of(file).getFileName().toString();
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(Files.readAllBytes(Path.of(file))))) {
                System.out.println(name + ": " + use(in.readObject()));
            } catch (Exception | Error e) {
                System.out.println(name + ": " + e);
            }
        }
        System.out.println("done");
    }

    @SuppressWarnings("unchecked")
    private static String use(Object o) throws InterruptedException {
        if (o instanceof ProcessQueue) {
            ((ProcessQueue<String>) o).put("from a stranger");
            return "put";
        }
        if (o instanceof PipeConnection) {
            ((PipeConnection) o).send("from a stranger");
            return "sent";
        }
        ProcessLock lock = (ProcessLock) o;
        boolean got = lock.tryLock();
        if (got) {
            lock.unlock();
        }
        return "tryLock " + got;
    }
}
