package org.multiprocessing4j;

import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.lang.ref.Cleaner;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.multiprocessing4j.internal.channel.PipeChannel;
import org.multiprocessing4j.internal.codec.ItemCodec;
import org.multiprocessing4j.internal.shm.Guard;

/**
 * One end of a {@link ProcessPipe}, as Python's {@code multiprocessing.connection.Connection}:
 * a {@link Connection} in shared memory.
 *
 * <p>{@link #send} and {@link #recv} carry objects ({@code Integer}, {@code Long},
 * {@code Double}, {@code Boolean}, {@code String}, {@code byte[]} and null take a fast path;
 * anything else must be {@link Serializable}); {@link #sendBytes} and {@link #recvBytes} carry
 * bytes as they are. Messages arrive whole and in order. Any thread may use an end; threads
 * that send at once (or receive at once) take turns, a message at a time. An end may be used
 * in several processes, as in Python, though usually each end belongs to one process.
 *
 * <p>A receive on an empty pipe waits; once the other end is closed in every process that held
 * it, or those processes have ended, it throws {@link PipeClosedException} instead (after
 * everything sent before has been read). A send waits while the pipe is full, and throws
 * {@code PipeClosedException} if the other end goes away meanwhile.
 *
 * <p>In a one-way pipe {@link ProcessPipe#first()} only receives and
 * {@link ProcessPipe#second()} only sends; the other direction throws
 * {@link UnsupportedOperationException}. After {@link #close()} sending, receiving and polling
 * throw {@link IllegalStateException}. An end that is garbage-collected without being closed is
 * closed then.
 *
 * <p>Memory consistency effects: a message travels as a copy, even between threads of one JVM.
 * {@code send} encodes the object in the calling thread ({@code sendBytes} copies the bytes into
 * shared memory during the call), so the receiver gets a new object with the content it had
 * while {@code send} ran. Actions in a thread prior to sending a message ({@code send},
 * {@code sendBytes}) happen-before actions subsequent to receiving that message ({@code recv},
 * {@code recvBytes}, {@code recvBytesInto}) in another thread of this JVM, or in a thread of
 * another process for the memory the two processes share (the shared objects of this package):
 * as in {@link ProcessQueue}, the sender publishes a message's bytes with a release store and
 * the receiver reads that position with an acquire load. {@code poll} gives no guarantee beyond
 * telling that a message is there.
 */
public final class PipeConnection implements Connection, Serializable {
    private static final long serialVersionUID = 1L;
    private static final Cleaner CLEANER = Cleaner.create();

    private final transient PipeChannel channel;
    private final transient int end;
    private final transient AtomicBoolean closed;
    private final transient Cleaner.Cleanable cleanable;
    private final transient Guard guard;

    PipeConnection(PipeChannel channel, int end) {
        this.channel = channel;
        this.end = end;
        AtomicBoolean c = new AtomicBoolean();
        this.closed = c;
        this.cleanable = CLEANER.register(this, new Release(channel, end, c));
        this.guard = slow -> {
            if (c.get()) {
                throw new IllegalStateException(name() + " is closed");
            }
        };
    }

    private static final class Release implements Runnable {
        private final PipeChannel channel;
        private final int end;
        private final AtomicBoolean closed;

        Release(PipeChannel channel, int end, AtomicBoolean closed) {
            this.channel = channel;
            this.end = end;
            this.closed = closed;
        }

        @Override
        public void run() {
            if (closed.compareAndSet(false, true)) {
                channel.release(end);
            }
        }
    }

    private String name() {
        return (end == 0 ? "first" : "second") + " end of a " + (channel.duplex() ? "duplex" : "one-way") + " pipe";
    }

    /**
     * Sends {@code obj} to the other end, waiting while the pipe is full.
     *
     * @param obj the object; null is allowed
     * @throws ProcessSerializationException if {@code obj} cannot be serialized; nothing is sent
     * @throws PipeClosedException if the other end is closed everywhere while this waits for room
     * @throws UnsupportedOperationException if this end only receives
     * @throws IllegalStateException if this end is closed
     * @throws InterruptedException if interrupted while waiting for room; nothing is sent
     */
    public void send(Object obj) throws InterruptedException {
        checkSend();
        ItemCodec.Encoded e = PipeChannel.encode(obj);
        try {
            channel.send(end, e, guard);
        } catch (PipeChannel.PeerGone gone) {
            throw peerGone();
        }
    }

