package org.multiprocessing4j;

/**
 * A {@code long} that threads of several processes read and change atomically, with the
 * operations of {@link java.util.concurrent.atomic.AtomicLong} that take no function: the
 * interface of a {@link SharedLong} (shared memory, within a family of processes) and of a
 * manager's {@link ProcessManager#sharedLong(long)} (in a server that processes anywhere can
 * reach). Each method is one atomic step.
 */
public interface LongValue {
    /**
     * Reads the value.
     *
     * @return the value
     */
    long get();

    /**
     * Sets the value.
     *
     * @param value the new value
     */
    void set(long value);

    /**
     * Sets the value and returns the old one.
     *
     * @param value the new value
     * @return the value before
     */
    long getAndSet(long value);

    /**
     * Sets the value to {@code value} if it is {@code expected}.
     *
     * @param expected the value it must have
     * @param value the new value
     * @return whether it was set
     */
    boolean compareAndSet(long expected, long value);

    /**
     * Adds {@code delta}.
     *
     * @param delta what to add
     * @return the value before
     */
    long getAndAdd(long delta);

    /**
     * Adds {@code delta}.
     *
     * @param delta what to add
     * @return the value after
     */
    long addAndGet(long delta);

    /**
     * Adds one.
     *
     * @return the value after
     */
    long incrementAndGet();

    /**
     * Subtracts one.
     *
     * @return the value after
     */
    long decrementAndGet();

    /**
     * Adds one.
     *
     * @return the value before
     */
    long getAndIncrement();

    /**
     * Subtracts one.
     *
     * @return the value before
     */
    long getAndDecrement();
}
