package org.multiprocessing4j;

import java.util.Objects;

/**
 * The context of one machine: processes and pool workers start as this JVM's children with its
 * start method, and the other objects live in this machine's shared memory.
 */
final class LocalProcessContext implements ProcessContext {
    private final StartMethod startMethod;

    LocalProcessContext(StartMethod startMethod) {
        this.startMethod = startMethod;
    }

    @Override
    public StartMethod getStartMethod() {
        return startMethod;
    }

    @Override
    public <P extends JvmProcess> P bind(P process) {
        Objects.requireNonNull(process, "process").bindStartMethod(startMethod);
        return process;
    }

    @Override
    public <E> ProcessQueue<E> queue() {
        return ProcessQueue.create();
    }

    @Override
    public <E> ProcessQueue<E> queue(int maxsize) {
        return ProcessQueue.create(maxsize);
    }

    @Override
    public <E> JoinableProcessQueue<E> joinableQueue() {
        return JoinableProcessQueue.create();
    }

    @Override
    public <E> JoinableProcessQueue<E> joinableQueue(int maxsize) {
        return JoinableProcessQueue.create(maxsize);
    }

    @Override
    public ProcessPipe pipe(boolean duplex) {
        return ProcessPipe.open(duplex);
    }

    @Override
    public ProcessPipe pipe() {
        return ProcessPipe.open(true);
    }

    @Override
    public ProcessPool pool(int processes) {
        return poolBuilder().processes(processes).build();
    }

    @Override
    public ProcessPool.Builder poolBuilder() {
        return ProcessPool.builder(this);
    }

    @Override
    public ProcessManager manager() {
        return managerBuilder().start();
    }

    @Override
    public ProcessManager.Builder managerBuilder() {
        return ProcessManager.builder(this);
    }

    @Override
    public <K, V> java.util.concurrent.ConcurrentMap<K, V> dict() {
        return DefaultManager.get(this).dict();
    }

    @Override
    public <E> java.util.List<E> list() {
        return DefaultManager.get(this).list();
    }

    /**
     * The manager behind {@link #dict()} and {@link #list()} on one machine: one per JVM, started
     * by the first call with the context that made it, and shut down when this JVM exits (as a
     * child, it would also end with its parent).
     */
    private static final class DefaultManager {
        private static ProcessManager manager;

        static synchronized ProcessManager get(ProcessContext ctx) {
            if (manager == null || manager.isClosed()) {
                ProcessManager started = ctx.manager();
                try {
                    Runtime.getRuntime().addShutdownHook(new Thread(started::close, "mp4j-default-manager-close"));
                } catch (IllegalStateException exiting) {
                    started.close();
                    throw exiting;
                }
                manager = started;
            }
            return manager;
        }
    }

    @Override
    public ProcessLock lock() {
        return ProcessLock.create();
    }

    @Override
    public ProcessReentrantLock reentrantLock() {
        return ProcessReentrantLock.create();
    }

    @Override
    public ProcessCondition condition() {
        return ProcessCondition.create();
    }

    @Override
    public ProcessSemaphore semaphore(int permits) {
        return ProcessSemaphore.create(permits);
    }

    @Override
    public ProcessSemaphore boundedSemaphore(int permits) {
        return ProcessSemaphore.createBounded(permits);
    }

    @Override
    public ProcessBarrier barrier(int parties) {
        return ProcessBarrier.create(parties);
    }

    @Override
    public ProcessEvent event() {
        return ProcessEvent.create();
    }

    @Override
    public SharedLong sharedLong(long initialValue) {
        return SharedLong.create(initialValue);
    }

    @Override
    public SharedInt sharedInt(int initialValue) {
        return SharedInt.create(initialValue);
    }

    @Override
    public SharedDouble sharedDouble(double initialValue) {
        return SharedDouble.create(initialValue);
    }

    @Override
    public SharedLongArray sharedLongArray(int length) {
        return SharedLongArray.create(length);
    }

    @Override
    public SharedIntArray sharedIntArray(int length) {
        return SharedIntArray.create(length);
    }

    @Override
    public SharedDoubleArray sharedDoubleArray(int length) {
        return SharedDoubleArray.create(length);
    }

    @Override
    public SharedByteArray sharedByteArray(int length) {
        return SharedByteArray.create(length);
    }

    @Override
    public String toString() {
        return "ProcessContext[" + startMethod + "]";
    }
}
