package org.multiprocessing4j.spi;

/**
 * Where the permits of a {@link org.multiprocessing4j.ProcessSemaphore} are counted. A timeout of
 * {@code -1} nanoseconds means wait as long as it takes, {@code 0} means do not wait.
 */
public interface SemaphoreStore {
    /**
     * Takes {@code permits} permits at once.
     *
     * @return false if they were not all available within the timeout (none taken)
     * @throws InterruptedException if interrupted while waiting (none taken)
     */
    boolean acquire(int permits, long timeoutNanos) throws InterruptedException;

    /**
     * Gives back {@code permits} permits.
     *
     * @throws IllegalStateException if a bounded semaphore would hold more than it started with
     *         (nothing changes)
     */
    void release(int permits);

    /** The permits available now (a snapshot). */
    int available();

    /** Takes every available permit and returns how many. */
    int drain();

    /** Whether a release may not exceed the initial permits. */
    boolean isBounded();

    /** The serial form of this store. */
    StoreHandle<SemaphoreStore> handle();
}
