package org.multiprocessing4j;

import org.multiprocessing4j.internal.sync.LockCell;
import org.multiprocessing4j.spi.LockStore;

/**
 * A reentrant lock shared by the processes of a family, as Python's {@code multiprocessing.RLock}:
 * as {@link ProcessLock}, except that the holding thread may lock it again, and must unlock it
 * as many times.
 *
 * <p>Memory consistency effects: those of {@link ProcessLock}. Only the first lock and the last
 * unlock of a holding thread change the lock's word in shared memory, so only they pair with other threads and
 * processes: actions prior to the unlock that frees the lock happen-before actions subsequent to
 * the next successful lock in any process.
 */
public final class ProcessReentrantLock extends ProcessLock {
    private static final long serialVersionUID = 1L;

    ProcessReentrantLock(LockStore store) {
        super(store);
    }

    /** Makes a reentrant lock; any thread may call this. */
    public static ProcessReentrantLock create() {
        return new ProcessReentrantLock(LockCell.create(true));
    }

    /** How many times the calling thread holds the lock (0 if it does not). */
    public int getHoldCount() {
        return store.holdCount();
    }
}
