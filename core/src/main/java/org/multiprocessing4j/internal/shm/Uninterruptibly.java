package org.multiprocessing4j.internal.shm;

import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;

/**
 * Runs file-channel work as if the calling thread were not interrupted. A {@code FileChannel} is
 * an interruptible channel: an interrupt, even one set long before the call, closes it at its
 * next read, write, size or map. A shared object made or opened by a thread whose interrupt
 * status is set (a pool worker whose task was cancelled, code that keeps an interrupt for later,
 * as {@code awaitUninterruptibly} does) would then fail as if the disk were full or every holder
 * gone, and a handle decoded there would lose the item carrying it. Making and mapping a segment
 * does not wait for anyone, so it has nothing to give up early: the status is cleared for the
 * work and set again after it, and work whose channel an interrupt closed meanwhile is done
 * again from the start (each piece of work cleans up what it made before it throws).
 */
final class Uninterruptibly {
    /** Work on channels it opens and closes itself. */
    interface ChannelWork<T> {
        T run() throws IOException;
    }

    private Uninterruptibly() {
    }

    static <T> T run(ChannelWork<T> work) throws IOException {
        boolean interrupted = Thread.interrupted();
        try {
            while (true) {
                try {
                    return work.run();
                } catch (ClosedByInterruptException e) {
                    interrupted = true;
                    Thread.interrupted(); // cleared again for the next try; set again in the end
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
