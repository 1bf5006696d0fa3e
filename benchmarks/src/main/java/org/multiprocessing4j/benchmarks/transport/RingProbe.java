package org.multiprocessing4j.benchmarks.transport;

import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Two {@link ShmRing}s (parent → child "A", child → parent "B") in one file in the 0700
 * scratch directory, mapped by both JVMs; the file is unlinked as soon as the child has mapped
 * it. In the doorbell modes the two JVMs also share one Unix socket for wake-ups.
 *
 * <pre>
 * file+0    childReady (long)
 * file+512  ring A, then ring B
 * </pre>
 */
final class RingProbe {
    static final String T = "shm ring";
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final int RING_A = 512;
    /** Ring size for the throughput rows (-Dprobe.bulkRing=BYTES, a power of two). */
    /** The consumer publishes head every quarter ring (and before it waits); -Dprobe.eagerHead=true: every record. */
    static final boolean LAZY_HEAD = !Boolean.getBoolean("probe.eagerHead");
    private static final int BULK_RING = Integer.getInteger("probe.bulkRing", 1 << 20);

    private RingProbe() {
    }

    // ------------------------------------------------------------------ parent side

    static List<Row> run(Scratch scratch) throws Exception {
        List<Row> rows = new ArrayList<>();
        int pingCap = 64 << 10;
        // ping-pong, wake-up from idle, idle CPU: one child per waiting strategy
        for (Waiter.Mode mode : modes("probe.pingModes", Waiter.Mode.values())) {
            try (Link link = Link.open(scratch, "ring-echo", mode, pingCap)) {
                boolean slow = link.out.waiter.usesDoorbell() && mode != Waiter.Mode.DOORBELL;
                int warm = slow ? 5_000 : 20_000;
                int n = slow ? 20_000 : 100_000;
                long[] rtt = new long[n];
                for (int i = -warm; i < n; i++) {
                    long t0 = System.nanoTime();
                    link.out.sendInt(i);
                    int back = link.out.recvInt(link.out.waiter);
                    long t1 = System.nanoTime();
                    if (back != i) {
                        throw new IllegalStateException("echo mismatch");
                    }
                    if (i >= 0) {
                        rtt[i] = t1 - t0;
                    }
                }
                String note = switch (mode) {
                    case SPIN -> "both sides spin: a core each";
                    case BACKOFF, DOORBELL -> "hot: the reply comes within the spin phase";
                    case DOORBELL_NOW -> "both sides sleep on the doorbell every time: 2 wake-ups";
                    case DOORBELL_SELECT -> "as above, sleeping in Selector.select(timeout)";
                };
                rows.add(Row.latency(T, "ping-pong 4 B, " + label(mode), rtt, note));

                // wake-up from idle: the child has waited 3-8 ms when the parent sends it System.nanoTime();
                // the child answers how long ago that was (CLOCK_MONOTONIC is one clock for the machine).
                // The parent sleeps right after sending, so the child has a free core to be woken on.
                // Warm-up: 2000 sends 0.3 ms apart, so that the child's sleeping path (rare while
                // hot) is compiled before it is measured.
                for (int i = 0; i < 2000; i++) {
                    link.out.sendLong(System.nanoTime());
                    LockSupport.parkNanos(300_000);
                    link.out.recvLong(link.out.waiter);
                }
                int k = 200;
                long[] wake = new long[k];
                for (int i = 0; i < k; i++) {
                    link.out.sendLong(System.nanoTime());
                    Thread.sleep(3 + ThreadLocalRandom.current().nextInt(6));
                    wake[i] = link.out.recvLong(link.out.waiter);
                }
                rows.add(Row.latency(T, "wake-up after 3-8 ms idle, " + label(mode), wake,
                        "one way: producer's publish → consumer has the message"));
                rows.add(idleCpu(link.peer, "idle waiter CPU, " + label(mode)));
            }
        }
        // throughput through a BULK_RING ring (1 MiB), in the two strategies a library could ship
        for (Waiter.Mode mode : modes("probe.bulkModes", Waiter.Mode.BACKOFF, Waiter.Mode.DOORBELL)) {
            try (Link link = Link.open(scratch, "ring-sink", mode, BULK_RING)) {
                Endpoint e = link.out;
                rows.add(Row.rate(T, "small msgs (int), " + label(mode),
                        Rounds.messagesPerSecond(n -> e.round(n, 4), 200_000, 100_000_000), "msg/s",
                        "ring " + (BULK_RING >> 10) + " KiB; tail published per message (each put durable)"));
                double[] kib = Rounds.messagesPerSecond(n -> e.round(n, 1024), 50_000, 10_000_000);
                rows.add(Row.rate(T, "1 KiB msgs, " + label(mode), Rounds.scale(kib, 1024 / 1e6), "MB/s",
                        Row.format(Row.median(kib)) + " msg/s"));
                double[] mib = Rounds.messagesPerSecond(n -> e.round(n, 1 << 20), 100, 20_000);
                rows.add(Row.rate(T, "1 MiB msgs, " + label(mode), Rounds.scale(mib, (1 << 20) / 1e6), "MB/s",
                        "ring " + (BULK_RING >> 10) + " KiB, chunks ≤ ring/" + ShmRing.CHUNK_DIVISOR + "; byte[] → ring → byte[]"));
            }
        }
        return rows;
    }

