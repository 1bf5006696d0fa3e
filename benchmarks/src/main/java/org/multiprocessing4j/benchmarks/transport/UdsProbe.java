package org.multiprocessing4j.benchmarks.transport;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Unix domain stream sockets ({@link SocketChannel} with {@link UnixDomainSocketAddress}, JDK 16+)
 * between two JVMs. The parent binds a socket file in the 0700 scratch directory, the child
 * connects, and the parent unlinks the file as soon as it has accepted. Frames are
 * {@code [int length][payload]}; length -1 ends a round (the child answers count and checksum).
 */
final class UdsProbe {
    static final String T = "unix socket";
    private static final int END_ROUND = -1;
    /** An echo message that carries the sender's System.nanoTime() in the next 8 bytes. */
    private static final int STAMP = Integer.MIN_VALUE;

    private UdsProbe() {
    }

    // ------------------------------------------------------------------ parent side

    static List<Row> run(Scratch scratch) throws Exception {
        List<Row> rows = new ArrayList<>();
        try (Link link = Link.open(scratch, "uds-echo", "block")) {
            rows.add(Row.latency(T, "ping-pong 4 B, blocking read", pingPong(link.ch, false, 20_000, 50_000),
                    "both sides block in read(2)"));
            rows.add(Row.latency(T, "wake-up after 3-8 ms idle, blocking read", wakeUps(link.ch, 200),
                    "one way: write → reader has the message"));
            rows.add(idleCpu(link.peer, "idle receiver CPU (blocked in read)"));
        }
        try (Link link = Link.open(scratch, "uds-echo", "spin")) {
            rows.add(Row.latency(T, "ping-pong 4 B, non-blocking busy poll", pingPong(link.ch, true, 20_000, 50_000),
                    "both sides spin on read() == 0: burns a core each"));
        }
        rows.add(Row.latency(T, "peer SIGKILLed → blocked reader sees EOF", deathToEof(scratch, 5),
                "5 samples; the same holds for a doorbell socket"));
        try (Link link = Link.open(scratch, "uds-sink")) {
            Sender s = new Sender(link.ch);
            rows.add(Row.rate(T, "small msgs (int), one write(2) per msg",
                    Rounds.messagesPerSecond(n -> s.round(n, 4, false), 20_000, 5_000_000), "msg/s",
                    "what put() costs if it must be in the kernel before returning"));
            rows.add(Row.rate(T, "small msgs (int), batched 64 KiB writes",
                    Rounds.messagesPerSecond(n -> s.round(n, 4, true), 200_000, 50_000_000), "msg/s",
                    "needs a feeder thread or explicit flush"));
            double[] kib = Rounds.messagesPerSecond(n -> s.round(n, 1024, false), 20_000, 5_000_000);
            rows.add(Row.rate(T, "1 KiB msgs, one write per msg", Rounds.scale(kib, 1024 / 1e6), "MB/s",
                    Row.format(Row.median(kib)) + " msg/s"));
            double[] mib = Rounds.messagesPerSecond(n -> s.round(n, 1 << 20, false), 50, 20_000);
            rows.add(Row.rate(T, "1 MiB msgs, one write per msg", Rounds.scale(mib, (1 << 20) / 1e6), "MB/s",
                    "receiver copies into a byte[]"));
        }
        return rows;
    }

    /** Parent's end of a connection to a freshly started peer. */
    static final class Link implements AutoCloseable {
        final Peer peer;
        final SocketChannel ch;

        private Link(Peer peer, SocketChannel ch) {
            this.peer = peer;
            this.ch = ch;
        }

        static Link open(Scratch scratch, String role, String... extra) throws Exception {
            Path path = scratch.file(role + "-" + System.nanoTime() + ".sock");
            try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                server.bind(UnixDomainSocketAddress.of(path));
                String[] args = new String[extra.length + 1];
                args[0] = path.toString();
                System.arraycopy(extra, 0, args, 1, extra.length);
                Peer peer = Peer.start(role, args);
                try {
                    SocketChannel ch = accept(server, peer);
                    return new Link(peer, ch);
                } catch (Exception e) {
                    peer.close();
                    throw e;
                }
            } finally {
                Files.deleteIfExists(path); // the connection outlives the socket file
            }
        }

