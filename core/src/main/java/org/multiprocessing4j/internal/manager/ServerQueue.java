package org.multiprocessing4j.internal.manager;

import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;

/**
 * The object behind a manager's {@code queue()}: an unbounded FIFO queue in the server whose
 * {@code take} and timed {@code poll} wait in slices that check that the waiting client is still
 * there, and put an item back at the head if its client is gone before the reply is sent (see
 * {@link CallerWatch}): an interrupted or dead consumer loses no item. Such an item may come
 * out after one put later, if another consumer took that one meanwhile.
 */
final class ServerQueue<E> extends LinkedBlockingDeque<E> {
    private static final long serialVersionUID = 1L;

    @Override
    public E take() throws InterruptedException {
        return poll(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
    }

    @Override
    public E poll(long timeout, TimeUnit unit) throws InterruptedException {
        long timeoutNanos = Math.max(0, unit.toNanos(timeout));
        long deadline = System.nanoTime() + timeoutNanos;
        while (true) {
            long left = timeoutNanos == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
            E item = super.poll(Math.min(CallerWatch.SLICE_NANOS, Math.max(0, left)), TimeUnit.NANOSECONDS);
            if (item != null) {
                // The serving loop puts it back if the client is gone by the time of the reply.
                CallerWatch.undoIfUnanswered(() -> offerFirst(item));
                return item;
            }
            if (left <= 0) {
                return null;
            }
            CallerWatch.checkCaller();
        }
    }

    @Override
    public E poll() {
        E item = super.poll();
        if (item != null) {
            CallerWatch.undoIfUnanswered(() -> offerFirst(item));
        }
        return item;
    }
}
