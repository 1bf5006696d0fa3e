package org.multiprocessing4j.spi;

/** Where the flag of a {@link org.multiprocessing4j.ProcessEvent} lives. */
public interface EventStore {
    /** Sets the flag and wakes every waiter. */
    void set();

    /** Clears the flag. */
    void clear();

    /** Whether the flag is set now. */
    boolean isSet();

    /**
     * Waits until the flag is set ({@code -1}: as long as it takes, {@code 0}: do not wait).
     *
     * @return whether it is set
     */
    boolean await(long timeoutNanos) throws InterruptedException;

    /** The serial form of this store. */
    StoreHandle<EventStore> handle();
}
