package org.multiprocessing4j;

import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.time.Duration;
import org.multiprocessing4j.internal.sync.EventCell;
import org.multiprocessing4j.spi.EventStore;

/**
 * A flag shared by the processes of a family, as Python's {@code multiprocessing.Event}: any
 * thread may {@link #set()} or {@link #clear()} it, and {@link #await()} waits until it is set.
 * A waiting thread sleeps until it is set (no CPU used).
 *
 * <p>Memory consistency effects: actions in a thread prior to calling {@code set()}
 * happen-before actions following, in another thread of this or (for the memory they share)
 * another process of the family, the return of an {@code await()} that saw that {@code set()},
 * or of an {@code await(Duration)} or {@code isSet()} that returned true because of it. The flag
 * and a count of {@code set()} calls are one word in shared memory, which {@code set()} and
 * {@code clear()} change by compare-and-set and which {@code await} and {@code isSet()} read
 * with volatile reads. An {@code await(Duration)} that returns false gives no such guarantee.
 */
public final class ProcessEvent implements Event, Serializable {
    private static final long serialVersionUID = 1L;

    private final transient EventStore store;

    ProcessEvent(EventStore store) {
        this.store = store;
    }

    /** Makes an event, not set. */
    public static ProcessEvent create() {
        return new ProcessEvent(EventCell.create());
    }

    /** Sets the flag and wakes every waiter, in every process. */
    public void set() {
        store.set();
    }

    /** Clears the flag. */
    public void clear() {
        store.clear();
    }

    /** Whether the flag is set. */
    public boolean isSet() {
        return store.isSet();
    }

    /**
     * Waits until the flag is set; returns at once if it is. A {@code set()} at once followed by
     * {@code clear()} also ends the wait (as in Python, where {@code wait()} then returns false).
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public void await() throws InterruptedException {
        store.await(-1);
    }

    /**
     * Waits at most {@code timeout} for the flag, as Python's {@code wait(timeout)}.
     *
     * @return whether it is set
     * @throws NullPointerException if {@code timeout} is null
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean await(Duration timeout) throws InterruptedException {
        return store.await(ProcessQueue.nanos(timeout));
    }

    @Override
    public String toString() {
        return "ProcessEvent[" + (isSet() ? "set" : "clear") + "]";
    }

    Object writeReplace() throws ObjectStreamException {
        return Facade.EVENT.handle(store.handle());
    }

    private void readObject(ObjectInputStream in) throws InvalidObjectException {
        throw new InvalidObjectException("an event travels as its handle");
    }
}
