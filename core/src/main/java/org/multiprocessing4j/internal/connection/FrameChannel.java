package org.multiprocessing4j.internal.connection;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Length-prefixed messages over a socket: a 4-byte length, a flag byte (1: raw bytes, 0: an
 * encoded object), the payload. The socket is non-blocking and each direction waits on a
 * selector of its own, so that a wait can time out and be interrupted without closing the
 * socket (as an interrupt of a blocking channel operation would). A frame read in part when a
 * wait ends stays read in part: the next receive goes on with it, so nothing is lost or torn.
 *
 * <p>Thread-safety: receivers take turns on {@code readLock}, senders on {@code writeLock}.
 */
public final class FrameChannel implements AutoCloseable {
    private static final int HEADER = 5;

    private final SocketChannel socket;
    private final Selector readable;
    private final Selector writable;
    private final ReentrantLock readLock = new ReentrantLock();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final int maxFrame;
    private volatile boolean closed;

    // The frame being read; guarded by readLock.
    private final ByteBuffer header = ByteBuffer.allocate(HEADER);
    private ByteBuffer body;
    private boolean endOfFile;

    /** A received message. */
    public record Frame(byte[] bytes, boolean raw) {
    }

    /** The next frame is longer than the caller accepts; it stays to be read otherwise. */
    public static final class TooLong extends Exception {
        private static final long serialVersionUID = 1L;
        public final int length;

        TooLong(int length) {
            super(null, null, false, false);
            this.length = length;
        }
    }

    /** Takes over {@code socket} (connected) and makes it non-blocking. */
    public FrameChannel(SocketChannel socket, int maxFrame) throws IOException {
        this.socket = socket;
        this.maxFrame = maxFrame;
        socket.configureBlocking(false);
        this.readable = Selector.open();
        try {
            this.writable = Selector.open();
            socket.register(readable, SelectionKey.OP_READ);
            socket.register(writable, SelectionKey.OP_WRITE);
        } catch (IOException | RuntimeException e) {
            Quietly.close(readable);
            throw e;
        }
    }

