package org.multiprocessing4j.cluster.internal;

import java.util.Objects;
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
import org.multiprocessing4j.spi.Backends;
import org.multiprocessing4j.spi.ChunkRunner;
import org.multiprocessing4j.spi.PoolBackend;
import org.multiprocessing4j.spi.PoolSpec;
import org.multiprocessing4j.spi.ProcessBackend;

/**
 * The {@link ProcessContext} of a cluster: its processes start on the cluster's nodes, each a
 * fresh JVM (so its start method is {@link StartMethod#SPAWN}), and its pools spread their
 * workers over the nodes. The objects that processes share (queues, locks, values) are not built
 * yet: asking for one says so rather than giving an object of this machine that the other nodes
 * could not reach.
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
        throw notYet("queue()");
    }

    @Override
    public <E> ProcessQueue<E> queue(int maxsize) {
        throw notYet("queue(maxsize)");
    }

    @Override
    public <E> JoinableProcessQueue<E> joinableQueue() {
        throw notYet("joinableQueue()");
    }

    @Override
    public <E> JoinableProcessQueue<E> joinableQueue(int maxsize) {
        throw notYet("joinableQueue(maxsize)");
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
        throw notYet("lock()");
    }

    @Override
    public ProcessReentrantLock reentrantLock() {
        throw notYet("reentrantLock()");
    }

    @Override
    public ProcessCondition condition() {
        throw notYet("condition()");
    }

    @Override
    public ProcessSemaphore semaphore(int permits) {
        throw notYet("semaphore(n)");
    }

    @Override
    public ProcessSemaphore boundedSemaphore(int permits) {
        throw notYet("boundedSemaphore(n)");
    }

    @Override
    public ProcessBarrier barrier(int parties) {
        throw notYet("barrier(n)");
    }

    @Override
    public ProcessEvent event() {
        throw notYet("event()");
    }

    @Override
    public SharedLong sharedLong(long initialValue) {
        throw notYet("sharedLong(v)");
    }

    @Override
    public SharedInt sharedInt(int initialValue) {
        throw notYet("sharedInt(v)");
    }

    @Override
    public SharedDouble sharedDouble(double initialValue) {
        throw notYet("sharedDouble(v)");
    }

    @Override
    public SharedLongArray sharedLongArray(int length) {
        throw notYet("sharedLongArray(n)");
    }

    @Override
    public SharedIntArray sharedIntArray(int length) {
        throw notYet("sharedIntArray(n)");
    }

    @Override
    public SharedDoubleArray sharedDoubleArray(int length) {
        throw notYet("sharedDoubleArray(n)");
    }

    @Override
    public SharedByteArray sharedByteArray(int length) {
        throw notYet("sharedByteArray(n)");
    }

    private static UnsupportedOperationException notYet(String what) {
        return new UnsupportedOperationException("ctx." + what + " is not available on a cluster context yet: only"
                + " processes and pools run across machines in this version (a queue, lock or value of this machine would not"
                + " reach processes on other nodes)");
    }

    @Override
    public String toString() {
        return "ProcessContext[cluster" + (node == null ? "" : ", node " + node) + "]";
    }
}
