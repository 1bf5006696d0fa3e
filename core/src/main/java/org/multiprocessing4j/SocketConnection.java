package org.multiprocessing4j;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Objects;
import org.multiprocessing4j.internal.codec.ItemCodec;
import org.multiprocessing4j.internal.connection.ChallengeHandshake;
import org.multiprocessing4j.internal.connection.ConnectionSettings;
import org.multiprocessing4j.internal.connection.FrameChannel;
import org.multiprocessing4j.internal.connection.Quietly;

/**
 * A {@link Connection} over a TCP or Unix domain socket, authenticated before its first message
 * (see {@link ChallengeHandshake}). Made by {@link Connection#connect} and
 * {@link ConnectionListener#accept()}.
 */
final class SocketConnection implements Connection {
    private final FrameChannel frames;
    private final String name;

    private SocketConnection(FrameChannel frames, String name) {
        this.frames = frames;
        this.name = name;
    }

    static Connection connect(SocketAddress address, byte[] authkey) throws InterruptedException {
        byte[] key = authkey == null ? null : authkey.clone();
        SocketChannel socket;
        try {
            socket = address instanceof InetSocketAddress
                    ? SocketChannel.open() : SocketChannel.open(StandardProtocolFamily.UNIX);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a socket to connect to " + address + ": " + e.getMessage(), e);
        }
        try {
            socket.connect(address); // blocking: a refused or unreachable address fails here
            if (address instanceof InetSocketAddress) {
                socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
            }
            return handshake(socket, key, false, "connection to " + address);
        } catch (IOException e) {
            Quietly.close(socket);
            throw new UncheckedIOException("cannot connect to " + address + ": " + e.getMessage(), e);
        } catch (RuntimeException | InterruptedException e) {
            Quietly.close(socket);
            throw e;
        }
    }

    /** Runs the handshake on a connected socket; on any failure the socket is closed. */
    static SocketConnection handshake(SocketChannel socket, byte[] key, boolean listener, String name)
            throws IOException, InterruptedException {
        FrameChannel frames = new FrameChannel(socket, ConnectionSettings.MAX_FRAME_BYTES);
        long deadline = System.nanoTime() + ConnectionSettings.handshakeTimeoutNanos();
        try {
            if (listener) {
                ChallengeHandshake.asListener(frames, key, deadline);
            } else {
                ChallengeHandshake.asClient(frames, key, deadline);
            }
        } catch (SocketTimeoutException e) {
            frames.close();
            throw new AuthenticationException("no authentication: " + e.getMessage() + "; the connection is dropped");
        } catch (EOFException e) {
            frames.close();
            throw new AuthenticationException("no authentication: " + e.getMessage());
        } catch (IOException | RuntimeException | InterruptedException e) {
            frames.close();
            throw e;
        }
        return new SocketConnection(frames, name);
    }

    @Override
    public void send(Object obj) throws InterruptedException {
        ItemCodec.Encoded e = ItemCodec.encode(obj, "an object sent through " + name);
        transmit(e.bytes, 0, e.length, e.raw);
    }

    @Override
    public void sendBytes(byte[] buf, int offset, int length) throws InterruptedException {
        Objects.requireNonNull(buf, "buf");
        Objects.checkFromIndexSize(offset, length, buf.length);
        transmit(buf, offset, length, true);
    }

    private void transmit(byte[] bytes, int offset, int length, boolean raw) throws InterruptedException {
        checkOpen();
        try {
            frames.send(bytes, offset, length, raw);
        } catch (IOException e) {
            frames.close();
            throw new PipeClosedException("cannot send: " + name + " is broken (" + e.getMessage() + ")");
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T recv() throws InterruptedException {
        FrameChannel.Frame f = receive(Integer.MAX_VALUE);
        return (T) ItemCodec.decode(f.bytes(), f.raw());
    }

    @Override
    public byte[] recvBytes() throws InterruptedException {
        return receive(Integer.MAX_VALUE).bytes();
    }

    @Override
    public byte[] recvBytes(int maxLength) throws InterruptedException {
        if (maxLength < 0) {
            throw new IllegalArgumentException("maxLength must not be negative: " + maxLength);
        }
        return receive(maxLength).bytes();
    }

    @Override
    public int recvBytesInto(byte[] buf, int offset) throws InterruptedException {
        Objects.requireNonNull(buf, "buf");
        if (offset < 0 || offset > buf.length) {
            throw new IllegalArgumentException("offset " + offset + " is outside a buffer of " + buf.length + " bytes");
        }
        byte[] message = receive(buf.length - offset).bytes();
        System.arraycopy(message, 0, buf, offset, message.length);
        return message.length;
    }

    private FrameChannel.Frame receive(int maxLength) throws InterruptedException {
        checkOpen();
        try {
            return frames.receive(-1, maxLength);
        } catch (EOFException e) {
            throw new PipeClosedException("end of file: the other end of " + name + " is closed (" + e.getMessage() + ")");
        } catch (FrameChannel.TooLong tooLong) {
            throw new IllegalArgumentException("the next message is " + tooLong.length + " bytes, longer than the "
                    + maxLength + " accepted; it stays to be received");
        } catch (ProtocolException e) {
            throw new IllegalStateException(name + ": " + e.getMessage(), e);
        } catch (IOException e) {
            frames.close();
            throw new PipeClosedException("cannot receive: " + name + " is broken (" + e.getMessage() + ")");
        }
    }

    @Override
    public boolean poll(Duration timeout) throws InterruptedException {
        long nanos = ProcessQueue.nanos(timeout);
        checkOpen();
        try {
            return frames.poll(nanos);
        } catch (IOException e) {
            return true; // recv() would not wait: it would throw
        }
    }

    private void checkOpen() {
        if (frames.isClosed()) {
            throw new IllegalStateException(name + " is closed");
        }
    }

    @Override
    public void close() {
        frames.close();
    }

    @Override
    public boolean isClosed() {
        return frames.isClosed();
    }

    @Override
    public String toString() {
        return (isClosed() ? "closed " : "") + name;
    }
}
