package org.multiprocessing4j.internal.manager;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.Lock;
import org.multiprocessing4j.Event;
import org.multiprocessing4j.LongValue;
import org.multiprocessing4j.SerializableSupplier;

/** The typeids every manager has, and their registrations. */
public final class BuiltInTypes {
    /** {@code dict()}: a {@link ConcurrentHashMap}. */
    public static final String DICT = "dict";
    /** {@code list()}: an {@link ArrayList}, called one call at a time. */
    public static final String LIST = "list";
    /** {@code queue()}: a {@link ServerQueue}. */
    public static final String QUEUE = "queue";
    /** {@code lock()}: a {@link ServerLock}. */
    public static final String LOCK = "lock";
    /** {@code event()}: a {@link ServerEvent}. */
    public static final String EVENT = "event";
    /** {@code sharedLong(v)}: a {@link ServerLong}. */
    public static final String LONG = "long";

    /** Every built-in type, in the order a manager registers them. */
    public static final List<Registration> REGISTRATIONS = List.of(
            new Registration(DICT, ConcurrentMap.class, (SerializableSupplier<Object>) ConcurrentHashMap::new, false, true),
            new Registration(LIST, List.class, (SerializableSupplier<Object>) ArrayList::new, true, true),
            new Registration(QUEUE, BlockingQueue.class, (SerializableSupplier<Object>) ServerQueue::new, false, true),
            new Registration(LOCK, Lock.class, (SerializableSupplier<Object>) ServerLock::new, false, true),
            new Registration(EVENT, Event.class, (SerializableSupplier<Object>) ServerEvent::new, false, true),
            new Registration(LONG, LongValue.class, (SerializableSupplier<Object>) ServerLong::new, false, true));

    private BuiltInTypes() {
    }
}
