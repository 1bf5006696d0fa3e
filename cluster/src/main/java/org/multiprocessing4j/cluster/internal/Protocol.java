package org.multiprocessing4j.cluster.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.multiprocessing4j.spi.ProcessLaunch;

/**
 * The bytes of requests, replies and events between drivers and agents, written with
 * {@link DataOutputStream} so that reading them runs no class's code. A request starts with the
 * time it was made and a random number: an agent refuses one older than {@link #MAX_AGE_MILLIS}
 * or seen before, so a recorded request cannot be played again.
 */
final class Protocol {
    static final int START = 1;
    static final int SIGNAL = 2;
    static final int POOL_OPEN = 3;
    static final int POOL_RUN = 4;
    static final int POOL_CLOSE = 5;

    static final byte OK = 0;
    static final byte REFUSED = 1;
    static final byte FAILED = 2;
    /** The node's pool of that key is gone (closed, broken, or ended with its driver). */
    static final byte GONE = 3;
    /** The node's pool is broken (its initializer failed there): the driver's pool breaks too. */
    static final byte BROKEN = 4;

    static final int OUTPUT = 1;
    static final int ENDED = 2;

    /** How far a request's time may be from the agent's clock. */
    static final long MAX_AGE_MILLIS = 120_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Protocol() {
    }

    /** A request to start a process for {@code owner} (a driver's client id). */
    record Start(UUID owner, String key, ProcessLaunch launch) {
    }

    /** A request to send a signal (15 or 9) to a process. */
    record Signal(String key, int signal) {
    }

    /** A request to start a pool of {@code processes} workers on the node, for {@code owner}. */
    record PoolOpen(UUID owner, String pool, int processes, List<String> jvmOptions, byte[] initializer,
                    int maxTasksPerChild) {
    }

    /** A request to run one encoded task on the node's pool {@code pool}. */
    record PoolRun(String pool, byte[] task, String description) {
    }

    /** A request to end the node's pool {@code pool}. */
    record PoolClose(String pool) {
    }

    /** What an agent answered: a pid (a start), or a task's result bytes (a pool run). */
    record Reply(byte status, long pid, String message, byte[] payload) {
    }

    /** A line of output or the end of a process. */
    record Event(int kind, String key, boolean standardError, String line, int exitCode, byte[] exception) {
    }

    static byte[] start(UUID target, UUID owner, String key, ProcessLaunch launch) {
        return write(out -> {
            header(out, START, target);
            writeString(out, owner.toString());
            writeString(out, key);
            writeString(out, launch.name());
            out.writeInt(launch.identity().length);
            for (int i : launch.identity()) {
                out.writeInt(i);
            }
            out.writeBoolean(launch.daemon());
            writeStrings(out, launch.jvmOptions());
            writeBytes(out, launch.payload());
            writeStrings(out, new ArrayList<>(launch.classNames()));
        });
    }

    static byte[] poolOpen(UUID target, UUID owner, String pool, int processes, List<String> jvmOptions, byte[] initializer,
                           int maxTasksPerChild) {
        return write(out -> {
            header(out, POOL_OPEN, target);
            writeString(out, owner.toString());
            writeString(out, pool);
            out.writeInt(processes);
            writeStrings(out, jvmOptions);
            writeBytes(out, initializer);
            out.writeInt(maxTasksPerChild);
        });
    }

    static byte[] poolRun(UUID target, String pool, byte[] task, String description) {
        return write(out -> {
            header(out, POOL_RUN, target);
            writeString(out, pool);
            writeBytes(out, task);
            writeString(out, description);
        });
    }

    static byte[] poolClose(UUID target, String pool) {
        return write(out -> {
            header(out, POOL_CLOSE, target);
            writeString(out, pool);
        });
    }

    static byte[] signal(UUID target, String key, int signal) {
        return write(out -> {
            header(out, SIGNAL, target);
            writeString(out, key);
            out.writeInt(signal);
        });
    }

