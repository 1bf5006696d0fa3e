package org.multiprocessing4j.benchmarks.transport;

import java.io.EOFException;
import java.io.IOException;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * How a ring endpoint waits for data (consumer) or space (producer), and how the other side
 * wakes it.
 *
 * <ul>
 * <li>{@code SPIN}: {@link Thread#onSpinWait()} forever. Lowest latency, burns a core while idle.
 * <li>{@code BACKOFF}: spin {@link #SPINS} times, {@link Thread#yield()} {@link #YIELDS} times,
 *     then {@link LockSupport#parkNanos} from 1 µs doubling up to {@link #PARK_MAX_NANOS}.
 *     Nobody has to wake it; an idle waiter wakes up to 1000 times a second.
 * <li>{@code DOORBELL}: spin and yield as BACKOFF, then set its "sleeping" flag in the ring,
 *     re-check, and block in {@code read(2)} on a Unix socket to the other JVM. The other
 *     side, after each publish, does a full fence, reads the flag, and only if it was set
 *     (and it wins the CAS 1 → 0) writes one byte: a syscall only when someone sleeps. The
 *     fence pair (store flag; fence; load tail — store tail; fence; load flag) means at least
 *     one side sees the other, so no wake-up is lost. EOF on the socket = the peer died.
 * <li>{@code DOORBELL_NOW}: DOORBELL without the spin/yield phase (every wait sleeps): measures
 *     the bare wake-up cost.
 * <li>{@code DOORBELL_SELECT}: as DOORBELL_NOW but sleeping in a {@link Selector} with a
 *     timeout, as a timed {@code poll(timeout)} would have to (a thread blocked in a channel
 *     read cannot time out, and interrupting it closes the channel).
 * </ul>
 */
final class Waiter {
    enum Mode { SPIN, BACKOFF, DOORBELL, DOORBELL_NOW, DOORBELL_SELECT }

    static final int SPINS = Integer.getInteger("probe.spins", 1000);
    static final int YIELDS = Integer.getInteger("probe.yields", 20);
    static final long PARK_MIN_NANOS = 1_000;
    static final long PARK_MAX_NANOS = Long.getLong("probe.parkMaxNanos", 1_000_000);
    private static final long GIVE_UP_NANOS = 60_000_000_000L;

    final Mode mode;
    private final SocketChannel doorbell;
    private final BooleanSupplier peerAlive;
    private final ByteBuffer bell = ByteBuffer.allocateDirect(64);
    private final ByteBuffer ring = ByteBuffer.allocateDirect(1);
    private Selector selector;
    long bellsRung;
    long sleeps;

    Waiter(Mode mode, SocketChannel doorbell, BooleanSupplier peerAlive) throws IOException {
        this.mode = mode;
        this.doorbell = doorbell;
        this.peerAlive = peerAlive;
        if (usesDoorbell() && doorbell == null) {
            throw new IllegalArgumentException(mode + " needs a doorbell socket");
        }
        if (mode == Mode.DOORBELL_SELECT) {
            doorbell.configureBlocking(false);
            selector = Selector.open();
            doorbell.register(selector, SelectionKey.OP_READ);
        }
    }

    boolean usesDoorbell() {
        return mode == Mode.DOORBELL || mode == Mode.DOORBELL_NOW || mode == Mode.DOORBELL_SELECT;
    }

    /** Waits until {@code ready} holds; {@code flag} is this side's sleeping flag in {@code r}. */
    void await(BooleanSupplier ready, ShmRing r, int flag) throws IOException {
        if (ready.getAsBoolean()) {
            return;
        }
        long start = System.nanoTime();
        if (mode == Mode.SPIN) {
            for (int i = 1; !ready.getAsBoolean(); i++) {
                Thread.onSpinWait();
                if ((i & 0xFFFFF) == 0) {
                    check(start);
                }
            }
            return;
        }
        if (mode == Mode.BACKOFF || mode == Mode.DOORBELL) {
            for (int i = 0; i < SPINS; i++) {
                Thread.onSpinWait();
                if (ready.getAsBoolean()) {
                    return;
                }
            }
            for (int i = 0; i < YIELDS; i++) {
                Thread.yield();
                if (ready.getAsBoolean()) {
                    return;
                }
            }
        }
        if (mode == Mode.BACKOFF) {
            long park = PARK_MIN_NANOS;
            while (!ready.getAsBoolean()) {
                LockSupport.parkNanos(park);
                park = Math.min(park * 2, PARK_MAX_NANOS);
                check(start);
            }
            return;
        }
        while (true) {
            r.setFlagVolatile(flag, 1); // store flag; full fence ...
            if (ready.getAsBoolean()) { // ... load tail/head
                r.casFlag(flag, 1, 0); // if this fails a bell byte is on its way: a later wait reads it
                return;
            }
            sleeps++;
            sleep();
            if (ready.getAsBoolean()) {
                return;
            }
            check(start);
        }
    }

    private void sleep() throws IOException {
        bell.clear();
        if (mode == Mode.DOORBELL_SELECT) {
            while (true) {
                int n = doorbell.read(bell);
                if (n < 0) {
                    throw new EOFException("peer closed the doorbell: it died");
                }
                if (n > 0) {
                    return;
                }
                selector.select(1000);
                selector.selectedKeys().clear();
            }
        }
        if (doorbell.read(bell) < 0) {
            throw new EOFException("peer closed the doorbell: it died");
        }
    }

    /** Called after publishing: wakes the other side if it sleeps on {@code flag} of {@code r}. */
    void signal(ShmRing r, int flag) throws IOException {
        if (!usesDoorbell()) {
            return;
        }
        VarHandle.fullFence(); // store tail/head; full fence; load flag
        if (r.flagVolatile(flag) == 1 && r.casFlag(flag, 1, 0)) {
            bellsRung++;
            ring.clear();
            while (ring.hasRemaining()) {
                doorbell.write(ring);
            }
        }
    }

    private void check(long start) throws IOException {
        if (!peerAlive.getAsBoolean()) {
            throw new EOFException("peer died");
        }
        if (System.nanoTime() - start > GIVE_UP_NANOS) {
            throw new IOException("gave up waiting after 60 s");
        }
    }
}
