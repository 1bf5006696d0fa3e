package org.multiprocessing4j.internal.connection;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The limits of socket connections and the checks of their public entry points: which
 * addresses are accepted with which keys, how long a handshake may take, how long a frame may be.
 */
public final class ConnectionSettings {
    private static final String HANDSHAKE_TIMEOUT_PROPERTY = "multiprocessing4j.connection.handshakeTimeoutMillis";
    /** The longest message a connection accepts; a longer frame closes the connection. */
    public static final int MAX_FRAME_BYTES = Integer.getInteger(
            "multiprocessing4j.connection.maxFrameBytes", 256 << 20);

    private ConnectionSettings() {
    }

    /**
     * How long a peer may take over the handshake before it is dropped: 10 s, or
     * {@code -Dmultiprocessing4j.connection.handshakeTimeoutMillis}, read at each handshake.
     */
    public static long handshakeTimeoutNanos() {
        return TimeUnit.MILLISECONDS.toNanos(Math.max(1, Long.getLong(HANDSHAKE_TIMEOUT_PROPERTY, 10_000)));
    }

    /**
     * Checks an address and key given to {@code operation}.
     *
     * @return {@code address}
     * @throws NullPointerException if {@code address} is null
     * @throws IllegalArgumentException naming what is wrong: an address of another kind, a
     *         network address without a key, an empty key
     */
    public static SocketAddress check(SocketAddress address, byte[] authkey, String operation) {
        Objects.requireNonNull(address, "address");
        if (authkey != null && authkey.length == 0) {
            throw new IllegalArgumentException(operation + ": authkey is empty; give a secret of at least"
                    + " a few random bytes, or null (only for a Unix domain socket)");
        }
        if (address instanceof InetSocketAddress) {
            if (authkey == null) {
                throw new IllegalArgumentException(operation + ": a network address (" + address + ") needs an"
                        + " authkey: anyone who can reach it could otherwise send objects to deserialize");
            }
        } else if (!(address instanceof UnixDomainSocketAddress)) {
            throw new IllegalArgumentException(operation + ": address must be an InetSocketAddress or a"
                    + " UnixDomainSocketAddress, not " + address.getClass().getName());
        }
        return address;
    }
}
