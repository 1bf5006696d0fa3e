/**
 * The engine behind {@code ProcessManager}: in the manager's own process, the loop of
 * {@link org.multiprocessing4j.internal.manager.ManagerServer}, which takes pipe ends from the
 * manager's request queue and serves each in a thread of its own; in every process that calls
 * a proxy, {@link org.multiprocessing4j.internal.manager.ManagerClient} with one pipe per calling
 * thread; between them the byte messages of {@code Wire}, which name a method by its index in a
 * {@code MethodTable} both sides derive from the interface. {@code ProxyHandler} is the
 * serializable handler of every proxy; {@code Snapshots} copies views (iterators, key sets,
 * streams) by value. See docs/design/managers.md.
 */
package org.multiprocessing4j.internal.manager;
