package org.multiprocessing4j.benchmarks.transport;

import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * What sharing one ring costs: two producer JVMs put ints into one {@link ShmRing} under a
 * producer lock in the shared file; the parent takes them under a consumer lock (as a second
 * consumer would have to). The lock word holds the owner's pid, so that a process finding the
 * owner dead could take the lock over; a producer publishes tail only when its record is
 * whole, so a dead owner leaves no partial item. Waiting is the backoff strategy (no doorbell).
 *
 * <pre>
 * file+0    ready count      file+128  round (go)     file+256 messages per producer
 * file+384  producer lock    file+512  consumer lock  file+1024 ring
 * </pre>
 */
final class MpscProbe {
    static final String T = "shm ring, shared";
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final int READY = 0;
    private static final int ROUND = 128;
    private static final int COUNT = 256;
    private static final int PRODUCER_LOCK = 384;
    private static final int CONSUMER_LOCK = 512;
    private static final int RING = 1024;
    private static final int CAPACITY = 1 << 20;
    private static final int PRODUCERS = 2;

    private MpscProbe() {
    }

    static List<Row> run(Scratch scratch) throws Exception {
        Path file = scratch.file("mpsc-" + System.nanoTime() + ".ring");
        MappedByteBuffer map;
        try (FileChannel fc = FileChannel.open(file, CREATE_NEW, READ, WRITE)) {
            map = fc.map(FileChannel.MapMode.READ_WRITE, 0, RING + ShmRing.bytesFor(CAPACITY));
        }
        List<Peer> peers = new ArrayList<>();
        try {
            for (int i = 0; i < PRODUCERS; i++) {
                peers.add(Peer.start("ring-mp-producer", file.toString()));
            }
            long deadline = System.nanoTime() + 30_000_000_000L;
            while ((long) LONGS.getAcquire(map, READY) != PRODUCERS) {
                for (Peer p : peers) {
                    if (!p.isAlive() || System.nanoTime() > deadline) {
                        throw new IOException("a producer did not attach");
                    }
                }
                Thread.sleep(1);
            }
            Files.delete(file);
            ShmRing ring = new ShmRing(map, RING, CAPACITY);
            long pid = ProcessHandle.current().pid();
            long[] round = {0};
            Rounds.Round r = n -> {
                LONGS.setRelease(map, COUNT, (long) n);
                long t0 = System.nanoTime();
                LONGS.setRelease(map, ROUND, ++round[0]);
                long want = (long) n * PRODUCERS;
                long sum = 0;
                for (long got = 0; got < want; got++) {
                    lock(map, CONSUMER_LOCK, pid);
                    ring.refreshHead();
                    long park = 1_000;
                    int spins = 0;
                    while (!ring.hasRecord()) {
                        if (++spins < 1000) {
                            Thread.onSpinWait();
                        } else {
                            LockSupport.parkNanos(park);
                            park = Math.min(park * 2, 1_000_000);
                            if (!peers.get(0).isAlive() || !peers.get(1).isAlive()) {
                                throw new IOException("a producer died");
                            }
                        }
                    }
                    int idx = ring.next();
                    sum += ring.buffer().getInt(idx);
                    ring.release();
                    unlock(map, CONSUMER_LOCK);
                }
                long t1 = System.nanoTime();
                long expect = PRODUCERS * ((long) n * (n - 1) / 2);
                if (sum != expect) {
                    throw new IllegalStateException("lost or corrupted: sum " + sum + " want " + expect);
                }
                return t1 - t0;
            };
            double[] rates = Rounds.messagesPerSecond(r, 200_000, 50_000_000);
            // messagesPerSecond counts n per round; each round carries PRODUCERS * n messages
            return List.of(Row.rate(T, "small msgs (int), 2 producer JVMs → 1 consumer", Rounds.scale(rates, PRODUCERS),
                    "msg/s", "CAS lock (owner pid) per put and per take; backoff waits"));
        } finally {
            peers.forEach(Peer::close);
            Files.deleteIfExists(file);
        }
    }

    /** Spin, then yield, then park, until the lock word goes 0 → pid. */
    static void lock(MappedByteBuffer map, int at, long pid) {
        int tries = 0;
        while (!LONGS.compareAndSet(map, at, 0L, pid)) {
            tries++;
            if (tries < 200) {
                Thread.onSpinWait();
            } else if (tries < 220) {
                Thread.yield();
            } else {
                LockSupport.parkNanos(1_000);
                // a real queue would check here, now and then, whether the owner's pid is alive
            }
        }
    }

    static void unlock(MappedByteBuffer map, int at) {
        LONGS.setRelease(map, at, 0L);
    }

    /** {@code ring-mp-producer FILE}: each round, puts 0..n-1 under the producer lock. */
    static void producer(String[] args) throws IOException {
        MappedByteBuffer map;
        try (FileChannel fc = FileChannel.open(Path.of(args[0]), READ, WRITE)) {
            map = fc.map(FileChannel.MapMode.READ_WRITE, 0, fc.size());
        }
        ShmRing ring = new ShmRing(map, RING, CAPACITY);
        long pid = ProcessHandle.current().pid();
        LONGS.getAndAdd(map, READY, 1L);
        long done = 0;
        while (true) {
            long park = 1_000;
            while ((long) LONGS.getAcquire(map, ROUND) == done) {
                LockSupport.parkNanos(park);
                park = Math.min(park * 2, 1_000_000);
            }
            done++;
            int n = (int) (long) LONGS.getAcquire(map, COUNT);
            for (int i = 0; i < n; i++) {
                while (true) {
                    lock(map, PRODUCER_LOCK, pid);
                    ring.refreshTail();
                    if (ring.hasSpace(4)) {
                        break;
                    }
                    unlock(map, PRODUCER_LOCK); // full: let the consumer catch up
                    LockSupport.parkNanos(10_000);
                }
                int idx = ring.claim(4, false);
                ring.buffer().putInt(idx, i);
                ring.publish();
                unlock(map, PRODUCER_LOCK);
            }
        }
    }
}
