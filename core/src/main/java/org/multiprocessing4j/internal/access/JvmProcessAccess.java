package org.multiprocessing4j.internal.access;

import org.multiprocessing4j.JvmProcess;
import org.multiprocessing4j.spi.ProcessControl;

/**
 * What the runtime does to a {@link JvmProcess} that the public API must not offer. Implemented
 * by {@code JvmProcess} and handed to {@link SharedSecrets} by its static initializer.
 */
public interface JvmProcessAccess {
    /** A facade that stands for an existing process (this JVM, or its parent). */
    JvmProcess newView(String name, int[] identity, boolean daemon, ProcessControl control);

    /** Makes a process object that was just received from the parent stand for this JVM. */
    void adoptAsCurrent(JvmProcess process, ProcessControl control);

    /**
     * Makes the child of {@code process} find the classes of {@code loaders} too, besides those
     * its own bytes name: a pool's workers must find the classes of tasks not yet submitted.
     */
    void findClassesOf(JvmProcess process, java.util.Collection<ClassLoader> loaders);

    /** Makes {@code process}, not started yet, start through {@code backend}. */
    void bindBackend(JvmProcess process, org.multiprocessing4j.spi.ProcessBackend backend);
}