    /**
     * Sends all of {@code buf} as one message of bytes.
     *
     * @throws NullPointerException if {@code buf} is null
     * @throws PipeClosedException as {@link #send}
     * @throws UnsupportedOperationException as {@link #send}
     * @throws IllegalStateException as {@link #send}
     * @throws InterruptedException as {@link #send}
     */
    public void sendBytes(byte[] buf) throws InterruptedException {
        Objects.requireNonNull(buf, "buf");
        sendBytes(buf, 0, buf.length);
    }

    /**
     * Sends {@code length} bytes of {@code buf} from {@code offset} as one message.
     *
     * @throws IndexOutOfBoundsException if {@code offset} and {@code length} do not fit {@code buf}
     * @throws PipeClosedException as {@link #send}
     * @throws UnsupportedOperationException as {@link #send}
     * @throws IllegalStateException as {@link #send}
     * @throws InterruptedException as {@link #send}
     */
    public void sendBytes(byte[] buf, int offset, int length) throws InterruptedException {
        Objects.requireNonNull(buf, "buf");
        Objects.checkFromIndexSize(offset, length, buf.length);
        checkSend();
        transmit(buf, offset, length, true);
    }

    private void transmit(byte[] bytes, int offset, int length, boolean raw) throws InterruptedException {
        try {
            channel.send(end, bytes, offset, length, raw, guard);
        } catch (PipeChannel.PeerGone gone) {
            throw peerGone();
        }
    }

    private static PipeClosedException peerGone() {
        return new PipeClosedException("cannot send: the other end of the pipe is closed in every process"
                + " that held it, or they have ended");
    }

    /**
     * Receives the next object, waiting until there is one. A message sent with
     * {@link #sendBytes} is received as a {@code byte[]}.
     *
     * @param <T> the type the caller expects (the cast is unchecked)
     * @throws PipeClosedException if the pipe is empty and the other end is closed everywhere
     * @throws IllegalStateException if this end is closed, or the object cannot be decoded here
     *         (its class is missing, say; the message is consumed)
     * @throws UnsupportedOperationException if this end only sends
     * @throws InterruptedException if interrupted while waiting; nothing is received
     */
    @SuppressWarnings("unchecked")
    public <T> T recv() throws InterruptedException {
        boolean[] raw = new boolean[1];
        byte[] message = receive(Integer.MAX_VALUE, raw);
        return (T) PipeChannel.decode(message, raw[0]);
    }

    /**
     * Receives the next message as bytes, waiting until there is one. A message sent with
     * {@link #send} comes as its encoded bytes, as in Python.
     *
     * @throws PipeClosedException as {@link #recv()}
     * @throws IllegalStateException as {@link #recv()}
     * @throws UnsupportedOperationException as {@link #recv()}
     * @throws InterruptedException as {@link #recv()}
     */
    public byte[] recvBytes() throws InterruptedException {
        return receive(Integer.MAX_VALUE, new boolean[1]);
    }

    /**
     * As {@link #recvBytes()}, refusing a message longer than {@code maxLength}.
     *
     * @throws IllegalArgumentException if the next message is longer than {@code maxLength}
     *         (it stays in the pipe; Python would lose it) or {@code maxLength} is negative
     */
    public byte[] recvBytes(int maxLength) throws InterruptedException {
        if (maxLength < 0) {
            throw new IllegalArgumentException("maxLength must not be negative: " + maxLength);
        }
        return receive(maxLength, new boolean[1]);
    }

    /** As {@link #recvBytesInto(byte[], int)} at offset 0. */
    public int recvBytesInto(byte[] buf) throws InterruptedException {
        return recvBytesInto(buf, 0);
    }

