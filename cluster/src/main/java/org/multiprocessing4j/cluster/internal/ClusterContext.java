package org.multiprocessing4j.cluster.internal;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentMap;
import org.multiprocessing4j.JoinableProcessQueue;
import org.multiprocessing4j.JvmProcess;
import org.multiprocessing4j.ProcessBarrier;
import org.multiprocessing4j.ProcessCondition;
import org.multiprocessing4j.ProcessContext;
import org.multiprocessing4j.ProcessEvent;
import org.multiprocessing4j.ProcessLock;
import org.multiprocessing4j.ProcessManager;
import org.multiprocessing4j.ProcessPipe;
import org.multiprocessing4j.ProcessPool;
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
import org.multiprocessing4j.StartMethod;
import org.multiprocessing4j.cluster.internal.shared.SharedFactory;
import org.multiprocessing4j.spi.Backends;
import org.multiprocessing4j.spi.ChunkRunner;
import org.multiprocessing4j.spi.PoolBackend;
import org.multiprocessing4j.spi.PoolSpec;
import org.multiprocessing4j.spi.ProcessBackend;

/**
 * The {@link ProcessContext} of a cluster: its processes start on the cluster's nodes, each a
 * fresh JVM (so its start method is {@link StartMethod#SPAWN}), its pools spread their
 * workers over the nodes, and the objects its processes share (queues, locks, semaphores,
 * events, barriers, values, dicts, lists) live in the cluster (see {@link SharedFactory}). Pipes
 * and managers are not available on a cluster yet: asking for one says so rather than giving an
 * object of this machine that the other nodes could not reach.
 */
public final class ClusterContext implements ProcessContext, PoolBackend {
    private final ProcessBackend backend;
    private final ClusterBackend cluster;
    private final String node;

    /** A context that places processes on {@code node}, or by least load if null. */
    public ClusterContext(ClusterBackend backend, String node) {
        this.backend = backend.placing(node);
        this.cluster = backend;
        this.node = node;
    }

    @Override
    public StartMethod getStartMethod() {
        return StartMethod.SPAWN;
    }

    @Override
    public <P extends JvmProcess> P bind(P process) {
        return Backends.bind(Objects.requireNonNull(process, "process"), backend);
    }

    @Override
    public <E> ProcessQueue<E> queue() {
        return objects().queue(0);
    }

    @Override
    public <E> ProcessQueue<E> queue(int maxsize) {
        return objects().queue(checkMaxsize(maxsize));
    }

    @Override
    public <E> JoinableProcessQueue<E> joinableQueue() {
        return objects().joinableQueue(0);
    }

    @Override
    public <E> JoinableProcessQueue<E> joinableQueue(int maxsize) {
        return objects().joinableQueue(checkMaxsize(maxsize));
    }

    @Override
    public ProcessPipe pipe(boolean duplex) {
        throw notYet("pipe(duplex)");
    }

    @Override
    public ProcessPipe pipe() {
        throw notYet("pipe()");
    }

    /**
     * A pool of {@code processes} workers spread over the cluster's nodes (each node runs a local
     * pool of its share); see {@link org.multiprocessing4j.cluster.Cluster}.
     */
    @Override
    public ProcessPool pool(int processes) {
        return poolBuilder().processes(processes).build();
    }

    @Override
    public ProcessPool.Builder poolBuilder() {
        return Backends.poolBuilder(this);
    }

    @Override
    public ChunkRunner openPool(PoolSpec spec) {
        if (node != null) {
            throw new UnsupportedOperationException("a pool spreads over every node: take it from cluster.context(),"
                    + " not from a context bound to node '" + node + "'");
        }
        return cluster.openPool(spec);
    }

    @Override
    public ProcessManager manager() {
        throw notYet("manager()");
    }

    @Override
    public ProcessManager.Builder managerBuilder() {
        throw notYet("managerBuilder()");
    }

