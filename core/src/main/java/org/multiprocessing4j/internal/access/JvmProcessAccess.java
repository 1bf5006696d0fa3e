package org.multiprocessing4j.internal.access;

import org.multiprocessing4j.JvmProcess;
import org.multiprocessing4j.internal.runtime.ProcessControl;

/**
 * What the runtime does to a {@link JvmProcess} that the public API must not offer. Implemented
 * by {@code JvmProcess} and handed to {@link SharedSecrets} by its static initializer.
 */
public interface JvmProcessAccess {
    /** A facade that stands for an existing process (this JVM, or its parent). */
    JvmProcess newView(String name, int[] identity, boolean daemon, ProcessControl control);

    /** Makes a process object that was just received from the parent stand for this JVM. */
    void adoptAsCurrent(JvmProcess process, ProcessControl control);
}
