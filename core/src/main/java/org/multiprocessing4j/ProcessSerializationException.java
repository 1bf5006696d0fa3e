package org.multiprocessing4j;

/**
 * Thrown when an object that must cross into another process cannot be serialized: a process
 * whose target captures something that is not {@link java.io.Serializable}, or a subclass of
 * {@link JvmProcess} with such a field.
 *
 * <p>It is raised in the caller's thread before anything is sent or spawned, so nothing is
 * half-written and no child is started. The message names the class that is not serializable
 * and, where it can be found, the path to it from the object that was sent (for example
 * {@code target -> captured value #0 of a lambda in com.example.Main -> field 'lock'}).
 */
public class ProcessSerializationException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with the given message and cause.
     *
     * @param message what could not be serialized and where it was found
     * @param cause the serialization error, may be {@code null}
     */
    public ProcessSerializationException(String message, Throwable cause) {
        super(message, cause);
    }
}
