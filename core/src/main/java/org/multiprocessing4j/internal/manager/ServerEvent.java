package org.multiprocessing4j.internal.manager;

import java.time.Duration;
import org.multiprocessing4j.Event;

/**
 * The object behind a manager's {@code event()}: a flag in the server. Waits are cut into
 * slices that check that the waiting client is still there (see {@link CallerWatch}), so that a
 * client that gave up does not keep a server thread waiting.
 */
final class ServerEvent implements Event {
    private boolean set;

    @Override
    public synchronized void set() {
        set = true;
        notifyAll();
    }

    @Override
    public synchronized void clear() {
        set = false;
    }

    @Override
    public synchronized boolean isSet() {
        return set;
    }

    @Override
    public void await() throws InterruptedException {
        awaitNanos(-1);
    }

    @Override
    public boolean await(Duration timeout) throws InterruptedException {
        return awaitNanos(Math.max(0, timeout.toNanos()));
    }

    private synchronized boolean awaitNanos(long timeoutNanos) throws InterruptedException {
        return CallerWatch.awaitOn(this, timeoutNanos, () -> set);
    }

    @Override
    public synchronized String toString() {
        return "manager event[" + (set ? "set" : "clear") + "]";
    }
}
