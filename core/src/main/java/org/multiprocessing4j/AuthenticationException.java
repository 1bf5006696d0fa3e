package org.multiprocessing4j;

/**
 * A connection's two ends did not prove to each other that they hold the same authkey (or one
 * end wanted a key and the other had none), or a peer did not finish the handshake in time:
 * Python's {@code multiprocessing.AuthenticationError}. Nothing was deserialized from that peer,
 * and the connection is closed. A {@link ConnectionListener} that throws it from
 * {@code accept()} goes on serving other clients.
 */
public final class AuthenticationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Makes one with {@code message}; thrown by the library, public for tests and adapters. */
    public AuthenticationException(String message) {
        super(message);
    }
}
