package org.multiprocessing4j;

import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.ObjectStreamException;
import java.io.Serializable;
import org.multiprocessing4j.spi.ValueStore;

/**
 * A number in shared memory that every process of a family sees, as Python's
 * {@code multiprocessing.Value}: {@link SharedLong}, {@link SharedInt}, {@link SharedDouble}.
 * Single operations are atomic (unlike Python's {@code value += 1}); for compound updates hold
 * {@link #getLock()}, as in Python. Passed to a child by capture, as a handle to the same memory.
 *
 * <p>Memory consistency effects: as for {@link java.util.concurrent.atomic.AtomicLong}, across
 * processes too. {@code get()} has the memory effects of reading a volatile variable and
 * {@code set()} of writing one (a volatile read and a volatile write of the word in shared
 * memory: not merely acquire or release); {@code getAndSet}, {@code compareAndSet},
 * {@code getAndAdd} and the methods built on them ({@code addAndGet}, {@code incrementAndGet},
 * {@code updateAndGet}, {@code accumulateAndGet}, {@code SharedDouble}'s adds, which are
 * compare-and-set loops) have those of both reading and writing. So a thread that reads a value
 * written by a thread of another process also sees what that thread wrote to shared memory
 * before it. There are no weaker forms ({@code lazySet}, acquire/release, plain or
 * {@code weakCompareAndSet}). Unlike Python's {@code Value}, these methods do not take
 * {@link #getLock()}: holding the lock does not stop another thread's {@code set} or
 * {@code incrementAndGet}, so a compound update under the lock is atomic only against code
 * that also holds it. The lock has the memory effects of a {@link ProcessLock}.
 */
public abstract class SharedValue implements Serializable {
    private static final long serialVersionUID = 1L;

    final transient ValueStore store;
    private final transient ProcessReentrantLock lock;

    SharedValue(ValueStore store) {
        this.store = store;
        this.lock = new ProcessReentrantLock(store.lock());
    }

    /** The reentrant lock that goes with this value, for compound updates (Python's {@code get_lock()}). */
    public ProcessReentrantLock getLock() {
        return lock;
    }

    /** Which of the public classes this is, so that it arrives as the same. */
    abstract Facade facade();

    Object writeReplace() throws ObjectStreamException {
        return facade().handle(store.handle());
    }

    private void readObject(ObjectInputStream in) throws InvalidObjectException {
        throw new InvalidObjectException("a shared value travels as its handle");
    }
}
