package org.multiprocessing4j.spi;

import java.io.Serializable;

/**
 * The serial form of a store of a shared object: what a queue, lock or value sends to another
 * process in place of itself, and re-attaches there. A handle names where the state lives; it
 * never carries the state.
 *
 * @param <S> the kind of store it re-attaches to
 */
public interface StoreHandle<S> extends Serializable {
    /**
     * Re-attaches to the store this handle names, in the process that deserialized it. Called
     * once per deserialized handle.
     *
     * @throws IllegalStateException if the store is gone or cannot be reached from this process;
     *         the message says which and why
     */
    S attach();
}
