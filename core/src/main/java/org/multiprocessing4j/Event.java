package org.multiprocessing4j;

import java.time.Duration;

/**
 * A flag that threads of several processes set, clear and wait for, as Python's {@code Event}:
 * the interface of a {@link ProcessEvent} (shared memory, within a family of processes) and of a
 * manager's {@link ProcessManager#event()} (in a server that processes anywhere can reach), so
 * that code which waits for one does not care which it has.
 */
public interface Event {
    /** Sets the flag and wakes every thread waiting for it. */
    void set();

    /** Clears the flag. */
    void clear();

    /**
     * Whether the flag is set.
     *
     * @return true if it is
     */
    boolean isSet();

    /**
     * Waits until the flag is set; returns at once if it is.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    void await() throws InterruptedException;

    /**
     * Waits at most {@code timeout} for the flag, as Python's {@code wait(timeout)}.
     *
     * @param timeout how long to wait at most
     * @return whether it is set
     * @throws NullPointerException if {@code timeout} is null
     * @throws InterruptedException if interrupted while waiting
     */
    boolean await(Duration timeout) throws InterruptedException;
}
