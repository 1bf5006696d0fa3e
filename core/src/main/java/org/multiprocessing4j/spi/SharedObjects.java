package org.multiprocessing4j.spi;

import org.multiprocessing4j.JoinableProcessQueue;
import org.multiprocessing4j.ProcessBarrier;
import org.multiprocessing4j.ProcessEvent;
import org.multiprocessing4j.ProcessLock;
import org.multiprocessing4j.ProcessQueue;
import org.multiprocessing4j.ProcessReentrantLock;
import org.multiprocessing4j.ProcessSemaphore;
import org.multiprocessing4j.SharedByteArray;
import org.multiprocessing4j.SharedDouble;
import org.multiprocessing4j.SharedDoubleArray;
import org.multiprocessing4j.SharedInt;
import org.multiprocessing4j.SharedIntArray;
import org.multiprocessing4j.SharedLong;
import org.multiprocessing4j.SharedLongArray;

/**
 * Makes the public shared objects over a backend's stores, so that a queue or lock of a cluster
 * is the same {@link ProcessQueue} or {@link ProcessLock} a program uses on one machine. Also
 * encodes and decodes items as a local queue does. For the library's backend modules.
 */
public final class SharedObjects {
    private SharedObjects() {
    }

    /** A queue over {@code store}. */
    public static <E> ProcessQueue<E> queue(QueueStore store) {
        throw new UnsupportedOperationException("not yet");
    }

    /** A joinable queue over {@code store}. */
    public static <E> JoinableProcessQueue<E> joinableQueue(QueueStore store) {
        throw new UnsupportedOperationException("not yet");
    }

    /** A lock over {@code store} (a store whose acquisitions do not nest). */
    public static ProcessLock lock(LockStore store) {
        throw new UnsupportedOperationException("not yet");
    }

    /** A reentrant lock over {@code store} (a store whose acquisitions nest). */
    public static ProcessReentrantLock reentrantLock(LockStore store) {
        throw new UnsupportedOperationException("not yet");
    }

    /** A semaphore over {@code store}. */
    public static ProcessSemaphore semaphore(SemaphoreStore store) {
        throw new UnsupportedOperationException("not yet");
    }

    /** An event over {@code store}. */
    public static ProcessEvent event(EventStore store) {
        throw new UnsupportedOperationException("not yet");
    }

    /** A barrier over {@code store}. */
    public static ProcessBarrier barrier(BarrierStore store) {
        throw new UnsupportedOperationException("not yet");
    }

    /** A shared long over {@code store}. */
    public static SharedLong sharedLong(ValueStore store) {
        throw new UnsupportedOperationException("not yet");
    }

    /** A shared int over {@code store}. */
    public static SharedInt sharedInt(ValueStore store) {
        throw new UnsupportedOperationException("not yet");
    }

    /** A shared double over {@code store}. */
    public static SharedDouble sharedDouble(ValueStore store) {
        throw new UnsupportedOperationException("not yet");
    }

    /** A shared long array over {@code store}. */
    public static SharedLongArray sharedLongArray(ArrayStore store) {
        throw new UnsupportedOperationException("not yet");
    }

    /** A shared int array over {@code store}. */
    public static SharedIntArray sharedIntArray(ArrayStore store) {
        throw new UnsupportedOperationException("not yet");
    }

    /** A shared double array over {@code store}. */
    public static SharedDoubleArray sharedDoubleArray(ArrayStore store) {
        throw new UnsupportedOperationException("not yet");
    }

    /** A shared byte array over {@code store}. */
    public static SharedByteArray sharedByteArray(ArrayStore store) {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * Encodes an item as a local queue does (a fast path for boxed primitives, strings and byte
     * arrays; Java serialization for the rest).
     *
     * @param what how to name the item in an error ("an item of a queue")
     * @throws org.multiprocessing4j.ProcessSerializationException naming the class that cannot be
     *         serialized
     */
    public static byte[] encodeItem(Object item, String what) {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * Decodes what {@link #encodeItem} made, behind the library's deserialization filter.
     *
     * @throws org.multiprocessing4j.ProcessSerializationException if it cannot be decoded here (a
     *         class missing from this class path, say)
     */
    public static Object decodeItem(byte[] bytes) {
        throw new UnsupportedOperationException("not yet");
    }
}
