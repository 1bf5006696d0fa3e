package org.multiprocessing4j;

import java.io.Serializable;
import org.multiprocessing4j.internal.channel.PipeChannel;

/**
 * A pipe between two processes, as Python's {@code multiprocessing.Pipe()}: two
 * {@link PipeConnection} ends, {@link #first()} and {@link #second()}. In a duplex pipe each
 * end sends to and receives from the other; in a one-way pipe {@code first()} only receives
 * and {@code second()} only sends, as with Python's {@code Pipe(duplex=False)}.
 *
 * <p>Give an end to a child by capturing it (or the whole pipe) in the target; it travels as a
 * small handle. As with Python's pipes, a receiver sees end-of-file ({@link PipeClosedException})
 * once the pipe is empty and every process that held the other end has closed it or ended, so
 * close the end a process does not use, as Python programs do.
 *
 * <p>Messages live in shared memory (1 MiB per direction unless the system property
 * {@code multiprocessing4j.pipeBufferBytes} says otherwise; longer messages are streamed).
 *
 * <p>Serializing a {@code ProcessPipe} serializes its ends; the object itself holds nothing else.
 *
 * <p>Memory consistency effects: those of its ends; see {@link PipeConnection}.
 */
public final class ProcessPipe implements AutoCloseable, Serializable {
    private static final long serialVersionUID = 1L;

    private final PipeConnection first;
    private final PipeConnection second;
    private final boolean duplex;

    private ProcessPipe(PipeConnection first, PipeConnection second, boolean duplex) {
        this.first = first;
        this.second = second;
        this.duplex = duplex;
    }

    /**
     * Opens a pipe; this process holds both ends. Any thread may call this.
     *
     * @param duplex true for a two-way pipe; false for one where {@link #first()} only receives
     *        and {@link #second()} only sends
     * @throws java.io.UncheckedIOException if the shared memory cannot be made (a full
     *         {@code /dev/shm}, say); the message names the directory
     */
    public static ProcessPipe open(boolean duplex) {
        PipeChannel channel = PipeChannel.create(duplex);
        return new ProcessPipe(new PipeConnection(channel, 0), new PipeConnection(channel, 1), duplex);
    }

    /** Opens a duplex pipe, as Python's {@code Pipe()}. */
    public static ProcessPipe open() {
        return open(true);
    }

    /** The first end: in a one-way pipe, the one that receives. */
    public PipeConnection first() {
        return first;
    }

    /** The second end: in a one-way pipe, the one that sends. */
    public PipeConnection second() {
        return second;
    }

    /** Whether both ends send and receive. */
    public boolean isDuplex() {
        return duplex;
    }

    /** Closes both ends in this process; idempotent. */
    @Override
    public void close() {
        first.close();
        second.close();
    }

    @Override
    public String toString() {
        return (duplex ? "duplex" : "one-way") + " pipe[" + first + ", " + second + "]";
    }
}
