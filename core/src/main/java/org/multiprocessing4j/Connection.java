package org.multiprocessing4j;

import java.net.SocketAddress;
import java.time.Duration;
import org.multiprocessing4j.internal.connection.ConnectionSettings;

/**
 * One end of a two-way message channel between processes: Python's
 * {@code multiprocessing.connection.Connection}. A {@link PipeConnection} (an end of a
 * {@link ProcessPipe}, in shared memory) and a socket connection (from
 * {@link #connect(SocketAddress, byte[])} or {@link ConnectionListener#accept()}) are both
 * connections, so code that uses one does not care which it has.
 *
 * <p>{@link #send} and {@link #recv} carry objects ({@code Integer}, {@code Long},
 * {@code Double}, {@code Boolean}, {@code String}, {@code byte[]} and null take a fast path;
 * anything else must be {@link java.io.Serializable}); {@link #sendBytes} and
 * {@link #recvBytes} carry bytes as they are. Messages arrive whole and in order. Any thread may
 * use a connection; threads that send at once (or receive at once) take turns, a message at a
 * time.
 *
 * <p>A receive waits for a message; once the other end is closed (or its process has ended) it
 * throws {@link PipeClosedException} instead, after everything sent before has been read. After
 * {@link #close()}, sending, receiving and polling throw {@link IllegalStateException}.
 *
 * <p>Memory consistency effects: a message travels as a copy. Actions in a thread prior to
 * sending a message happen-before actions subsequent to receiving it in another thread of this
 * JVM; across processes, the receiver sees the content the object had while {@code send} ran.
 */
public interface Connection extends AutoCloseable {
    /**
     * Connects to the {@link ConnectionListener} at {@code address} and authenticates with
     * {@code authkey}: Python's {@code multiprocessing.connection.Client}. Both ends prove that
     * they hold the same key (a mutual HMAC-SHA256 challenge over fresh random nonces) before
     * either reads an object from the other. Blocks until that is done, at most for the
     * handshake time limit ({@code -Dmultiprocessing4j.connection.handshakeTimeoutMillis},
     * default 10 s).
     *
     * @param address a {@link java.net.InetSocketAddress} or a {@link java.net.UnixDomainSocketAddress}
     * @param authkey the shared secret (copied); null only for a Unix domain socket whose
     *        listener was opened without one
     * @return the connected, authenticated connection
     * @throws NullPointerException if {@code address} is null
     * @throws IllegalArgumentException if {@code address} is of another kind, or is an
     *         {@code InetSocketAddress} and {@code authkey} is null or empty
     * @throws AuthenticationException if the keys differ, one side has none, or the listener
     *         does not finish the handshake in time; the connection is closed
     * @throws java.io.UncheckedIOException if nothing listens there, or the network fails
     * @throws InterruptedException if interrupted while connecting or authenticating
     */
    static Connection connect(SocketAddress address, byte[] authkey) throws InterruptedException {
        return SocketConnection.connect(ConnectionSettings.check(address, authkey, "connect"), authkey);
    }

    /**
     * Sends {@code obj} as one message. Encodes it in the calling thread first.
     *
     * @throws ProcessSerializationException if {@code obj} cannot be serialized; nothing is sent
     * @throws PipeClosedException if the other end is gone
     * @throws IllegalStateException if this connection is closed
     * @throws InterruptedException if interrupted while waiting to send; nothing is sent
     */
    void send(Object obj) throws InterruptedException;

    /** Sends all of {@code buf} as one message of bytes; otherwise as {@link #send}. */
    default void sendBytes(byte[] buf) throws InterruptedException {
        java.util.Objects.requireNonNull(buf, "buf");
        sendBytes(buf, 0, buf.length);
    }

    /**
     * Sends {@code length} bytes of {@code buf} from {@code offset} as one message.
     *
     * @throws IndexOutOfBoundsException if {@code offset} and {@code length} do not fit {@code buf}
     */
    void sendBytes(byte[] buf, int offset, int length) throws InterruptedException;

    /**
     * Receives the next object, waiting until there is one. A message sent with
     * {@link #sendBytes} is received as a {@code byte[]}.
     *
     * @param <T> the type the caller expects (the cast is unchecked)
     * @throws PipeClosedException if there is no message and the other end is gone
     * @throws IllegalStateException if this connection is closed, or the object cannot be
     *         decoded here (its class is missing or refused by the serialization filter; the
     *         message is consumed)
     * @throws InterruptedException if interrupted while waiting; nothing is received
     */
    <T> T recv() throws InterruptedException;

    /** Receives the next message as bytes (an object as its encoded bytes), waiting for one. */
    byte[] recvBytes() throws InterruptedException;

    /**
     * As {@link #recvBytes()}, refusing a message longer than {@code maxLength}.
     *
     * @throws IllegalArgumentException if the next message is longer (it stays there to be
     *         received otherwise) or {@code maxLength} is negative
     */
    byte[] recvBytes(int maxLength) throws InterruptedException;

    /** As {@link #recvBytesInto(byte[], int)} at offset 0. */
    default int recvBytesInto(byte[] buf) throws InterruptedException {
        return recvBytesInto(buf, 0);
    }

    /**
     * Receives the next message into {@code buf} from {@code offset}.
     *
     * @return the length of the message
     * @throws IllegalArgumentException if the message does not fit (it stays there) or
     *         {@code offset} is outside {@code buf}
     */
    int recvBytesInto(byte[] buf, int offset) throws InterruptedException;

    /**
     * Whether a message can be received now without waiting (or the other end is gone, so that
     * {@link #recv()} would throw at once). Does not block.
     *
     * @throws IllegalStateException if this connection is closed
     */
    default boolean poll() {
        try {
            return poll(Duration.ZERO);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // a zero wait does not wait: keep the interrupt
            return false;
        }
    }

    /**
     * Waits at most {@code timeout} until a message can be received (or the other end is gone).
     *
     * @return true if {@link #recv()} would not wait
     * @throws IllegalStateException if this connection is closed
     * @throws InterruptedException if interrupted while waiting
     */
    boolean poll(Duration timeout) throws InterruptedException;

    /** Closes this end; idempotent. The other end then sees end-of-file. */
    @Override
    void close();

    /** Whether {@link #close()} was called on this end in this process. */
    boolean isClosed();
}
