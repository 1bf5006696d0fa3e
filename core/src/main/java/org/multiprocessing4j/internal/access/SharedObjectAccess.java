package org.multiprocessing4j.internal.access;

/**
 * The constructors of the shared objects ({@code ProcessQueue}, {@code ProcessLock},
 * {@code SharedLong}, ...), which take a store and are not public. Implemented in their package
 * by the class that also rebuilds them from their handles (see {@link SharedSecrets}).
 */
public interface SharedObjectAccess {
    /**
     * The public object of class {@code type} over {@code store}.
     *
     * @param type a shared object's class, exactly ({@code ProcessReentrantLock.class} for a
     *        reentrant lock)
     * @param store a store of the kind that class uses ({@code LockStore} for a lock)
     * @throws IllegalArgumentException if {@code type} is not a shared object's class
     */
    <T> T wrap(Class<T> type, Object store);
}
