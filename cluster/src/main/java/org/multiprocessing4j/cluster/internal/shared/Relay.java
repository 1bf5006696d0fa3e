package org.multiprocessing4j.cluster.internal.shared;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * How a process that a node (or a driver) started reaches the cluster's shared objects: through
 * the {@link RelayServer} of the JVM that started it. One connection per thread that calls at
 * the same moment (kept for the next call), so that a thread waiting for an item does not hold up
 * another's put.
 */
final class Relay implements Ops {
    private final Path socket;
    private final String processId;
    private final String host;
    private final String cluster;
    private final Shield shield = new Shield("mp4j-relay-call");
    private final ConcurrentLinkedQueue<Connection> idle = new ConcurrentLinkedQueue<>();

    Relay(Path socket) {
        this.socket = socket;
        String[] hello = shield.call(() -> {
            Connection c = new Connection();
            long nonce = new SecureRandom().nextLong() & Long.MAX_VALUE;
            String[] answer = (String[]) c.exchange(new Hello(ProcessHandle.current().pid(), nonce));
            idle.add(c);
            return answer;
        });
        this.processId = hello[0];
        this.host = hello[1];
        this.cluster = hello[2];
    }

    String cluster() {
        return cluster;
    }

    @Override
    public String processId() {
        return processId;
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public <R> R call(Op<R> op) {
        return shield.call(() -> {
            Connection c = idle.poll();
            if (c == null) {
                c = new Connection();
            }
            Object reply;
            try {
                reply = c.exchange(op);
            } catch (IOException e) {
                c.close();
                throw new IllegalStateException("the cluster is out of reach: the " + "connection to the node that"
                        + " started this process failed (" + e.getMessage() + "); it has probably stopped", e);
            }
            idle.add(c);
            if (reply instanceof Frames.Failure) {
                throw ((Frames.Failure) reply).toException("on the node that started this process");
            }
            @SuppressWarnings("unchecked")
            R r = (R) reply;
            return r;
        });
    }

    private final class Connection {
        private final SocketChannel channel;
        private final InputStream in;
        private final OutputStream out;

        Connection() throws IOException {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                channel.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                channel.close();
                throw new IOException("cannot reach the relay " + socket + ": " + e.getMessage(), e);
            }
            in = new BufferedInputStream(Channels.newInputStream(channel));
            out = new BufferedOutputStream(Channels.newOutputStream(channel));
        }

        Object exchange(Op<?> op) throws IOException {
            Frames.writeOp(out, op);
            return Frames.readReply(in);
        }

        void close() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // already broken
            }
        }
    }

    /** The first op of a connection: names the process, which the relay then watches (to release what it holds when it dies). */
    static final class Hello extends Op<String[]> {
        static final int TYPE = 1;
        private final long pid;
        private final long nonce;

        Hello(long pid, long nonce) {
            this.pid = pid;
            this.nonce = nonce;
        }

        static Hello read(java.io.DataInputStream in) throws IOException {
            return new Hello(in.readLong(), in.readLong());
        }

        @Override
        int type() {
            return TYPE;
        }

        @Override
        void write(java.io.DataOutputStream out) throws IOException {
            out.writeLong(pid);
            out.writeLong(nonce);
        }

        @Override
        String[] run(Direct access) {
            String id = access.host() + "/" + pid + "/" + nonce;
            access.watchProcess(pid, id);
            return new String[] {id, access.host(), access.cluster()};
        }
    }
}
