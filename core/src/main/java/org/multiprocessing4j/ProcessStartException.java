package org.multiprocessing4j;

/**
 * Thrown by {@link JvmProcess#start()} when the operating system could not start the child
 * JVM at all (no {@code java} executable, no file descriptors left, the private runtime
 * directory could not be created). The message says which; the cause is the underlying I/O
 * error.
 *
 * <p>A child JVM that starts and then fails (a bad JVM option, a class missing from its class
 * path) is not reported this way: it ends with a non-zero {@link JvmProcess#exitCode()} and its
 * own error on standard error, as in Python.
 */
public class ProcessStartException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with the given message and cause.
     *
     * @param message what could not be started, and why
     * @param cause the underlying error, may be {@code null}
     */
    public ProcessStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
