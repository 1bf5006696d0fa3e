package org.multiprocessing4j.cluster.internal.shared;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * Streams over a relay connection in non-blocking mode, for the relay's side (whose threads
 * nobody interrupts). A read first tries for a short while before it waits in a selector: a
 * process that takes items in a loop sends its next request a few microseconds after the last
 * answer, and catching it then saves a thread wake-up on each side of every call.
 */
final class SpinningStreams implements AutoCloseable {
    /** Reads tried before a wait (each one a system call of well under a microsecond). */
    static final int SPINS = 200;

    private final SocketChannel channel;
    // One selector for each direction: a thread may read while another writes (a put stream's).
    private final Selector readable;
    private final Selector writable;

    SpinningStreams(SocketChannel channel) throws IOException {
        this.channel = channel;
        channel.configureBlocking(false);
        readable = Selector.open();
        writable = Selector.open();
        channel.register(readable, SelectionKey.OP_READ);
        channel.register(writable, SelectionKey.OP_WRITE);
    }

    InputStream input() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                ByteBuffer buf = ByteBuffer.wrap(b, off, len);
                int spins = SPINS;
                while (true) {
                    int r = channel.read(buf);
                    if (r != 0) {
                        return r;
                    }
                    if (spins-- > 0) {
                        Thread.onSpinWait();
                    } else {
                        await(readable);
                    }
                }
            }
        };
    }

    OutputStream output() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                ByteBuffer buf = ByteBuffer.wrap(b, off, len);
                while (buf.hasRemaining()) {
                    if (channel.write(buf) == 0) {
                        await(writable);
                    }
                }
            }
        };
    }

    private void await(Selector selector) throws IOException {
        if (!channel.isOpen()) {
            throw new EOFException("the connection was closed");
        }
        selector.select();
        selector.selectedKeys().clear();
    }

    @Override
    public void close() throws IOException {
        try {
            readable.close();
            writable.close();
        } finally {
            channel.close();
        }
    }
}