    /**
     * Reads a request whose signature has been checked.
     *
     * @return a {@link Start} or a {@link Signal}
     * @throws IOException if it is malformed, meant for another member, too old, or seen before
     *         (a replay)
     */
    static Object readRequest(byte[] body, ReplayGuard replays, UUID self) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(body));
        int kind = in.readInt();
        UUID target = new UUID(in.readLong(), in.readLong());
        if (!target.equals(self)) {
            throw new IOException("a request meant for another member (" + target + ")");
        }
        long time = in.readLong();
        long nonce = in.readLong();
        if (!replays.firstSight(time, nonce)) {
            throw new IOException("a request made " + (System.currentTimeMillis() - time)
                    + " ms ago or seen before (a replay, or clocks more than " + MAX_AGE_MILLIS / 1000 + " s apart)");
        }
        switch (kind) {
            case START: {
                UUID owner = UUID.fromString(readString(in));
                String key = readString(in);
                String name = readString(in);
                int n = in.readInt();
                if (n < 0 || n > 64) {
                    throw new IOException("an identity of " + n + " numbers");
                }
                int[] identity = new int[n];
                for (int i = 0; i < n; i++) {
                    identity[i] = in.readInt();
                }
                boolean daemon = in.readBoolean();
                List<String> options = readStrings(in);
                byte[] payload = readBytes(in);
                Set<String> classes = new HashSet<>(readStrings(in));
                return new Start(owner, key, new ProcessLaunch(name, identity, daemon, options, payload, classes));
            }
            case SIGNAL:
                return new Signal(readString(in), in.readInt());
            case POOL_OPEN: {
                UUID owner = UUID.fromString(readString(in));
                String pool = readString(in);
                int processes = in.readInt();
                List<String> options = readStrings(in);
                byte[] initializer = readBytes(in);
                return new PoolOpen(owner, pool, processes, options, initializer, in.readInt());
            }
            case POOL_RUN:
                return new PoolRun(readString(in), readBytes(in), readString(in));
            case POOL_CLOSE:
                return new PoolClose(readString(in));
            default:
                throw new IOException("a request of unknown kind " + kind);
        }
    }

    static byte[] reply(long pid) {
        return write(out -> {
            out.writeByte(OK);
            out.writeLong(pid);
            writeBytes(out, null);
        });
    }

    static byte[] replyWith(byte[] payload) {
        return write(out -> {
            out.writeByte(OK);
            out.writeLong(0);
            writeBytes(out, payload);
        });
    }

    static byte[] refusal(byte status, String message) {
        return write(out -> {
            out.writeByte(status);
            writeString(out, message);
        });
    }

    /**
     * A reply as it travels: its bytes, then a signature of them bound to the request's own
     * signature, so that a reply cannot be forged, nor moved to another request.
     */
    static byte[] seal(Signer signer, byte[] requestSignature, byte[] reply) {
        byte[] signature = signer.sign(Signer.REPLY, concat(requestSignature, reply));
        return write(out -> {
            writeBytes(out, reply);
            writeBytes(out, signature);
        });
    }

    /** The reply in {@code sealed}, or null if its signature is not the one {@link #seal} made. */
    static Reply unseal(Signer signer, byte[] requestSignature, byte[] sealed) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(sealed));
            byte[] reply = readBytes(in);
            byte[] signature = readBytes(in);
            if (reply == null || !signer.verify(Signer.REPLY, concat(requestSignature, reply), signature)) {
                return null;
            }
            return readReply(reply);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a == null ? new byte[0] : a, (a == null ? 0 : a.length) + b.length);
        System.arraycopy(b, 0, c, c.length - b.length, b.length);
        return c;
    }

    static Reply readReply(byte[] bytes) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
            byte status = in.readByte();
            return status == OK ? new Reply(OK, in.readLong(), null, readBytes(in))
                    : new Reply(status, -1, readString(in), null);
        } catch (IOException e) {
            return new Reply(FAILED, -1, "a malformed reply: " + e.getMessage(), null);
        }
    }

    static byte[] output(String key, boolean standardError, String line) {
        return write(out -> {
            out.writeInt(OUTPUT);
            writeString(out, key);
            out.writeBoolean(standardError);
            writeString(out, line);
        });
    }

    static byte[] ended(String key, int exitCode, byte[] exception) {
        return write(out -> {
            out.writeInt(ENDED);
            writeString(out, key);
            out.writeInt(exitCode);
            writeBytes(out, exception);
        });
    }

    static Event readEvent(byte[] body) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(body));
        int kind = in.readInt();
        String key = readString(in);
        switch (kind) {
            case OUTPUT:
                return new Event(OUTPUT, key, in.readBoolean(), readString(in), 0, null);
            case ENDED:
                return new Event(ENDED, key, false, null, in.readInt(), readBytes(in));
            default:
                throw new IOException("an event of unknown kind " + kind);
        }
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] write(Writer w) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            w.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }

    private static void header(DataOutputStream out, int kind, UUID target) throws IOException {
        out.writeInt(kind);
        out.writeLong(target.getMostSignificantBits());
        out.writeLong(target.getLeastSignificantBits());
        out.writeLong(System.currentTimeMillis());
        out.writeLong(RANDOM.nextLong());
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        writeBytes(out, s.getBytes(StandardCharsets.UTF_8));
    }

    private static String readString(DataInputStream in) throws IOException {
        byte[] b = readBytes(in);
        if (b == null) {
            throw new IOException("a missing string");
        }
        return new String(b, StandardCharsets.UTF_8);
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        if (b == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(b.length);
        out.write(b);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n == -1) {
            return null;
        }
        if (n < 0 || n > in.available()) {
            throw new IOException("a field of " + n + " bytes in a message of " + in.available() + " left");
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }

    private static void writeStrings(DataOutputStream out, List<String> strings) throws IOException {
        out.writeInt(strings.size());
        for (String s : strings) {
            writeString(out, s);
        }
    }

    private static List<String> readStrings(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new IOException("a list of " + n + " strings");
        }
        List<String> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(readString(in));
        }
        return list;
    }
}
