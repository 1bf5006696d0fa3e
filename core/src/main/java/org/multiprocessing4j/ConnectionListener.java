package org.multiprocessing4j;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.multiprocessing4j.internal.connection.ConnectionSettings;
import org.multiprocessing4j.internal.connection.Quietly;
import org.multiprocessing4j.internal.platform.RuntimeDirectory;

/**
 * Accepts {@link Connection}s at an address: Python's
 * {@code multiprocessing.connection.Listener}. Every connection is authenticated before
 * {@link #accept()} returns it: both ends prove that they hold the same authkey (a mutual
 * HMAC-SHA256 challenge over fresh random nonces), and nothing is deserialized before that.
 *
 * <p>A network address ({@link InetSocketAddress}; port 0 picks a free port, which
 * {@link #address()} tells) always needs an authkey. A {@link UnixDomainSocketAddress} may go
 * without one only inside the library's private runtime directory (mode 0700, see the README),
 * which only this user can reach. Bind network listeners to the addresses you mean to serve:
 * {@code 127.0.0.1} for this machine only.
 *
 * <p>Thread-safety: any thread may call any method; {@code accept()} calls take turns.
 */
public final class ConnectionListener implements AutoCloseable {
    private final ServerSocketChannel server;
    private final Selector acceptable;
    private final SocketAddress address;
    private final byte[] authkey;
    private final Path socketFile;
    private final Object acceptLock = new Object();
    private volatile boolean closed;

    private ConnectionListener(ServerSocketChannel server, Selector acceptable, SocketAddress address,
                               byte[] authkey, Path socketFile) {
        this.server = server;
        this.acceptable = acceptable;
        this.address = address;
        this.authkey = authkey;
        this.socketFile = socketFile;
    }

    /**
     * Listens at {@code address}. Does not block.
     *
     * @param address an {@link InetSocketAddress} (port 0 for a free port) or a
     *        {@link UnixDomainSocketAddress} (its file must not exist yet; it is deleted by
     *        {@link #close()})
     * @param authkey the shared secret (copied); null only for a Unix domain socket in the
     *        library's private runtime directory
     * @throws NullPointerException if {@code address} is null
     * @throws IllegalArgumentException naming what is wrong: an address of another kind, no key
     *         for a network address or a socket outside the private directory, an empty key
     * @throws UncheckedIOException if the address cannot be bound (in use, say)
     */
    public static ConnectionListener open(SocketAddress address, byte[] authkey) {
        ConnectionSettings.check(address, authkey, "ConnectionListener.open");
        Path socketFile = null;
        if (address instanceof UnixDomainSocketAddress unix) {
            socketFile = unix.getPath().toAbsolutePath();
            if (authkey == null && !socketFile.normalize().startsWith(RuntimeDirectory.userDirectory())) {
                throw new IllegalArgumentException("ConnectionListener.open: a Unix domain socket outside the"
                        + " private runtime directory (" + RuntimeDirectory.userDirectory() + ") needs an authkey;"
                        + " " + socketFile + " may be reachable by other users");
            }
        }
        ServerSocketChannel server = null;
        Selector selector = null;
        try {
            server = socketFile != null ? ServerSocketChannel.open(StandardProtocolFamily.UNIX) : ServerSocketChannel.open();
            if (socketFile == null) {
                server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            }
            server.bind(address);
            server.configureBlocking(false);
            selector = Selector.open();
            server.register(selector, SelectionKey.OP_ACCEPT);
            return new ConnectionListener(server, selector, server.getLocalAddress(),
                    authkey == null ? null : authkey.clone(), socketFile);
        } catch (IOException e) {
            Quietly.close(server, selector);
            throw new UncheckedIOException("cannot listen at " + address + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            Quietly.close(server, selector);
            throw e;
        }
    }

    /** The address this listener is bound to: with the port it picked, if asked for port 0. */
    public SocketAddress address() {
        return address;
    }

    /**
     * Waits for the next client and authenticates it. Blocks until one has connected and
     * passed, or failed, the handshake (at most the handshake time limit,
     * {@code -Dmultiprocessing4j.connection.handshakeTimeoutMillis}, default 10 s, once it has
     * connected).
     *
     * @return the authenticated connection
     * @throws AuthenticationException if the client that connected has another key (or none),
     *         or stalled in the handshake; it is disconnected, and the next {@code accept()}
     *         serves the next client
     * @throws IllegalStateException if this listener is closed (also while waiting)
     * @throws InterruptedException if interrupted while waiting; the listener stays open
     */
    public Connection accept() throws InterruptedException {
        synchronized (acceptLock) {
            SocketChannel socket = waitForClient();
            String name = "connection from " + remoteOf(socket) + " to " + address;
            try {
                if (socketFile == null) {
                    socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
                }
                return SocketConnection.handshake(socket, authkey, true, name);
            } catch (IOException e) {
                Quietly.close(socket);
                throw new AuthenticationException("no authentication: " + name + " failed during the handshake ("
                        + e.getMessage() + ")");
            }
        }
    }

    private SocketChannel waitForClient() throws InterruptedException {
        try {
            while (true) {
                checkOpen();
                SocketChannel socket = server.accept();
                if (socket != null) {
                    return socket;
                }
                acceptable.select();
                acceptable.selectedKeys().clear();
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        } catch (ClosedSelectorException | java.nio.channels.ClosedChannelException e) {
            throw closedError();
        } catch (IOException e) {
            checkOpen();
            throw new UncheckedIOException("cannot accept at " + address + ": " + e.getMessage(), e);
        }
    }

    private static String remoteOf(SocketChannel socket) {
        try {
            SocketAddress remote = socket.getRemoteAddress();
            return remote == null || remote.toString().isEmpty() ? "a local client" : remote.toString();
        } catch (IOException e) {
            return "a client";
        }
    }

    private void checkOpen() {
        if (closed) {
            throw closedError();
        }
    }

    private IllegalStateException closedError() {
        return new IllegalStateException("the listener at " + address + " is closed");
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Stops listening, and deletes a Unix domain socket's file; idempotent. A thread waiting in
     * {@link #accept()} wakes with an {@link IllegalStateException}. Connections already
     * accepted stay open.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Quietly.close(server, acceptable);
        if (socketFile != null) {
            try {
                Files.deleteIfExists(socketFile);
            } catch (IOException e) {
                // Left for the user; nothing else depends on it.
            }
        }
    }

    @Override
    public String toString() {
        return (closed ? "closed " : "") + "ConnectionListener(" + address + ")";
    }
}
