package org.multiprocessing4j.spi;

/**
 * Starts processes bound to it ({@link Backends#bind}) somewhere else than as this JVM's
 * children: on another machine, say. {@link org.multiprocessing4j.JvmProcess#start()} encodes the
 * process in the caller's thread, exactly as for a local start (so a value that is not
 * serializable fails there, naming its class), and then hands the encoded process to
 * {@link #start}; the returned control is what the process object delegates to from then on.
 *
 * <p>Implementations are thread-safe.
 */
public interface ProcessBackend {
    /**
     * Starts the process described by {@code launch} and returns once it is started (its pid is
     * known), or throws.
     *
     * @param launch the encoded process and how to start it
     * @return the control of the started process
     * @throws org.multiprocessing4j.ProcessStartException if it could not be started; the
     *         message says why (which class a node lacks, which node could not be reached)
     */
    ProcessControl start(ProcessLaunch launch);
}