    @Override
    public ProcessLock lock() {
        return objects().lock(null);
    }

    @Override
    public ProcessReentrantLock reentrantLock() {
        return objects().reentrantLock(null);
    }

    @Override
    public ProcessCondition condition() {
        return reentrantLock().newCondition();
    }

    @Override
    public ProcessSemaphore semaphore(int permits) {
        return objects().semaphore(null, permits, false);
    }

    @Override
    public ProcessSemaphore boundedSemaphore(int permits) {
        return objects().semaphore(null, permits, true);
    }

    @Override
    public ProcessBarrier barrier(int parties) {
        return objects().barrier(null, parties);
    }

    @Override
    public ProcessEvent event() {
        return objects().event(null);
    }

    @Override
    public SharedLong sharedLong(long initialValue) {
        return objects().sharedLong(null, initialValue);
    }

    @Override
    public SharedInt sharedInt(int initialValue) {
        return objects().sharedInt(initialValue);
    }

    @Override
    public SharedDouble sharedDouble(double initialValue) {
        return objects().sharedDouble(initialValue);
    }

    @Override
    public SharedLongArray sharedLongArray(int length) {
        return objects().sharedLongArray(length);
    }

    @Override
    public SharedIntArray sharedIntArray(int length) {
        return objects().sharedIntArray(length);
    }

    @Override
    public SharedDoubleArray sharedDoubleArray(int length) {
        return objects().sharedDoubleArray(length);
    }

    @Override
    public SharedByteArray sharedByteArray(int length) {
        return objects().sharedByteArray(length);
    }

    @Override
    public <K, V> ConcurrentMap<K, V> dict() {
        return objects().dict(null);
    }

    @Override
    public <E> List<E> list() {
        return objects().list(null);
    }

    @Override
    public <E> ProcessQueue<E> queue(String name) {
        return objects().queue(name);
    }

    @Override
    public <E> JoinableProcessQueue<E> joinableQueue(String name) {
        return objects().joinableQueue(name);
    }

    @Override
    public ProcessLock lock(String name) {
        return objects().lock(Objects.requireNonNull(name, "name"));
    }

    @Override
    public ProcessReentrantLock reentrantLock(String name) {
        return objects().reentrantLock(Objects.requireNonNull(name, "name"));
    }

    @Override
    public ProcessSemaphore semaphore(String name, int permits) {
        return objects().semaphore(Objects.requireNonNull(name, "name"), permits, false);
    }

    @Override
    public ProcessEvent event(String name) {
        return objects().event(Objects.requireNonNull(name, "name"));
    }

    @Override
    public ProcessBarrier barrier(String name, int parties) {
        return objects().barrier(Objects.requireNonNull(name, "name"), parties);
    }

    @Override
    public SharedLong sharedLong(String name, long initialValue) {
        return objects().sharedLong(Objects.requireNonNull(name, "name"), initialValue);
    }

    @Override
    public <K, V> ConcurrentMap<K, V> dict(String name) {
        return objects().dict(Objects.requireNonNull(name, "name"));
    }

    @Override
    public <E> List<E> list(String name) {
        return objects().list(Objects.requireNonNull(name, "name"));
    }

    @Override
    public void destroy(String name) {
        objects().destroy(name);
    }

    private SharedFactory objects() {
        return cluster.objects();
    }

    private static int checkMaxsize(int maxsize) {
        if (maxsize < 0) {
            throw new IllegalArgumentException("maxsize must be 0 (no bound) or positive, not " + maxsize);
        }
        return maxsize;
    }

    private static UnsupportedOperationException notYet(String what) {
        return new UnsupportedOperationException("ctx." + what + " is not available on a cluster context yet (an"
                + " object of this machine would not reach processes on other nodes): use a queue or a dict of the"
                + " cluster instead");
    }

    @Override
    public String toString() {
        return "ProcessContext[cluster" + (node == null ? "" : ", node " + node) + "]";
    }
}