        /** Accepts the peer's connection, giving up if the peer dies or 30 s pass. */
        static SocketChannel accept(ServerSocketChannel server, Peer peer) throws IOException, InterruptedException {
            server.configureBlocking(false);
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (true) {
                SocketChannel ch = server.accept();
                if (ch != null) {
                    ch.configureBlocking(true);
                    return ch;
                }
                if (!peer.isAlive() || System.nanoTime() > deadline) {
                    throw new IOException("peer did not connect");
                }
                Thread.sleep(1);
            }
        }

        @Override
        public void close() throws IOException {
            ch.close(); // the peer sees EOF and exits
            peer.close();
        }
    }

    static long[] pingPong(SocketChannel ch, boolean spin, int warmup, int samples) throws IOException {
        ch.configureBlocking(!spin);
        ByteBuffer out = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
        ByteBuffer in = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
        long[] rtt = new long[samples];
        for (int i = -warmup; i < samples; i++) {
            long t0 = System.nanoTime();
            out.clear();
            out.putInt(0, i);
            writeFully(ch, out, spin);
            in.clear();
            readFully(ch, in, spin);
            long t1 = System.nanoTime();
            if (in.getInt(0) != i) {
                throw new IllegalStateException("echo mismatch");
            }
            if (i >= 0) {
                rtt[i] = t1 - t0;
            }
        }
        ch.configureBlocking(true);
        return rtt;
    }

    /**
     * The child has been blocked in read for 3-8 ms when the parent sends it its System.nanoTime();
     * the child answers how long ago that was (CLOCK_MONOTONIC is one clock for the machine).
     */
    static long[] wakeUps(SocketChannel ch, int k) throws IOException, InterruptedException {
        ByteBuffer out = ByteBuffer.allocateDirect(12).order(ByteOrder.nativeOrder());
        ByteBuffer in = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
        long[] wake = new long[k];
        for (int i = -10_000; i < k; i++) { // the first 10 000, back to back, let the JIT compile the path
            out.clear();
            out.putInt(0, STAMP).putLong(4, System.nanoTime());
            writeFully(ch, out, false);
            if (i < 0) {
                in.clear();
                readFully(ch, in, false);
                continue;
            }
            Thread.sleep(3 + java.util.concurrent.ThreadLocalRandom.current().nextInt(6));
            in.clear();
            readFully(ch, in, false);
            wake[i] = in.getLong(0);
        }
        return wake;
    }

    /** The parent blocks in read(2); the child is killed with SIGKILL; how long until read returns EOF. */
    static long[] deathToEof(Scratch scratch, int k) throws Exception {
        long[] out = new long[k];
        for (int i = 0; i < k; i++) {
            try (Link link = Link.open(scratch, "uds-echo", "block")) {
                pingPong(link.ch, false, 100, 1); // the child is up and echoing
                long[] eofAt = new long[1];
                Thread reader = new Thread(() -> {
                    ByteBuffer b = ByteBuffer.allocateDirect(4);
                    try {
                        while (link.ch.read(b) >= 0) {
                            b.clear();
                        }
                        eofAt[0] = System.nanoTime();
                    } catch (IOException e) {
                        eofAt[0] = System.nanoTime(); // ECONNRESET is as good as EOF here
                    }
                });
                reader.start();
                Thread.sleep(50);
                long t0 = System.nanoTime();
                ProcessHandle.of(link.peer.pid()).ifPresent(ProcessHandle::destroyForcibly); // SIGKILL
                reader.join(10_000);
                if (reader.isAlive()) {
                    throw new IllegalStateException("no EOF within 10 s of SIGKILL");
                }
                out[i] = eofAt[0] - t0;
            }
        }
        return out;
    }

    static Row idleCpu(Peer peer, String what) throws InterruptedException {
        Thread.sleep(200);
        long t0 = peer.cpuTicks();
        long n0 = System.nanoTime();
        Thread.sleep(2000);
        long t1 = peer.cpuTicks();
        double secs = (System.nanoTime() - n0) / 1e9;
        double pct = t0 < 0 || t1 < 0 ? Double.NaN : (t1 - t0) / 100.0 / secs * 100; // USER_HZ = 100
        return Row.single(T, what, pct, "% core", "whole receiver JVM over 2 s idle, /proc/PID/stat");
    }

    /** The producing side of the throughput rounds. */
    static final class Sender {
        private final SocketChannel ch;
        private final ByteBuffer buf = ByteBuffer.allocateDirect(4 + (1 << 20)).order(ByteOrder.nativeOrder());
        private final ByteBuffer reply = ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder());
        private final byte[] payload = new byte[1 << 20];

        Sender(SocketChannel ch) {
            this.ch = ch;
            for (int i = 0; i < payload.length; i++) {
                payload[i] = (byte) i;
            }
        }

        long round(int n, int size, boolean batched) throws IOException {
            long expectSum = 0;
            long t0 = System.nanoTime();
            buf.clear();
            for (int i = 0; i < n; i++) {
                if (size == 4) {
                    if (!batched || buf.remaining() < 8) {
                        flush();
                    }
                    buf.putInt(4).putInt(i);
                    if (!batched) {
                        flush();
                    }
                } else {
                    flush();
                    payload[0] = (byte) i; // a message is a fresh byte[] the caller filled; the copy below is the send's
                    payload[size - 1] = (byte) (i >> 8);
                    buf.putInt(size).put(payload, 0, size);
                    flush();
                }
                expectSum += size == 4 ? i : (byte) i + (byte) (i >> 8) + size;
            }
            flush();
            buf.putInt(END_ROUND);
            flush();
            reply.clear();
            readFully(ch, reply, false);
            long t1 = System.nanoTime();
            long count = reply.getLong(0);
            long sum = reply.getLong(8);
            if (count != n || sum != expectSum) {
                throw new IllegalStateException("lost or corrupted: got " + count + "/" + sum + " want " + n + "/" + expectSum);
            }
            return t1 - t0;
        }

        private void flush() throws IOException {
            if (buf.position() > 0) {
                buf.flip();
                writeFully(ch, buf, false);
                buf.clear();
            }
        }
    }

    static void writeFully(SocketChannel ch, ByteBuffer b, boolean spin) throws IOException {
        while (b.hasRemaining()) {
            if (ch.write(b) == 0 && spin) {
                Thread.onSpinWait();
            }
        }
    }

    static void readFully(SocketChannel ch, ByteBuffer b, boolean spin) throws IOException {
        while (b.hasRemaining()) {
            int n = ch.read(b);
            if (n < 0) {
                throw new EOFException("peer closed the socket");
            }
            if (n == 0 && spin) {
                Thread.onSpinWait();
            }
        }
    }

    // ------------------------------------------------------------------ child side

    /** {@code uds-echo PATH block|spin}: echoes 4-byte messages until EOF. */
    static void echo(String[] args) throws IOException {
        boolean spin = args[1].equals("spin");
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(args[0]))) {
            ch.configureBlocking(!spin);
            ByteBuffer b = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
            ByteBuffer stamp = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
            while (true) {
                b.clear();
                try {
                    readFully(ch, b, spin);
                    if (b.getInt(0) == STAMP) {
                        stamp.clear();
                        readFully(ch, stamp, spin);
                        stamp.putLong(0, System.nanoTime() - stamp.getLong(0));
                        stamp.clear();
                        writeFully(ch, stamp, spin);
                        continue;
                    }
                } catch (EOFException e) {
                    return;
                }
                b.flip();
                writeFully(ch, b, spin);
            }
        }
    }

    /** {@code uds-sink PATH}: reads frames, answers count and checksum at each end of round. */
    static void sink(String[] args) throws IOException {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(args[0]))) {
            ByteBuffer in = ByteBuffer.allocateDirect(256 << 10).order(ByteOrder.nativeOrder());
            in.flip();
            ByteBuffer reply = ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder());
            byte[] msg = new byte[1 << 20];
            long count = 0;
            long sum = 0;
            while (true) {
                if (!ensure(ch, in, 4)) {
                    return;
                }
                int len = in.getInt();
                if (len == END_ROUND) {
                    reply.clear();
                    reply.putLong(0, count).putLong(8, sum);
                    writeFully(ch, reply, false);
                    count = 0;
                    sum = 0;
                } else if (len == 4) {
                    if (!ensure(ch, in, 4)) {
                        return;
                    }
                    sum += in.getInt();
                    count++;
                } else {
                    int copied = 0;
                    while (copied < len) {
                        if (!in.hasRemaining() && !ensure(ch, in, 1)) {
                            return;
                        }
                        int k = Math.min(in.remaining(), len - copied);
                        in.get(msg, copied, k);
                        copied += k;
                    }
                    sum += msg[0] + msg[len - 1] + len;
                    count++;
                }
            }
        }
    }

    /** Makes at least k bytes readable in {@code in} (read mode); false at EOF. */
    private static boolean ensure(SocketChannel ch, ByteBuffer in, int k) throws IOException {
        while (in.remaining() < k) {
            in.compact();
            int n = ch.read(in);
            in.flip();
            if (n < 0) {
                return false;
            }
        }
        return true;
    }
}