    /** The modes named in a system property (comma-separated), else the defaults. */
    private static Waiter.Mode[] modes(String property, Waiter.Mode... defaults) {
        String v = System.getProperty(property);
        if (v == null) {
            return defaults;
        }
        if (v.isBlank()) {
            return new Waiter.Mode[0];
        }
        return java.util.Arrays.stream(v.split(",")).map(String::trim).map(Waiter.Mode::valueOf).toArray(Waiter.Mode[]::new);
    }

    static String label(Waiter.Mode mode) {
        return switch (mode) {
            case SPIN -> "busy-spin";
            case BACKOFF -> "spin/yield/park backoff";
            case DOORBELL -> "spin/yield then doorbell";
            case DOORBELL_NOW -> "doorbell only";
            case DOORBELL_SELECT -> "doorbell via Selector";
        };
    }

    private static Row idleCpu(Peer peer, String what) throws InterruptedException {
        Thread.sleep(200);
        long t0 = peer.cpuTicks();
        long n0 = System.nanoTime();
        Thread.sleep(2000);
        long t1 = peer.cpuTicks();
        double secs = (System.nanoTime() - n0) / 1e9;
        double pct = t0 < 0 || t1 < 0 ? Double.NaN : (t1 - t0) / 100.0 / secs * 100; // USER_HZ = 100
        return Row.single(T, what, pct, "% core", "whole waiting JVM over 2 s idle, /proc/PID/stat");
    }

    /** The parent's side: the mapped file, the doorbell and the child. */
    static final class Link implements AutoCloseable {
        final Peer peer;
        final Endpoint out;
        private final SocketChannel doorbell;

        private Link(Peer peer, Endpoint out, SocketChannel doorbell) {
            this.peer = peer;
            this.out = out;
            this.doorbell = doorbell;
        }

        static Link open(Scratch scratch, String role, Waiter.Mode mode, int capacity) throws Exception {
            String id = role + "-" + System.nanoTime();
            Path file = scratch.file(id + ".ring");
            Path sock = scratch.file(id + ".sock");
            long size = RING_A + 2L * ShmRing.bytesFor(capacity);
            MappedByteBuffer map;
            try (FileChannel fc = FileChannel.open(file, CREATE_NEW, READ, WRITE)) {
                map = fc.map(FileChannel.MapMode.READ_WRITE, 0, size); // the mapping outlives the channel
            }
            Peer peer = null;
            SocketChannel bell = null;
            try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                server.bind(UnixDomainSocketAddress.of(sock));
                peer = Peer.start(role, file.toString(), sock.toString(), mode.name(), Integer.toString(capacity));
                bell = UdsProbe.Link.accept(server, peer);
                long deadline = System.nanoTime() + 30_000_000_000L;
                while ((long) LONGS.getAcquire(map, 0) != 1) {
                    if (!peer.isAlive() || System.nanoTime() > deadline) {
                        throw new IOException("peer did not map the ring");
                    }
                    Thread.sleep(1);
                }
                Peer p = peer;
                Waiter w = new Waiter(mode, bell, p::isAlive);
                Endpoint e = new Endpoint(new ShmRing(map, RING_A, capacity),
                        new ShmRing(map, RING_A + ShmRing.bytesFor(capacity), capacity), w);
                return new Link(peer, e, bell);
            } catch (Exception e) {
                if (bell != null) {
                    bell.close();
                }
                if (peer != null) {
                    peer.close();
                }
                throw e;
            } finally {
                Files.deleteIfExists(file); // both JVMs have it mapped (or the attempt failed)
                Files.deleteIfExists(sock);
            }
        }

