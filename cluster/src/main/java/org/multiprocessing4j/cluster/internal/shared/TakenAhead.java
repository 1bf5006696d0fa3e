package org.multiprocessing4j.cluster.internal.shared;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The items of unbounded queues that this process has taken ahead from its relay: a process
 * that takes faster than one call per item allows gets several per call, and takes the rest
 * from memory. How many depends on how fast it took the last ones: one at a time at first and
 * whenever it is slow, twice as many as the last time while it takes them within
 * {@link #FAST_NANOS} each, at most {@link #MAX_WANT}.
 *
 * <p>The relay lends them: it keeps them until this process's count of items consumed from that
 * queue, a long in a file of the relay's directory that this process maps and writes before it
 * returns each item, says they were taken. The count is a store to shared memory (no call, no
 * wake-up), and it outlives this process: when the process ends, however it ends, the relay
 * reads the counts and gives the items that were not taken back to the node's other takers and
 * then to the queue. An item is taken at most once, and an item this process never returned to
 * its caller is not lost with it. Items that this process has not taken for {@link #IDLE_NANOS}
 * go back to the relay while it lives, so that a process that stopped taking does not keep them
 * from others.
 */
final class TakenAhead {
    static final int MAX_WANT = 64;
    static final long FAST_NANOS = TimeUnit.MICROSECONDS.toNanos(200);
    /** The number of counts in the file; queues beyond are taken one item per call. */
    static final int SLOTS = 512;
    /** Items taken ahead and not taken for this long go back to the relay. */
    static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final String fileName;
    private final MappedByteBuffer counts;
    private final Map<String, Local> locals = new ConcurrentHashMap<>();
    private int slots;

    /** The items taken ahead from one queue, and the count of those consumed. */
    static final class Local {
        final int slot;
        final ArrayDeque<byte[]> items = new ArrayDeque<>();
        final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
        long consumed;
        int lastWant = 1;
        long lentAt;
        long lastTake;

        Local(int slot) {
            this.slot = slot;
        }
    }

    TakenAhead(Path dir) throws IOException {
        fileName = "acks-" + ProcessHandle.current().pid() + "-" + Long.toHexString(new SecureRandom().nextLong());
        Path file = dir.resolve(fileName);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            counts = ch.map(FileChannel.MapMode.READ_WRITE, 0, SLOTS * 8L);
        } catch (IOException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /** The name of the counts' file, which the relay deletes when this process ends. */
    String fileName() {
        return fileName;
    }

    /**
     * Takes an item of {@code queue}: from memory, else by {@code lend} (a call to the relay
     * with the slot and how many to ask for), which waits at most a slice; by {@code single} (a
     * plain take) if another thread of this process is taking from it. Null if none came.
     */
    byte[] take(String queue, Function<Local, List<byte[]>> lend, java.util.function.Supplier<byte[]> single) {
        Local local = locals.computeIfAbsent(queue, q -> newLocal());
        if (local == null) {
            return single.get(); // no slot left: one item per call
        }
        // One thread at a time per queue: the relay lends in the order of the calls, and the
        // count must follow the same order (the items not consumed are the last ones lent). A
        // thread that finds another one taking (perhaps waiting a slice for an item) takes one
        // item per call meanwhile, rather than wait behind it past its own timeout.
        if (!local.lock.tryLock()) {
            return single.get();
        }
        try {
            byte[] item = local.items.poll();
            if (item == null) {
                long now = System.nanoTime();
                boolean fast = local.lentAt != 0 && now - local.lentAt < local.lastWant * FAST_NANOS;
                local.lastWant = fast ? Math.min(MAX_WANT, local.lastWant * 2) : 1;
                List<byte[]> got = lend.apply(local);
                local.lentAt = System.nanoTime();
                if (got == null || got.isEmpty()) {
                    local.lentAt = 0;
                    return null;
                }
                local.items.addAll(got);
                item = local.items.poll();
            }
            local.consumed++;
            counts.putLong(local.slot * 8, local.consumed);
            local.lastTake = System.nanoTime();
            return item;
        } finally {
            local.lock.unlock();
        }
    }

    /**
     * Gives back, by {@code giveBack} (a call to the relay with the slot and the count), the items
     * of each queue that this process has not taken for {@link #IDLE_NANOS}: a process that
     * stopped taking must not keep them from others.
     */
    void giveBackIdle(java.util.function.BiPredicate<Local, Integer> giveBack) {
        long now = System.nanoTime();
        for (Local local : locals.values()) {
            if (!local.lock.tryLock()) {
                continue; // being taken from: not idle
            }
            try {
                int n = local.items.size();
                // Cleared only once the relay has them back: if the call fails, they stay here.
                if (n > 0 && now - local.lastTake > IDLE_NANOS && giveBack.test(local, n)) {
                    local.items.clear();
                    local.lentAt = 0;
                }
            } finally {
                local.lock.unlock();
            }
        }
    }

    private synchronized Local newLocal() {
        if (slots >= SLOTS) {
            return null;
        }
        return new Local(slots++);
    }
}
