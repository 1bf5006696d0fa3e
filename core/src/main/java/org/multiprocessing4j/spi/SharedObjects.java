package org.multiprocessing4j.spi;

import java.util.Objects;
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
import org.multiprocessing4j.internal.access.SharedSecrets;
import org.multiprocessing4j.internal.codec.ItemCodec;

/**
 * Makes the public shared objects over a backend's stores, so that a queue or lock of a cluster
 * is the same {@link ProcessQueue} or {@link ProcessLock} a program uses on one machine. Also
 * encodes and decodes items as a local queue does. For the library's backend modules. Every
 * method is thread-safe; a null argument throws a {@link NullPointerException} naming it.
 */
public final class SharedObjects {
    private SharedObjects() {
    }

    /** A queue over {@code store}. */
    @SuppressWarnings("unchecked") // a queue of items of any type: the caller names E
    public static <E> ProcessQueue<E> queue(QueueStore store) {
        return wrap(ProcessQueue.class, store);
    }

    /** A joinable queue over {@code store}. */
    @SuppressWarnings("unchecked") // a queue of items of any type: the caller names E
    public static <E> JoinableProcessQueue<E> joinableQueue(QueueStore store) {
        return wrap(JoinableProcessQueue.class, store);
    }

    /** A lock over {@code store} (a store whose acquisitions do not nest). */
    public static ProcessLock lock(LockStore store) {
        return wrap(ProcessLock.class, store);
    }

    /** A reentrant lock over {@code store} (a store whose acquisitions nest). */
    public static ProcessReentrantLock reentrantLock(LockStore store) {
        return wrap(ProcessReentrantLock.class, store);
    }

    /** A semaphore over {@code store}. */
    public static ProcessSemaphore semaphore(SemaphoreStore store) {
        return wrap(ProcessSemaphore.class, store);
    }

    /** An event over {@code store}. */
    public static ProcessEvent event(EventStore store) {
        return wrap(ProcessEvent.class, store);
    }

    /** A barrier over {@code store}. */
    public static ProcessBarrier barrier(BarrierStore store) {
        return wrap(ProcessBarrier.class, store);
    }

    /** A shared long over {@code store}. */
    public static SharedLong sharedLong(ValueStore store) {
        return wrap(SharedLong.class, store);
    }

    /** A shared int over {@code store}. */
    public static SharedInt sharedInt(ValueStore store) {
        return wrap(SharedInt.class, store);
    }

    /** A shared double over {@code store}. */
    public static SharedDouble sharedDouble(ValueStore store) {
        return wrap(SharedDouble.class, store);
    }

    /** A shared long array over {@code store}. */
    public static SharedLongArray sharedLongArray(ArrayStore store) {
        return wrap(SharedLongArray.class, store);
    }

    /** A shared int array over {@code store}. */
    public static SharedIntArray sharedIntArray(ArrayStore store) {
        return wrap(SharedIntArray.class, store);
    }

    /** A shared double array over {@code store}. */
    public static SharedDoubleArray sharedDoubleArray(ArrayStore store) {
        return wrap(SharedDoubleArray.class, store);
    }

    /** A shared byte array over {@code store}. */
    public static SharedByteArray sharedByteArray(ArrayStore store) {
        return wrap(SharedByteArray.class, store);
    }

    /**
     * Encodes an item as a local queue does (a fast path for boxed primitives, strings and byte
     * arrays; Java serialization for the rest), in the caller's thread. A {@code byte[]} is
     * copied, behind a tag, so that the result describes itself.
     *
     * @param item a non-null item
     * @param what how to name the item in an error ("an item of a queue")
     * @return the bytes, for {@link #decodeItem}
     * @throws org.multiprocessing4j.ProcessSerializationException naming the class that cannot be
     *         serialized
     * @throws NullPointerException if an argument is null
     */
    public static byte[] encodeItem(Object item, String what) {
        Objects.requireNonNull(item, "item");
        Objects.requireNonNull(what, "what");
        return ItemCodec.encodeEmbedded(item, what);
    }

    /**
     * Decodes what {@link #encodeItem} made, behind the library's deserialization filter, as a
     * local queue's {@code take()} does. Only for bytes from a peer that proved it holds the key:
     * decoding runs the classes' own code.
     *
     * @param bytes what {@code encodeItem} returned
     * @return a new item
     * @throws IllegalStateException if it cannot be decoded here (a class missing from this class
     *         path, say), with the message a local queue's {@code take()} gives
     * @throws NullPointerException if {@code bytes} is null
     */
    public static Object decodeItem(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        return ItemCodec.decodeEmbedded(bytes, 0, bytes.length);
    }

    private static <T> T wrap(Class<T> type, Object store) {
        return SharedSecrets.getSharedObjectAccess().wrap(type, Objects.requireNonNull(store, "store"));
    }
}