    /**
     * Reads exactly {@code n} bytes that are not a frame (the handshake's), by {@code deadline}
     * ({@link System#nanoTime()}).
     *
     * @throws SocketTimeoutException if the deadline passes first
     * @throws EOFException if the peer closes first
     */
    ByteBuffer readExactly(int n, long deadline, String what) throws IOException, InterruptedException {
        ByteBuffer b = ByteBuffer.allocate(n);
        readLock.lock();
        try {
            while (b.hasRemaining()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new SocketTimeoutException("the peer did not send " + what + " within "
                            + TimeUnit.NANOSECONDS.toMillis(ConnectionSettings.handshakeTimeoutNanos()) + " ms");
                }
                if (!fill(b, left) && endOfFile) {
                    throw new EOFException("the peer closed the connection before sending " + what);
                }
            }
        } finally {
            readLock.unlock();
        }
        return b.flip();
    }

    /** Writes all of {@code b}; an interrupt meanwhile is kept for the caller, not acted on. */
    void writeFully(ByteBuffer b) throws IOException {
        writeLock.lock();
        try {
            writeAll(new ByteBuffer[] {b});
        } finally {
            writeLock.unlock();
        }
    }

    /** Sends one frame; once started, it is sent whole. */
    public void send(byte[] bytes, int offset, int length, boolean raw) throws IOException, InterruptedException {
        if (length > maxFrame) {
            throw new IllegalArgumentException("a message of " + length + " bytes is longer than the "
                    + maxFrame + " a connection carries (-Dmultiprocessing4j.connection.maxFrameBytes)");
        }
        ByteBuffer head = ByteBuffer.allocate(HEADER).putInt(length).put(raw ? (byte) 1 : (byte) 0).flip();
        writeLock.lockInterruptibly();
        try {
            checkOpen();
            writeAll(new ByteBuffer[] {head, ByteBuffer.wrap(bytes, offset, length)});
        } finally {
            writeLock.unlock();
        }
    }

    private void writeAll(ByteBuffer[] buffers) throws IOException {
        boolean interrupted = false;
        try {
            while (hasRemaining(buffers)) { // not just the last: an empty message is a header alone
                if (socket.write(buffers) == 0) {
                    interrupted |= Thread.interrupted(); // an interrupt would make select spin
                    writable.select(1000);
                    writable.selectedKeys().clear();
                    checkOpen();
                }
            }
        } catch (ClosedSelectorException e) {
            throw closedError();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static boolean hasRemaining(ByteBuffer[] buffers) {
        for (ByteBuffer b : buffers) {
            if (b.hasRemaining()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Receives the next frame, waiting at most {@code nanos} (negative: no limit).
     *
     * @return the frame, or null if none came in time
     * @throws EOFException if the peer has closed and every frame it sent has been received
     * @throws TooLong if the next frame is longer than {@code maxLength}; it stays
     * @throws java.net.ProtocolException if the peer sent a frame longer than the limit; the
     *         connection is closed
     */
    public Frame receive(long nanos, int maxLength) throws IOException, InterruptedException, TooLong {
        nanos = nanos > Long.MAX_VALUE / 4 ? -1 : nanos; // a deadline that far would overflow
        long deadline = System.nanoTime() + nanos;
        readLock.lockInterruptibly();
        try {
            if (!fillFrame(nanos, deadline)) {
                return null;
            }
            int length = header.getInt(0);
            if (length > maxLength) {
                throw new TooLong(length);
            }
            if (body.hasRemaining() && !fillBody(nanos < 0 ? -1 : Math.max(0, deadline - System.nanoTime()))) {
                return null;
            }
            Frame f = new Frame(body.array(), header.get(4) == 1);
            header.clear();
            body = null;
            return f;
        } finally {
            readLock.unlock();
        }
    }

    /** Whether a whole frame (or the end of the stream) is here, waiting at most {@code nanos}. */
    public boolean poll(long nanos) throws IOException, InterruptedException {
        nanos = nanos > Long.MAX_VALUE / 4 ? -1 : nanos; // a deadline that far would overflow
        long deadline = System.nanoTime() + nanos;
        readLock.lockInterruptibly();
        try {
            if (!fillFrame(nanos, deadline)) {
                return false;
            }
            return !body.hasRemaining() || fillBody(nanos < 0 ? -1 : Math.max(0, deadline - System.nanoTime()));
        } catch (EOFException e) {
            return true;
        } finally {
            readLock.unlock();
        }
    }

    /** Reads the header, and makes the body buffer; false if the time ran out. */
    private boolean fillFrame(long nanos, long deadline) throws IOException, InterruptedException {
        checkOpen();
        while (header.hasRemaining()) {
            long left = nanos < 0 ? -1 : deadline - System.nanoTime();
            if (nanos >= 0 && left < 0) {
                return false;
            }
            if (!fill(header, left)) {
                if (endOfFile && header.position() == 0) {
                    throw new EOFException("end of stream");
                }
                if (endOfFile) {
                    throw new EOFException("the peer closed the connection in the middle of a message");
                }
                if (nanos >= 0) {
                    return false;
                }
            }
        }
        if (body == null) {
            int length = header.getInt(0);
            if (length < 0 || length > maxFrame) {
                close();
                throw new java.net.ProtocolException("the peer sent a message of " + length + " bytes, outside the "
                        + maxFrame + " a connection accepts (-Dmultiprocessing4j.connection.maxFrameBytes);"
                        + " the connection is closed");
            }
            body = ByteBuffer.allocate(length);
        }
        return true;
    }

    private boolean fillBody(long nanos) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + nanos;
        while (body.hasRemaining()) {
            long left = nanos < 0 ? -1 : deadline - System.nanoTime();
            if (nanos >= 0 && left < 0) {
                return false;
            }
            if (!fill(body, left) && endOfFile) {
                throw new EOFException("the peer closed the connection in the middle of a message");
            }
        }
        return true;
    }

    /**
     * Reads what is there into {@code b}, waiting at most {@code nanos} (negative: no limit)
     * for something to read. Returns false if nothing came, or the stream ended
     * ({@code endOfFile}).
     */
    private boolean fill(ByteBuffer b, long nanos) throws IOException, InterruptedException {
        if (endOfFile) {
            return false;
        }
        try {
            int n = socket.read(b);
            if (n < 0) {
                endOfFile = true;
                return false;
            }
            if (n > 0) {
                return true;
            }
            if (nanos == 0) {
                return false;
            }
            long millis = nanos < 0 ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos));
            readable.select(millis);
            readable.selectedKeys().clear();
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            checkOpen();
            n = socket.read(b);
            if (n < 0) {
                endOfFile = true;
                return false;
            }
            return n > 0;
        } catch (ClosedSelectorException e) {
            throw closedError();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw closedError();
        }
    }

    private static IllegalStateException closedError() {
        return new IllegalStateException("the connection is closed");
    }

    public boolean isClosed() {
        return closed;
    }

    /** Closes the socket; threads waiting on it wake with an {@link IllegalStateException}. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Quietly.close(socket, readable, writable);
    }
}
