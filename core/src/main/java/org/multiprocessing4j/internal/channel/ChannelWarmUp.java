package org.multiprocessing4j.internal.channel;

import org.multiprocessing4j.ProcessQueue;
import org.multiprocessing4j.internal.codec.Codec;

/**
 * For a JVM booted ahead of need, and for the class-data archive's training run: loads what a
 * child that uses a queue (every pool worker does) needs first: decoding a queue's handle,
 * attaching a segment, putting and taking, a doorbell. Measured in a pool worker, these cost
 * about 60 ms of its start when done cold.
 */
public final class ChannelWarmUp {
    private ChannelWarmUp() {
    }

    /** Runs once; throws nothing it does not have to (it is only a warm-up). */
    public static void run() {
        ProcessQueue<Object> q = Queues.create(4096);
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
