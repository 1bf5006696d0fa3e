/**
 * Python's {@code multiprocessing} for the JVM: run part of your program in a child JVM with
 * {@link org.multiprocessing4j.JvmProcess}, and look around the process family with
 * {@link org.multiprocessing4j.Multiprocessing}.
 *
 * <h2>Which class for what</h2>
 * <table class="striped">
 * <caption>The public API and the Python names it matches</caption>
 * <thead>
 * <tr><th scope="col">for</th><th scope="col">use</th><th scope="col">Python</th></tr>
 * </thead>
 * <tbody>
 * <tr><th scope="row">a piece of the program in a child JVM</th>
 *     <td>{@link org.multiprocessing4j.JvmProcess}, with a {@link org.multiprocessing4j.SerializableRunnable}
 *     target</td>
 *     <td>{@code Process}</td></tr>
 * <tr><th scope="row">the current process, its parent and children, the CPU count, the logger,
 *     the default start method</th>
 *     <td>{@link org.multiprocessing4j.Multiprocessing}</td>
 *     <td>{@code current_process()}, {@code parent_process()}, {@code active_children()},
 *     {@code cpu_count()}, {@code get_logger()}, {@code log_to_stderr()},
 *     {@code set_start_method()}</td></tr>
 * <tr><th scope="row">how a child gets its JVM, and a factory for everything below bound to it</th>
 *     <td>{@link org.multiprocessing4j.StartMethod} ({@code SPAWN}, {@code FORKSERVER}),
 *     {@link org.multiprocessing4j.ProcessContext}</td>
 *     <td>start methods, {@code get_context()}</td></tr>
 * <tr><th scope="row">passing objects between processes</th>
 *     <td>{@link org.multiprocessing4j.ProcessQueue}, {@link org.multiprocessing4j.JoinableProcessQueue}</td>
 *     <td>{@code Queue}, {@code JoinableQueue}</td></tr>
 * <tr><th scope="row">a channel between two processes</th>
 *     <td>{@link org.multiprocessing4j.ProcessPipe} and its two
 *     {@link org.multiprocessing4j.PipeConnection} ends</td>
 *     <td>{@code Pipe()}, {@code Connection}</td></tr>
 * <tr><th scope="row">mutual exclusion and waiting</th>
 *     <td>{@link org.multiprocessing4j.ProcessLock}, {@link org.multiprocessing4j.ProcessReentrantLock},
 *     {@link org.multiprocessing4j.ProcessCondition}, {@link org.multiprocessing4j.ProcessSemaphore},
 *     {@link org.multiprocessing4j.ProcessEvent}, {@link org.multiprocessing4j.ProcessBarrier}</td>
 *     <td>{@code Lock}, {@code RLock}, {@code Condition}, {@code Semaphore} and
 *     {@code BoundedSemaphore}, {@code Event}, {@code Barrier}</td></tr>
 * <tr><th scope="row">numbers and arrays in shared memory</th>
 *     <td>{@link org.multiprocessing4j.SharedLong}, {@link org.multiprocessing4j.SharedInt},
 *     {@link org.multiprocessing4j.SharedDouble} ({@link org.multiprocessing4j.SharedValue});
 *     {@link org.multiprocessing4j.SharedLongArray}, {@link org.multiprocessing4j.SharedIntArray},
 *     {@link org.multiprocessing4j.SharedDoubleArray}, {@link org.multiprocessing4j.SharedByteArray}
 *     ({@link org.multiprocessing4j.SharedArray})</td>
 *     <td>{@code Value}, {@code Array}</td></tr>
 * <tr><th scope="row">a raw block of shared memory</th>
 *     <td>{@link org.multiprocessing4j.SharedMemory}</td>
 *     <td>{@code shared_memory.SharedMemory}</td></tr>
 * <tr><th scope="row">a pool of worker processes</th>
 *     <td>{@link org.multiprocessing4j.ProcessPool} (an {@code ExecutorService}), its
 *     {@link org.multiprocessing4j.ProcessPool.Builder}, {@link org.multiprocessing4j.MapFuture},
 *     {@link org.multiprocessing4j.ResultIterator}, {@link org.multiprocessing4j.TaskProgress}</td>
 *     <td>{@code Pool} ({@code apply}, {@code apply_async}, {@code map}, {@code map_async},
 *     {@code imap}, {@code imap_unordered}, {@code starmap}), {@code ProcessPoolExecutor}</td></tr>
 * <tr><th scope="row">shared objects in a server process</th>
 *     <td>{@link org.multiprocessing4j.ProcessManager} ({@code dict()}, {@code list()},
 *     {@code create}), its {@link org.multiprocessing4j.ProcessManager.Builder}</td>
 *     <td>{@code Manager()}, {@code BaseManager.register}</td></tr>
 * <tr><th scope="row">code that crosses into another process</th>
 *     <td>{@link org.multiprocessing4j.SerializableRunnable},
 *     {@link org.multiprocessing4j.SerializableCallable},
 *     {@link org.multiprocessing4j.SerializableFunction},
 *     {@link org.multiprocessing4j.SerializableBiFunction},
 *     {@link org.multiprocessing4j.SerializableSupplier}</td>
 *     <td>(anything picklable)</td></tr>
 * <tr><th scope="row">what can go wrong</th>
 *     <td>{@link org.multiprocessing4j.ProcessStartException},
 *     {@link org.multiprocessing4j.ProcessSerializationException},
 *     {@link org.multiprocessing4j.PipeClosedException},
 *     {@link org.multiprocessing4j.TaskFailedException} and its
 *     {@link org.multiprocessing4j.WorkerDiedException} and
 *     {@link org.multiprocessing4j.TaskTimeoutException},
 *     {@link org.multiprocessing4j.BrokenPoolException},
 *     {@link org.multiprocessing4j.ResultTimeoutException},
 *     {@link org.multiprocessing4j.RemoteThrowable} (a stand-in for a throwable from another
 *     JVM)</td>
 *     <td>{@code PicklingError}, {@code EOFError}/{@code BrokenPipeError},
 *     {@code BrokenProcessPool}, {@code TimeoutError}</td></tr>
 * </tbody>
 * </table>
 *
 * <h2>Memory consistency across processes</h2>
 * Two rules decide what one process sees of another's work.
 * <ul>
 * <li><b>What travels is a copy.</b> A process's target, a pool task and its arguments, a queue
 *     item, a pipe message, a result, an exception: each is serialized by the sender and
 *     decoded into a new object by the receiver, with the content it had when it was
 *     serialized (see each class for when that is). Later changes on either side are not seen
 *     by the other. The shared objects of this package (queues, pipes, locks, conditions,
 *     semaphores, events, barriers, shared values and arrays, {@code SharedMemory}) are the
 *     exception: they travel as handles, and every process reaches the same shared memory
 *     through them.
 * <li><b>Shared memory is ordered by the synchronizers.</b> Each class states its "Memory
 *     consistency effects" in the style of {@code java.util.concurrent}: unlock before lock,
 *     put before take, send before receive, release before acquire, set before await, arrival
 *     at a barrier before leaving it, {@code taskDone} before {@code join}, a shared value's
 *     volatile write before a read that sees it, a child's end before {@code join} returns. In
 *     another process those statements cover the memory the processes share; plain accesses to
 *     a {@link org.multiprocessing4j.SharedMemory} block, or to the bytes of a
 *     {@link org.multiprocessing4j.SharedByteArray} in bulk, are ordered only by them.
 * </ul>
 *
 * <p>The Java Memory Model speaks only of the threads of one JVM. Across processes these
 * statements rest on what the library does to shared memory: volatile, acquire/release and
 * compare-and-set accesses through {@code VarHandle}s and fences, which HotSpot compiles to
 * instructions that order memory for every observer of it, another process mapping the same
 * pages included, and for a child's start and end on the operating system's pipe and process
 * wait.
 *
 * <p>Everything outside this package ({@code org.multiprocessing4j.internal.*}) is internal and
 * may change without notice.
 */
package org.multiprocessing4j;
