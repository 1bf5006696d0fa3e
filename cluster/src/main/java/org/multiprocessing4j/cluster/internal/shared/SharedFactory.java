package org.multiprocessing4j.cluster.internal.shared;

import java.util.List;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
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
import org.multiprocessing4j.spi.SharedObjects;

/**
 * Makes a driver's shared objects in its cluster: private ones with ids of its program (destroyed
 * when the driver closes, or by the nodes when it dies), and named ones, which any program of the
 * cluster reaches by name and which live until destroyed.
 */
public final class SharedFactory {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_\\-]{1,200}");
    private static final String[] KINDS = {"", "queue", "joinable queue", "lock", "reentrant lock", "semaphore", "event",
        "barrier", "shared long", "dict", "list"};
    private static final int QUEUE = 1;
    private static final int JOINABLE = 2;
    private static final int LOCK = 3;
    private static final int RLOCK = 4;
    private static final int SEMAPHORE = 5;
    private static final int EVENT = 6;
    private static final int BARRIER = 7;
    private static final int LONG = 8;
    private static final int DICT = 9;
    private static final int LIST = 10;

    private final Direct access;
    private final String program;
    private final AtomicLong next = new AtomicLong();

    /** The factory of the program whose id is {@code program} (its client's id). */
    public SharedFactory(Direct access, String program) {
        this.access = access;
        this.program = program;
    }

    private String privateId() {
        return Names.programPrefix(program) + next.incrementAndGet();
    }

    /** Destroys every private object of this program (it is ending). */
    public void destroyPrivate() {
        access.destroyAll(Names.programPrefix(program));
    }

    /**
     * The id of the named object {@code name} of kind {@code kind}, registering the name for that
     * kind if it is new.
     */
    private String named(String name, int kind) {
        if (name == null) {
            throw new NullPointerException("name");
        }
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a name of a shared object is 1 to 200 letters, digits, '_' or '-', not '"
                    + name + "'");
        }
        String id = Names.named(name);
        long[] r = access.call(new SyncCall(id, SyncOp.create(SyncOp.NAME, kind, 0, false), 0));
        if (r[0] == 0 && r[1] != kind) {
            throw new IllegalArgumentException("'" + name + "' names a " + KINDS[(int) r[1]] + " in this cluster, not a "
                    + KINDS[kind]);
        }
        return id;
    }

    /** Destroys the named object {@code name}, whatever its kind. */
    public void destroy(String name) {
        if (name == null) {
            throw new NullPointerException("name");
        }
        if (NAME.matcher(name).matches()) {
            access.destroyNamed(Names.named(name));
        }
    }

    public <E> ProcessQueue<E> queue(int maxsize) {
        return SharedObjects.queue(ClusterQueueStore.create(access, access.cluster(), privateId(), maxsize, false));
    }

    public <E> JoinableProcessQueue<E> joinableQueue(int maxsize) {
        return SharedObjects.joinableQueue(ClusterQueueStore.create(access, access.cluster(), privateId(), maxsize, true));
    }

    public <E> ProcessQueue<E> queue(String name) {
        return SharedObjects.queue(ClusterQueueStore.create(access, access.cluster(), named(name, QUEUE), 0, false));
    }

    public <E> JoinableProcessQueue<E> joinableQueue(String name) {
        return SharedObjects.joinableQueue(ClusterQueueStore.create(access, access.cluster(), named(name, JOINABLE), 0,
                true));
    }

    public ProcessLock lock(String name) {
        String id = name == null ? privateId() : named(name, LOCK);
        return SharedObjects.lock(ClusterLockStore.create(access, access.cluster(), id, id + ".s", false));
    }

    public ProcessReentrantLock reentrantLock(String name) {
        String id = name == null ? privateId() : named(name, RLOCK);
        return SharedObjects.reentrantLock(ClusterLockStore.create(access, access.cluster(), id, id + ".s", true));
    }

    public ProcessSemaphore semaphore(String name, int permits, boolean bounded) {
        if (permits < 0) {
            throw new IllegalArgumentException("permits must not be negative: " + permits);
        }
        String id = name == null ? privateId() : named(name, SEMAPHORE);
        return SharedObjects.semaphore(ClusterSemaphoreStore.create(access, access.cluster(), id, permits, bounded));
    }

    public ProcessEvent event(String name) {
        String id = name == null ? privateId() : named(name, EVENT);
        return SharedObjects.event(ClusterEventStore.create(access, access.cluster(), id));
    }

    public ProcessBarrier barrier(String name, int parties) {
        if (parties < 1) {
            throw new IllegalArgumentException("parties must be at least 1, not " + parties);
        }
        String id = name == null ? privateId() : named(name, BARRIER);
        return SharedObjects.barrier(ClusterBarrierStore.create(access, access.cluster(), id, parties));
    }

    public SharedLong sharedLong(String name, long initialValue) {
        String id = name == null ? privateId() : named(name, LONG);
        return SharedObjects.sharedLong(ClusterValueStore.create(access, access.cluster(), id, initialValue));
    }

    public SharedInt sharedInt(int initialValue) {
        return SharedObjects.sharedInt(ClusterValueStore.create(access, access.cluster(), privateId(), initialValue));
    }

    public SharedDouble sharedDouble(double initialValue) {
        return SharedObjects.sharedDouble(ClusterValueStore.create(access, access.cluster(), privateId(),
                Double.doubleToRawLongBits(initialValue)));
    }

    public SharedLongArray sharedLongArray(int length) {
        return SharedObjects.sharedLongArray(ClusterArrayStore.create(access, access.cluster(), privateId(), length));
    }

    public SharedIntArray sharedIntArray(int length) {
        return SharedObjects.sharedIntArray(ClusterArrayStore.create(access, access.cluster(), privateId(), length));
    }

    public SharedDoubleArray sharedDoubleArray(int length) {
        return SharedObjects.sharedDoubleArray(ClusterArrayStore.create(access, access.cluster(), privateId(), length));
    }

    public SharedByteArray sharedByteArray(int length) {
        return SharedObjects.sharedByteArray(ClusterArrayStore.create(access, access.cluster(), privateId(), length));
    }

    public <K, V> ConcurrentMap<K, V> dict(String name) {
        return new ClusterDict<>(access.cluster(), name == null ? privateId() : named(name, DICT));
    }

    public <E> List<E> list(String name) {
        return new ClusterList<>(access.cluster(), name == null ? privateId() : named(name, LIST));
    }
}