        @Override
        public void close() throws IOException {
            doorbell.close();
            peer.close();
        }
    }

    /**
     * One side's view: it produces into {@code tx} and consumes from {@code rx}. Messages longer
     * than a record are sent as chunks flagged MORE. The consumer tells a sleeping producer about
     * freed space at least every capacity/8 bytes and always before it waits itself.
     */
    static final class Endpoint {
        final ShmRing tx;
        final ShmRing rx;
        final Waiter waiter;
        private final BooleanSupplier hasRecord;
        private final BooleanSupplier hasSpace;
        private int wantSpace;
        private int releasedSinceSignal;
        private final byte[] payload = new byte[1 << 20];
        private final byte[] scratchMsg = new byte[1 << 20];

        Endpoint(ShmRing tx, ShmRing rx, Waiter waiter) {
            this.tx = tx;
            this.rx = rx;
            this.waiter = waiter;
            this.hasRecord = rx::hasRecord;
            this.hasSpace = () -> tx.hasSpace(wantSpace);
            for (int i = 0; i < payload.length; i++) {
                payload[i] = (byte) i;
            }
        }

        void sendInt(int v) throws IOException {
            wantSpace = 4;
            waiter.await(hasSpace, tx, ShmRing.PRODUCER_SLEEPING);
            int idx = tx.claim(4, false);
            tx.buffer().putInt(idx, v);
            tx.publish();
            waiter.signal(tx, ShmRing.CONSUMER_SLEEPING);
        }

        void sendLong(long v) throws IOException {
            wantSpace = 8;
            waiter.await(hasSpace, tx, ShmRing.PRODUCER_SLEEPING);
            int idx = tx.claim(8, false);
            tx.buffer().putLong(idx, v);
            tx.publish();
            waiter.signal(tx, ShmRing.CONSUMER_SLEEPING);
        }

        void sendBytes(byte[] b, int len) throws IOException {
            int max = tx.maxRecordPayload();
            int off = 0;
            do {
                int n = Math.min(max, len - off);
                boolean more = off + n < len;
                wantSpace = n;
                waiter.await(hasSpace, tx, ShmRing.PRODUCER_SLEEPING);
                int idx = tx.claim(n, more);
                tx.buffer().put(idx, b, off, n);
                tx.publish();
                waiter.signal(tx, ShmRing.CONSUMER_SLEEPING);
                off += n;
            } while (off < len);
        }

        /** Waits (with {@code w}) for the next record, positions on it, returns its payload index. */
        int nextRecord(Waiter w) throws IOException {
            if (!rx.hasRecord()) {
                if (rx.publishHead()) { // give back all space before waiting, and wake a producer waiting for it
                    waiter.signal(rx, ShmRing.PRODUCER_SLEEPING);
                }
                w.await(hasRecord, rx, ShmRing.CONSUMER_SLEEPING);
            }
            return rx.next();
        }

        void releaseRecord() throws IOException {
            if (LAZY_HEAD) {
                if (rx.releaseLazily()) {
                    waiter.signal(rx, ShmRing.PRODUCER_SLEEPING);
                }
                return;
            }
            releasedSinceSignal += rx.length() + 4;
            rx.release();
            if (releasedSinceSignal >= rx.capacity() / 8) {
                releasedSinceSignal = 0;
                waiter.signal(rx, ShmRing.PRODUCER_SLEEPING);
            }
        }

        int recvInt(Waiter w) throws IOException {
            int idx = nextRecord(w);
            int v = rx.buffer().getInt(idx);
            releaseRecord();
            return v;
        }

        long recvLong(Waiter w) throws IOException {
            int idx = nextRecord(w);
            long v = rx.buffer().getLong(idx);
            releaseRecord();
            return v;
        }

        /** Receives one whole message (all its chunks) into {@code into}; returns its length, or -1 for a length-0 marker. */
        int recvBytes(byte[] into) throws IOException {
            int len = 0;
            while (true) {
                int idx = nextRecord(waiter);
                int n = rx.length();
                boolean more = rx.more();
                if (n == 0 && !more && len == 0) {
                    releaseRecord();
                    return -1;
                }
                rx.buffer().get(idx, into, len, n);
                len += n;
                releaseRecord();
                if (!more) {
                    return len;
                }
            }
        }

        /** Parent: sends n messages of {@code size} bytes and an end marker, checks the child's count and sum. */
        long round(int n, int size) throws IOException {
            long expect = 0;
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                if (size == 4) {
                    sendInt(i);
                    expect += i;
                } else {
                    payload[0] = (byte) i;
                    payload[size - 1] = (byte) (i >> 8);
                    sendBytes(payload, size);
                    expect += (byte) i + (byte) (i >> 8) + size;
                }
            }
            sendBytes(payload, 0); // end of round
            recvBytes(scratchMsg);
            long t1 = System.nanoTime();
            java.nio.ByteBuffer r = java.nio.ByteBuffer.wrap(scratchMsg).order(ByteOrder.nativeOrder());
            if (r.getLong(0) != n || r.getLong(8) != expect) {
                throw new IllegalStateException("lost or corrupted: got " + r.getLong(0) + "/" + r.getLong(8)
                        + " want " + n + "/" + expect);
            }
            return t1 - t0;
        }
    }

    // ------------------------------------------------------------------ child side

    private static Endpoint attach(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        Waiter.Mode mode = Waiter.Mode.valueOf(args[2]);
        int capacity = Integer.parseInt(args[3]);
        MappedByteBuffer map;
        try (FileChannel fc = FileChannel.open(file, READ, WRITE)) {
            map = fc.map(FileChannel.MapMode.READ_WRITE, 0, fc.size());
        }
        SocketChannel bell = SocketChannel.open(UnixDomainSocketAddress.of(args[1]));
        Waiter w = new Waiter(mode, bell, () -> true); // the stdin watchdog ends us if the parent dies
        Endpoint e = new Endpoint(new ShmRing(map, RING_A + ShmRing.bytesFor(capacity), capacity),
                new ShmRing(map, RING_A, capacity), w);
        LONGS.setRelease(map, 0, 1L);
        return e;
    }

    /**
     * {@code ring-echo FILE SOCK MODE CAPACITY}: echoes ints; answers a long (a sender's
     * System.nanoTime()) with how many nanoseconds ago it was. Runs until the parent ends it.
     */
    static void echo(String[] args) throws IOException {
        Endpoint e = attach(args);
        while (true) {
            int idx = e.nextRecord(e.waiter);
            if (e.rx.length() == 8) {
                long sent = e.rx.buffer().getLong(idx);
                long now = System.nanoTime();
                e.releaseRecord();
                e.sendLong(now - sent);
            } else {
                int v = e.rx.buffer().getInt(idx);
                e.releaseRecord();
                e.sendInt(v);
            }
        }
    }

    /** {@code ring-sink FILE SOCK MODE CAPACITY}: counts messages, answers count and sum at each end marker. */
    static void sink(String[] args) throws IOException {
        Endpoint e = attach(args);
        byte[] msg = new byte[1 << 20];
        byte[] reply = new byte[16];
        java.nio.ByteBuffer r = java.nio.ByteBuffer.wrap(reply).order(ByteOrder.nativeOrder());
        long count = 0;
        long sum = 0;
        while (true) {
            int idx = e.nextRecord(e.waiter);
            int n = e.rx.length();
            if (n == 4 && !e.rx.more()) {
                sum += e.rx.buffer().getInt(idx);
                count++;
                e.releaseRecord();
                continue;
            }
            if (n == 0 && !e.rx.more()) {
                e.releaseRecord();
                r.putLong(0, count).putLong(8, sum);
                e.sendBytes(reply, 16);
                count = 0;
                sum = 0;
                continue;
            }
            // a byte message: copy this record and any MORE chunks after it
            int len = 0;
            while (true) {
                boolean more = e.rx.more();
                e.rx.buffer().get(idx, msg, len, n);
                len += n;
                e.releaseRecord();
                if (!more) {
                    break;
                }
                idx = e.nextRecord(e.waiter);
                n = e.rx.length();
            }
            sum += msg[0] + msg[len - 1] + len;
            count++;
        }
    }
}
