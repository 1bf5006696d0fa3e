package org.multiprocessing4j.cluster.internal.shared;

import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The puts of this process on unbounded cluster queues, handed to the relay of the node that
 * started it without waiting for the cluster, as a local queue's put hands its item to shared
 * memory. A synchronous put costs a round trip through the relay to the member that owns the
 * queue and on to its backup; held, a put costs a copy into a buffer, and the relay adds what
 * has come in one {@code addAll} per queue while the next puts arrive.
 *
 * <p>What a user can rely on:
 * <ul>
 * <li>Puts from this process reach each queue in the order they were made (one connection,
 *     written by one thread, read by one relay thread).
 * <li>Before any other call of this process to the cluster (a take, a lock, an event's
 *     {@code set}, a dict's put…) and before this process exits, its held puts are in the
 *     cluster: what another process learns from such a call, the puts made before it are visible
 *     to it. A program that puts and then signals sees no difference from synchronous puts.
 * <li>A put that the cluster refused (its joinable queue was destroyed, its member died before
 *     it answered; a plain queue that was destroyed is made again, as by a synchronous put) is
 *     reported by this process's next put or call, as an
 *     {@link IllegalStateException} naming how many items were not added; at exit, by a
 *     warning on standard error.
 * <li>Back-pressure: at most {@link #MAX_WAITING_BYTES} wait in this process; the next put waits
 *     for room (and answers to an interrupt meanwhile, with nothing put).
 * <li>Lost: puts still in this process when it is killed with SIGKILL (as Python's queue loses
 *     what its feeder thread has not written), and those the relay held when its node died.
 * </ul>
 */
final class HeldPuts {
    /** The most bytes of frames waiting in this process for the writer. */
    static final int MAX_WAITING_BYTES = 1 << 20;
    /** How long the writer waits, after a write, for more puts before it writes them (or sleeps). */
    private static final long LINGER_NANOS = TimeUnit.MICROSECONDS.toNanos(100);
    private static final long EXIT_WAIT_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final Logger LOG = Logger.getLogger(HeldPuts.class.getName());

    private final SocketChannel channel;
    private final java.util.Set<String> queues = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Object lock = new Object();
    // All below guarded by lock.
    private byte[] waiting = new byte[64 << 10];
    private int waitingBytes;
    private long handed;
    private long added;
    private boolean writerAsleep;
    private boolean lingering;
    private boolean exitHook;
    private IllegalStateException failure;
    private String broken;

    HeldPuts(Path socket) throws IOException {
        channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
            byte[] open = new HeldPut.Open().frameOf();
            ByteBuffer b = ByteBuffer.wrap(open);
            while (b.hasRemaining()) {
                channel.write(b);
            }
        } catch (IOException e) {
            channel.close();
            throw new IOException("cannot reach the relay " + socket + ": " + e.getMessage(), e);
        }
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(this::flushAtExit, "mp4j-relay-put-flush"));
            exitHook = true;
        } catch (IllegalStateException exiting) {
            exitHook = false; // this JVM is already exiting: every put waits until it is added
        }
        daemon(this::write, "mp4j-relay-put-writer");
        daemon(this::read, "mp4j-relay-put-acks");
    }

    private static void daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    /**
     * Hands {@code item} for {@code queue} to the relay. Returns once it is in this process's
     * buffer; waits only while the buffer is full.
     *
     * @throws IllegalStateException if an earlier put was not added, or the relay is gone
     * @throws InterruptedException if interrupted while waiting for room (nothing was put)
     */
    void hand(String queue, String unfinishedKey, byte[] item) throws InterruptedException {
        byte[] frame = new HeldPut(queue, unfinishedKey, item).frameOf();
        queues.add(queue);
        synchronized (lock) {
            reportFailure();
            while (waitingBytes > 0 && waitingBytes + frame.length > MAX_WAITING_BYTES && broken == null) {
                lock.wait();
            }
            if (broken != null) {
                throw new IllegalStateException("the cluster is out of reach: " + broken);
            }
            if (waitingBytes + frame.length > waiting.length) {
                waiting = java.util.Arrays.copyOf(waiting, Math.max(waiting.length * 2, waitingBytes + frame.length));
            }
            System.arraycopy(frame, 0, waiting, waitingBytes, frame.length);
            waitingBytes += frame.length;
            handed++;
            if (writerAsleep) {
                lock.notifyAll();
            }
        }
        if (!exitHook) {
            awaitAdded(EXIT_WAIT_NANOS);
        }
    }

    /** Whether this process has put on {@code queue} (a take from another queue need not wait for its puts). */
    boolean putOn(String queue) {
        return queues.contains(queue);
    }

    /**
     * Waits until every put handed so far has been added to the cluster (uninterruptibly: the
     * interrupt status is set again afterwards), then reports a put that was not added.
     *
     * @throws IllegalStateException if a put was not added, or the relay is gone with puts not
     *         known to be added
     */
    void awaitAdded() {
        awaitAdded(Long.MAX_VALUE);
    }

    private void awaitAdded(long nanos) {
        boolean interrupted = false;
        long deadline = nanos == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + nanos;
        try {
            synchronized (lock) {
                long target = handed;
                while (added < target && broken == null) {
                    long left = deadline == Long.MAX_VALUE ? 0 : deadline - System.nanoTime();
                    if (deadline != Long.MAX_VALUE && left <= 0) {
                        break;
                    }
                    try {
                        if (left == 0) {
                            lock.wait();
                        } else {
                            TimeUnit.NANOSECONDS.timedWait(lock, left);
                        }
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                if (added < target && failure == null) {
                    failure = new IllegalStateException((target - added) + " item(s) put on the cluster's queues by"
                            + " this process may not have reached the cluster: "
                            + (broken != null ? broken : "the relay did not add them within "
                            + TimeUnit.NANOSECONDS.toSeconds(nanos) + " s"));
                    added = target;
                }
                reportFailure();
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Throws (once) the failure of an earlier put. Called with the lock held. */
    private void reportFailure() {
        IllegalStateException f = failure;
        if (f != null) {
            failure = null;
            throw new IllegalStateException(f.getMessage(), f);
        }
    }

    private void flushAtExit() {
        try {
            awaitAdded(EXIT_WAIT_NANOS);
        } catch (IllegalStateException e) {
            System.err.println("multiprocessing4j: " + e.getMessage());
        }
    }

    // One thread writes (never interrupted: an interrupt would close the channel), so that a
    // put costs a copy and a wake-up at most, and puts made meanwhile go out in one write.
    private void write() {
        byte[] spare = new byte[64 << 10];
        try {
            while (true) {
                byte[] out;
                int n;
                synchronized (lock) {
                    if (waitingBytes == 0 && lingering) {
                        // Just written, and nothing new yet: give a burst of puts a moment to
                        // gather (a put does not wake a writer that is not asleep), so that it
                        // goes out in few writes rather than one write and one wake-up per put.
                        TimeUnit.NANOSECONDS.timedWait(lock, LINGER_NANOS);
                    }
                    while (waitingBytes == 0) {
                        writerAsleep = true;
                        lock.wait();
                    }
                    lingering = true;
                    writerAsleep = false;
                    out = waiting;
                    n = waitingBytes;
                    waiting = spare;
                    waitingBytes = 0;
                    lock.notifyAll(); // room for puts that wait
                }
                ByteBuffer b = ByteBuffer.wrap(out, 0, n);
                while (b.hasRemaining()) {
                    channel.write(b);
                }
                spare = out.length > MAX_WAITING_BYTES * 2 ? new byte[64 << 10] : out;
                synchronized (lock) {
                    lingering = waitingBytes == 0 && n < MAX_WAITING_BYTES / 2;
                }
            }
        } catch (IOException | InterruptedException e) {
            end("the connection to the node that started this process failed (" + e.getMessage()
                    + "); it has probably stopped");
        }
    }

    // The relay answers each batch with the number of puts added so far, after a failure's
    // message if a put of the batch was not added.
    private void read() {
        InputStream in = new java.io.BufferedInputStream(new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return channel.read(ByteBuffer.wrap(b, off, len)); // not Channels' stream: it would lock out the writer
            }
        });
        try {
            while (true) {
                Object reply = Frames.readReply(in);
                synchronized (lock) {
                    if (reply instanceof long[]) {
                        added = Math.max(added, ((long[]) reply)[0]);
                    } else if (reply instanceof Frames.Failure) {
                        RuntimeException e = ((Frames.Failure) reply).toException("on the node that started this process");
                        failure = e instanceof IllegalStateException ? (IllegalStateException) e
                                : new IllegalStateException(e.getMessage(), e);
                        LOG.log(Level.FINE, "a held put was not added", e);
                    }
                    lock.notifyAll();
                }
            }
        } catch (IOException e) {
            end("the connection to the node that started this process ended (" + e.getMessage()
                    + "); it has probably stopped");
        }
    }

    private void end(String why) {
        synchronized (lock) {
            if (broken == null) {
                broken = why;
            }
            lock.notifyAll();
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // already broken
        }
    }
}
