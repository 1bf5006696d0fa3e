package org.multiprocessing4j.internal.channel;

import org.multiprocessing4j.ProcessQueue;
import org.multiprocessing4j.internal.access.SharedSecrets;
import org.multiprocessing4j.internal.codec.Codec;
import org.multiprocessing4j.internal.codec.ItemCodec;
import org.multiprocessing4j.internal.shm.Backoff;
import org.multiprocessing4j.internal.shm.CacheLine;
import org.multiprocessing4j.internal.shm.Doorbell;
import org.multiprocessing4j.internal.shm.Guard;
import org.multiprocessing4j.internal.shm.SegmentHeader;
import org.multiprocessing4j.internal.shm.SegmentId;
import org.multiprocessing4j.internal.shm.SegmentKind;
import org.multiprocessing4j.internal.shm.SegmentLocator;
import org.multiprocessing4j.internal.shm.SharedMutex;
import org.multiprocessing4j.internal.shm.SharedSegment;
import org.multiprocessing4j.internal.shm.SleeperTable;
import org.multiprocessing4j.internal.shm.Transit;
import org.multiprocessing4j.internal.shm.Words;
import org.multiprocessing4j.spi.StoreHandle;

/**
 * For a JVM booted ahead of need, and for the class-data archive's training run: loads what a
 * child that uses a queue (every pool worker does) needs first: decoding a queue's handle,
 * attaching a segment, putting and taking, a doorbell. Measured in a pool worker, these cost
 * about 60 ms of its start when done cold.
 */
public final class ChannelWarmUp {
    private ChannelWarmUp() {
    }

    /**
     * Loads the classes of the queue path without making shared memory: what an idle JVM does.
     * (A segment file exists for a moment between its creation and its unlinking, and idle JVMs
     * are killed at any moment when their parent no longer needs them.)
     */
    public static void loadClasses() {
        Class<?>[] classes = {
            SharedSegment.class, SegmentId.class, SegmentLocator.class, SegmentHeader.class, SegmentKind.class,
            Words.class, CacheLine.class, QueueChannel.class, LocalQueueStore.class, Ring.class, RingLayout.class,
            SharedMutex.class, SharedMutex.Acquisition.class, SleeperTable.class, Backoff.class, ItemCodec.class,
            Guard.class, ItemCodec.Encoded.class, Transit.class, SharedSecrets.class, ProcessQueue.class,
        };
        for (Class<?> c : classes) {
            try {
                Class.forName(c.getName(), true, c.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                // Only a warm-up.
            }
        }
        try {
            org.multiprocessing4j.internal.platform.ProcessToken.current();
            Doorbell.giveBack(Doorbell.borrow());
        } catch (RuntimeException | LinkageError e) {
            // Only a warm-up.
        }
        try {
            // A queue's handle decoded and attached as a pool worker's are, up to the open that
            // finds nothing: decoding a class the first time generates its serialization
            // accessor, and the attach bootstraps a lambda, each a millisecond or so of the
            // worker's way to its first task otherwise.
            Codec codec = Codec.defaultCodec();
            Object handle = codec.decode(codec.encode(
                    LocalQueueStore.handleOf(SegmentLocator.unreachable(SegmentKind.QUEUE)), "warm-up"));
            ((StoreHandle<?>) handle).attach();
        } catch (Exception | LinkageError nothingThere) {
            // Expected: there is nothing to attach to.
        }
    }

    /** Runs once, with a small real queue; throws nothing it does not have to (it is only a warm-up). */
    public static void run() {
        ProcessQueue<Object> q = SharedSecrets.getProcessQueueAccess().create(4096);
        try {
            Codec codec = Codec.defaultCodec();
            @SuppressWarnings("unchecked")
            ProcessQueue<Object> copy = (ProcessQueue<Object>) codec.decode(codec.encode(q, "warm-up"));
            for (int i = 0; i < 50; i++) {
                copy.put(i);
                copy.put("s");
                copy.put(new byte[] {1});
                q.take();
                q.take();
                q.take();
            }
            org.multiprocessing4j.internal.platform.ProcessToken.current();
            Doorbell.giveBack(Doorbell.borrow());
            copy.close();
        } catch (Exception | LinkageError e) {
            // Only a warm-up.
        } finally {
            q.close();
        }
    }
}
