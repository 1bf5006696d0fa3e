package org.multiprocessing4j.internal.runtime;

import org.multiprocessing4j.JvmProcess;

/**
 * The few things the runtime needs to do to a {@link JvmProcess} that its public API must not
 * offer. {@code JvmProcess} hands an implementation to {@link ProcessRegistry} when it loads.
 */
public interface JvmProcessAccess {
    /** A facade that stands for an existing process (this JVM, or its parent). */
    JvmProcess newView(String name, int[] identity, boolean daemon, ProcessControl control);

    /** Makes a process object that was just received from the parent stand for this JVM. */
    void adoptAsCurrent(JvmProcess process, ProcessControl control);
}
