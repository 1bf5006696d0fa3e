package org.multiprocessing4j.drivers;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.multiprocessing4j.JoinableProcessQueue;
import org.multiprocessing4j.ProcessBarrier;
import org.multiprocessing4j.ProcessCondition;
import org.multiprocessing4j.ProcessEvent;
import org.multiprocessing4j.ProcessLock;
import org.multiprocessing4j.ProcessPipe;
import org.multiprocessing4j.ProcessQueue;
import org.multiprocessing4j.ProcessReentrantLock;
import org.multiprocessing4j.ProcessSemaphore;
import org.multiprocessing4j.SharedDoubleArray;
import org.multiprocessing4j.SharedLong;
import org.multiprocessing4j.SharedMemory;

/**
 * Makes shared objects where shared memory may not be made (a {@code -Dmultiprocessing4j.shmdir}
 * that cannot be created, a file-size limit), printing a line per attempt, {@code NAME: ok} or
 * {@code NAME: the exception}, then {@code done}.
 *
 * <p>{@code kinds}: one object of every kind. {@code overflow}: an unbounded queue whose ring
 * can be made but whose overflow segment cannot; prints what each put did and then every item
 * taken, as {@code taken: ...}.
 */
public final class ShmProbe {
    private ShmProbe() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("kinds")) {
            Map<String, Supplier<Object>> kinds = new LinkedHashMap<>();
            kinds.put("queue", ProcessQueue::create);
            kinds.put("bounded queue", () -> ProcessQueue.create(10));
            kinds.put("joinable queue", JoinableProcessQueue::create);
            kinds.put("pipe", ProcessPipe::open);
            kinds.put("lock", ProcessLock::create);
            kinds.put("reentrant lock", ProcessReentrantLock::create);
            kinds.put("condition", ProcessCondition::create);
            kinds.put("semaphore", () -> ProcessSemaphore.create(1));
            kinds.put("event", ProcessEvent::create);
            kinds.put("barrier", () -> ProcessBarrier.create(2));
            kinds.put("shared long", () -> SharedLong.create(1));
            kinds.put("shared array", () -> SharedDoubleArray.create(1000));
            kinds.put("shared memory", () -> SharedMemory.create(1 << 16));
            kinds.put("named shared memory", () -> SharedMemory.create("probe" + ProcessHandle.current().pid(), 1 << 16));
            for (Map.Entry<String, Supplier<Object>> k : kinds.entrySet()) {
                try {
                    Object made = k.getValue().get();
                    System.out.println(k.getKey() + ": ok");
                    if (made instanceof SharedMemory) {
                        ((SharedMemory) made).unlink();
                    }
                } catch (RuntimeException | Error e) {
                    System.out.println(k.getKey() + ": " + e);
                }
            }
        } else {
            overflow();
        }
        System.out.println("done");
    }

    private static void overflow() throws InterruptedException {
        ProcessQueue<Object> q = ProcessQueue.create();
        // 2 MiB fits the 4 MiB ring; 3 MiB does not (with its chunks' headers), so it needs an overflow segment.
        Object[] items = {"a", new byte[2 << 20], new byte[3 << 20], "b"};
        for (Object item : items) {
            try {
                q.put(item);
                System.out.println("put " + describe(item) + ": ok");
            } catch (RuntimeException e) {
                System.out.println("put " + describe(item) + ": " + e);
            }
        }
        try {
            System.out.println("offer " + describe(items[2]) + ": " + q.offer(items[2]));
        } catch (RuntimeException e) {
            System.out.println("offer " + describe(items[2]) + ": " + e);
        }
        System.out.println("size: " + q.size());
        for (Object item = q.poll(); item != null; item = q.poll()) {
            System.out.println("taken: " + describe(item));
        }
        q.put("after");
        System.out.println("taken: " + q.poll());
    }

    private static String describe(Object item) {
        return item instanceof byte[] ? ((byte[]) item).length + " bytes" : item.toString();
    }
}
