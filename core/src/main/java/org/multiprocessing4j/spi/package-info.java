/**
 * The service-provider interface through which the library's own backend modules (the cluster
 * module) plug into {@code org.multiprocessing4j}: a {@link org.multiprocessing4j.spi.ProcessBackend}
 * starts a {@link org.multiprocessing4j.JvmProcess} somewhere else than as this JVM's child, and
 * {@link org.multiprocessing4j.spi.Backends} gives such a module what it needs of the core (to bind
 * a process to a backend, to start a child JVM from an encoded process, to carry a throwable).
 * Applications do not need this package; it may change in any release before 1.0.
 */
package org.multiprocessing4j.spi;
