package org.multiprocessing4j;

import java.io.EOFException;
import java.io.UncheckedIOException;

/**
 * The other end of a {@link ProcessPipe} is closed in every process that held it, or those
 * processes have ended: Python's {@code EOFError} from {@code recv()} and
 * {@code BrokenPipeError} from {@code send()}. Its cause is an {@link EOFException}.
 *
 * <p>A receiver gets it only once it has read everything sent before the other end went away.
 */
public final class PipeClosedException extends UncheckedIOException {
    private static final long serialVersionUID = 1L;

    /** Makes one with {@code message}; for the library. */
    PipeClosedException(String message) {
        super(message, new EOFException(message));
    }
}
