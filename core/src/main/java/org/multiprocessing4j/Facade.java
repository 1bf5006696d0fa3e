package org.multiprocessing4j;

import java.io.Serializable;
import org.multiprocessing4j.internal.access.SharedObjectAccess;
import org.multiprocessing4j.internal.access.SharedSecrets;
import org.multiprocessing4j.spi.ArrayStore;
import org.multiprocessing4j.spi.BarrierStore;
import org.multiprocessing4j.spi.EventStore;
import org.multiprocessing4j.spi.LockStore;
import org.multiprocessing4j.spi.QueueStore;
import org.multiprocessing4j.spi.SemaphoreStore;
import org.multiprocessing4j.spi.StoreHandle;
import org.multiprocessing4j.spi.ValueStore;

/**
 * The public classes a store is wrapped in, one constant each: how a shared object is rebuilt
 * over its store where it arrives ({@link #handle}), and how a backend's store becomes one
 * ({@link SharedObjectAccess}, for {@code spi.SharedObjects}). A condition travels with its lock
 * instead (see {@link ProcessCondition}).
 */
enum Facade {
    QUEUE(ProcessQueue.class),
    JOINABLE_QUEUE(JoinableProcessQueue.class),
    LOCK(ProcessLock.class),
    REENTRANT_LOCK(ProcessReentrantLock.class),
    SEMAPHORE(ProcessSemaphore.class),
    EVENT(ProcessEvent.class),
    BARRIER(ProcessBarrier.class),
    LONG(SharedLong.class),
    INT(SharedInt.class),
    DOUBLE(SharedDouble.class),
    LONG_ARRAY(SharedLongArray.class),
    INT_ARRAY(SharedIntArray.class),
    DOUBLE_ARRAY(SharedDoubleArray.class),
    BYTE_ARRAY(SharedByteArray.class);

    static {
        SharedSecrets.setSharedObjectAccess(new Access());
    }

    private final Class<?> type;

    Facade(Class<?> type) {
        this.type = type;
    }

    /** What a shared object of this class sends in place of itself: its store's handle. */
    Object handle(StoreHandle<?> store) {
        return new Handle(store, this, null);
    }

    /**
     * As {@link #handle(StoreHandle)}, with what else the object needs that is not in its store
     * and travels as a copy: a barrier's action.
     */
    Object handle(StoreHandle<?> store, Serializable extra) {
        return new Handle(store, this, extra);
    }

    /**
     * A new object of this class over {@code store} (and, for a barrier, with {@code extra} as
     * its action). A switch rather than a lambda per constant: every child that receives a
     * shared object comes here as it starts, and lambdas would cost it their bootstrap.
     */
    private Object wrap(Object store, Object extra) {
        switch (this) {
            case QUEUE:
                return new ProcessQueue<>((QueueStore) store);
            case JOINABLE_QUEUE:
                return new JoinableProcessQueue<>((QueueStore) store);
            case LOCK:
                return new ProcessLock((LockStore) store);
            case REENTRANT_LOCK:
                return new ProcessReentrantLock((LockStore) store);
            case SEMAPHORE:
                return new ProcessSemaphore((SemaphoreStore) store);
            case EVENT:
                return new ProcessEvent((EventStore) store);
            case BARRIER:
                return new ProcessBarrier((BarrierStore) store, (SerializableRunnable) extra);
            case LONG:
                return new SharedLong((ValueStore) store);
            case INT:
                return new SharedInt((ValueStore) store);
            case DOUBLE:
                return new SharedDouble((ValueStore) store);
            case LONG_ARRAY:
                return new SharedLongArray((ArrayStore) store);
            case INT_ARRAY:
                return new SharedIntArray((ArrayStore) store);
            case DOUBLE_ARRAY:
                return new SharedDoubleArray((ArrayStore) store);
            default:
                return new SharedByteArray((ArrayStore) store);
        }
    }

    /** For {@code spi.SharedObjects}: the constant of a public class. */
    private static final class Access implements SharedObjectAccess {
        @Override
        public <T> T wrap(Class<T> type, Object store) {
            for (Facade f : values()) {
                if (f.type == type) {
                    return type.cast(f.wrap(store, null));
                }
            }
            throw new IllegalArgumentException(type + " is not a shared object's class");
        }
    }

    /**
     * A shared object in transit: its store's handle, attached again on arrival, and what else
     * it carries as a copy (a barrier's action), or null.
     */
    private static final class Handle implements Serializable {
        private static final long serialVersionUID = 1L;
        private final StoreHandle<?> store;
        private final Facade facade;
        private final Serializable extra;

        Handle(StoreHandle<?> store, Facade facade, Serializable extra) {
            this.store = store;
            this.facade = facade;
            this.extra = extra;
        }

        private Object readResolve() {
            return facade.wrap(store.attach(), extra);
        }
    }
}