    /**
     * Receives the next message into {@code buf} from {@code offset}.
     *
     * @return the length of the message
     * @throws IllegalArgumentException if the message does not fit (it stays in the pipe) or
     *         {@code offset} is outside {@code buf}
     * @throws PipeClosedException as {@link #recv()}
     * @throws IllegalStateException as {@link #recv()}
     * @throws UnsupportedOperationException as {@link #recv()}
     * @throws InterruptedException as {@link #recv()}
     */
    public int recvBytesInto(byte[] buf, int offset) throws InterruptedException {
        Objects.requireNonNull(buf, "buf");
        if (offset < 0 || offset > buf.length) {
            throw new IllegalArgumentException("offset " + offset + " is outside a buffer of " + buf.length + " bytes");
        }
        byte[] message = receive(buf.length - offset, new boolean[1]);
        System.arraycopy(message, 0, buf, offset, message.length);
        return message.length;
    }

    private byte[] receive(int maxLength, boolean[] raw) throws InterruptedException {
        checkReceive();
        Object got;
        try {
            got = channel.receive(end, -1, maxLength, raw, guard);
        } catch (PipeChannel.PeerGone gone) {
            throw new PipeClosedException("end of file: the other end of the pipe is closed in every process"
                    + " that held it, or they have ended");
        } catch (PipeChannel.TooLong tooLong) {
            throw new IllegalArgumentException("the next message is " + tooLong.length + " bytes, longer than the "
                    + maxLength + " accepted; it stays in the pipe");
        }
        return (byte[]) got;
    }

    /**
     * Whether a message can be received now without waiting (or the other end is gone, so that
     * {@link #recv()} would throw at once). Does not block.
     *
     * @throws IllegalStateException if this end is closed
     * @throws UnsupportedOperationException if this end only sends
     */
    @Override
    public boolean poll() {
        return Connection.super.poll();
    }

    /**
     * Waits at most {@code timeout} until a message can be received (or the other end is gone).
     *
     * @return true if {@link #recv()} would not wait
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalStateException if this end is closed (also while waiting)
     * @throws UnsupportedOperationException if this end only sends
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean poll(Duration timeout) throws InterruptedException {
        long nanos = ProcessQueue.nanos(timeout);
        checkReceive();
        return channel.poll(end, nanos, guard);
    }

    /** Whether this end may receive (false for the second end of a one-way pipe). */
    public boolean isReadable() {
        return channel.canReceive(end);
    }

    /** Whether this end may send (false for the first end of a one-way pipe). */
    public boolean isWritable() {
        return channel.canSend(end);
    }

    /**
     * Closes this end in this process; idempotent. Once no process holds it, the other end sees
     * end-of-file. Threads of this process waiting on this end wake with an
     * {@link IllegalStateException}.
     */
    @Override
    public void close() {
        cleanable.clean();
    }

    /** Whether {@link #close()} was called on this end in this process. */
    public boolean isClosed() {
        return closed.get();
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException(name() + " is closed");
        }
    }

    private void checkSend() {
        checkOpen();
        if (!channel.canSend(end)) {
            throw new UnsupportedOperationException("the first end of a one-way pipe only receives; send from second()");
        }
    }

    private void checkReceive() {
        checkOpen();
        if (!channel.canReceive(end)) {
            throw new UnsupportedOperationException("the second end of a one-way pipe only sends; receive at first()");
        }
    }

    @Override
    public String toString() {
        return (closed.get() ? "closed " : "") + name();
    }

    /** What travels instead of an end: how to reach the pipe, and a holder slot kept for the receiver. */
    Object writeReplace() throws ObjectStreamException {
        checkOpen();
        return new Handle(channel.handle(end));
    }

    private void readObject(ObjectInputStream in) throws InvalidObjectException {
        throw new InvalidObjectException("a pipe end travels as its handle");
    }

    private static final class Handle implements Serializable {
        private static final long serialVersionUID = 1L;
        private final Serializable end;

        Handle(Serializable end) {
            this.end = end;
        }

        private Object readResolve() {
            return new PipeConnection(PipeChannel.attach(end), PipeChannel.endOf(end));
        }
    }
}
