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

    /** The most a receiver spins reading before it sleeps in {@code select}. */
    private static final long MAX_SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(
            Long.getLong("multiprocessing4j.connection.spinMicros", 50));
    private static final long MIN_SPIN_NANOS = Math.min(MAX_SPIN_NANOS, TimeUnit.MICROSECONDS.toNanos(2));
    private static final int BUFFER_BYTES = 8192;

    // The frame being read, and bytes read past it; guarded by readLock.
    // Direct: the JDK reads a socket into a direct buffer anyway, and copies into a heap one.
    private final ByteBuffer inbox = ByteBuffer.allocateDirect(BUFFER_BYTES).flip();
    /** A small frame is copied here whole and sent in one write; guarded by writeLock. */
    private final ByteBuffer outbox = ByteBuffer.allocateDirect(BUFFER_BYTES);
    private final ByteBuffer[] outboxAlone = {outbox};
    private final ByteBuffer header = ByteBuffer.allocate(HEADER);
    /**
     * How long a receive on this channel spins now, adapted to how often spinning pays here
     * (see {@link #spinRead}): per channel, so that an idle connection waiting for its next
     * request does not shorten the spin of a busy one.
     */
    private long spinNanos = MAX_SPIN_NANOS;
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
        writeLock.lockInterruptibly();
        try {
            checkOpen();
            boolean small = length <= outbox.capacity() - HEADER;
            ByteBuffer head = (small ? outbox.clear() : ByteBuffer.allocate(HEADER)).putInt(length)
                    .put(raw ? (byte) 1 : (byte) 0);
            if (small) {
                head.put(bytes, offset, length).flip(); // head is the outbox
                writeAll(outboxAlone);
            } else {
                writeAll(new ByteBuffer[] {head.flip(), ByteBuffer.wrap(bytes, offset, length)});
            }
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
        if (drainInbox(b)) {
            return true;
        }
        if (endOfFile) {
            return false;
        }
        try {
            if (readSome(b)) {
                return true;
            }
            if (endOfFile || nanos == 0) {
                return false;
            }
            long spinStart = System.nanoTime();
            if (spinRead(b, nanos)) {
                return true;
            }
            if (endOfFile) {
                return false;
            }
            long millis = nanos < 0 ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos));
            readable.select(millis);
            readable.selectedKeys().clear();
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            checkOpen();
            boolean read = readSome(b);
            if (read) {
                adaptSpin(System.nanoTime() - spinStart);
            }
            return read;
        } catch (ClosedSelectorException e) {
            throw closedError();
        }
    }

    /**
     * One non-blocking read: straight into {@code b} if it wants as much as the inbox holds,
     * otherwise into the inbox and from there into {@code b}, so that a small message's header
     * and body come in one system call. Sets {@code endOfFile} at the end of the stream.
     *
     * @return whether it read anything
     */
    private boolean readSome(ByteBuffer b) throws IOException {
        int n;
        if (b.remaining() >= inbox.capacity()) {
            n = socket.read(b);
        } else {
            inbox.clear();
            n = socket.read(inbox);
            inbox.flip();
            drainInbox(b);
        }
        if (n < 0) {
            endOfFile = true;
            return false;
        }
        return n > 0;
    }

    /** Moves what the inbox holds, as much as fits, into {@code b}; whether it moved anything. */
    private boolean drainInbox(ByteBuffer b) {
        int k = Math.min(inbox.remaining(), b.remaining());
        if (k == 0) {
            return false;
        }
        int limit = inbox.limit();
        inbox.limit(inbox.position() + k);
        b.put(inbox);
        inbox.limit(limit);
        return true;
    }

    /**
     * Tries to read for a short while before the caller sleeps in {@code select}: a reply on
     * loopback comes within tens of microseconds, and a sleep and its wake-up cost as much
     * again (a round trip of 40 µs against 16 µs spinning, on the project's machine).
     */
    private boolean spinRead(ByteBuffer b, long nanos) throws IOException {
        long limit = nanos > 0 ? Math.min(spinNanos, nanos) : spinNanos;
        long start = System.nanoTime();
        do {
            Thread.onSpinWait();
            if (readSome(b)) {
                return true;
            }
            if (endOfFile) {
                return false;
            }
        } while (System.nanoTime() - start < limit);
        return false;
    }

    /**
     * After a spin that ran out and a sleep that ended with data {@code waited} after the spin
     * began: a wait within twice the longest spin means the longest spin would likely have
     * caught it (grow); a longer one means this connection is idle between messages, or the
     * peer could not run (shrink, so that waiting costs no CPU). Judging a spin by whether it
     * alone sufficed, or against its own length, would not do: each shorter spin adds a
     * wake-up to the wait, which shrinks the spin further, until it never suffices.
     */
    private void adaptSpin(long waited) {
        long s = spinNanos;
        spinNanos = waited < 2 * MAX_SPIN_NANOS ? Math.min(MAX_SPIN_NANOS, s + s / 4 + 1)
                : Math.max(MIN_SPIN_NANOS, s - s / 4);
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
