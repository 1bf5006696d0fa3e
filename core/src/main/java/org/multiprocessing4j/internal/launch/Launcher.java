package org.multiprocessing4j.internal.launch;

import java.io.IOException;
import java.util.List;

/**
 * A start method: gives a JVM that runs the child bootstrap, with standard output and error
 * shared with this JVM and standard input a pipe from it, waiting for its handshake.
 */
public interface Launcher {
    /**
     * @param classPath where the JVM finds the process's classes
     * @param extraJvmOptions options the user set for this process, after the inherited ones
     * @throws IOException if the operating system could not start the JVM
     */
    Process start(ChildClassPath classPath, List<String> extraJvmOptions) throws IOException;
}
