package org.multiprocessing4j.cluster.internal.shared;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Serves the shared objects of a cluster to the processes this JVM starts (a node's processes
 * and pool workers, or a driver's own children): they have no Hazelcast instance of their own,
 * which would cost each a second and a hundred megabytes. It listens on a Unix socket in a
 * directory only this user can enter (the same protection as the rest of the library's
 * channels), and runs each connection's ops on a thread of its own, in order.
 */
public final class RelayServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RelayServer.class.getName());

    private final Direct access;
    private final TakeAhead takeAhead;
    private final HeldPutSink puts;
    private final LockLeases leases;
    private final ValueLeases values;
    private final Path dir;
    private final Path socket;
    private final ServerSocketChannel server;
    private final Set<SocketChannel> connections = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /** Starts serving {@code access} to the children of this JVM. */
    public RelayServer(Direct access) {
        this.access = access;
        try {
            dir = Files.createTempDirectory("mp4j-relay-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            socket = dir.resolve("relay.sock");
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
            takeAhead = new TakeAhead(access, dir);
            values = new ValueLeases(access, dir);
            leases = new LockLeases(access, dir, values::writeBack);
            puts = new HeldPutSink(access, values::writeBack);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("could not open the relay of the cluster's shared objects", e);
        }
        Thread t = new Thread(this::accept, "mp4j-relay-accept");
        t.setDaemon(true);
        t.start();
    }

    /** The JVM option that tells a child where this relay is. */
    public String jvmOption() {
        return "-D" + Access.RELAY_PROPERTY + "=" + socket;
    }

    private void accept() {
        int n = 0;
        while (!closed) {
            SocketChannel c;
            try {
                c = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.log(Level.WARNING, "the relay of the cluster's shared objects stopped accepting", e);
                }
                return;
            }
            connections.add(c);
            Thread t = new Thread(() -> serve(c), "mp4j-relay-" + (++n));
            t.setDaemon(true);
            t.start();
        }
    }

    private void serve(SocketChannel c) {
        // A large read buffer: a put stream's batch is what has been read ahead.
        try (c; SpinningStreams streams = new SpinningStreams(c);
             InputStream in = new BufferedInputStream(streams.input(), 64 << 10);
             OutputStream out = new BufferedOutputStream(streams.output())) {
            Op<?> request;
            while ((request = Frames.readOp(in)) != null) {
                if (request instanceof HeldPut.Open) {
                    puts.serve(in, out);
                    return;
                }
                Object reply;
                try {
                    boolean valueStep = request instanceof SyncCall && ValueLeases.serves((SyncCall) request);
                    if (!valueStep && !(request instanceof TakeMany.GiveBack)) {
                        // What this call does may be seen elsewhere: the values changed here before it are first.
                        values.writeBack();
                    }
                    if (valueStep) {
                        reply = values.run((SyncCall) request);
                    } else if (request instanceof QueueOp) {
                        reply = takeAhead.run((QueueOp) request);
                    } else if (request instanceof TakeMany) {
                        reply = takeAhead.lend((TakeMany) request);
                    } else if (request instanceof SyncCall && LockLeases.serves((SyncCall) request)) {
                        reply = leases.run((SyncCall) request);
                    } else if (request instanceof TakeMany.GiveBack) {
                        reply = takeAhead.giveBack((TakeMany.GiveBack) request);
                    } else {
                        reply = request.run(access);
                    }
                } catch (RuntimeException | Error e) {
                    reply = new Frames.Failure(e);
                }
                Frames.writeReply(out, reply);
            }
        } catch (IOException e) {
            if (!closed) {
                LOG.log(Level.FINE, "a relay connection ended", e);
            }
        } finally {
            connections.remove(c);
        }
    }

    /**
     * Writes back the shared values that this node's processes changed in the relay's memory
     * ({@link ValueLeases}): the node calls it before it tells a driver anything (a line of
     * output, a process's end, a pool task's result), which the driver could act on. Throws if a value could not be
     * written back.
     */
    public void writeBack() {
        values.writeBack();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        takeAhead.close();
        leases.close();
        values.close();
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        for (SocketChannel c : connections) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing
            }
        }
        try {
            Files.deleteIfExists(socket);
            try (java.util.stream.Stream<Path> left = Files.list(dir)) {
                for (Path p : (Iterable<Path>) left::iterator) {
                    Files.deleteIfExists(p); // count files of processes that outlive this relay
                }
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            LOG.log(Level.FINE, "could not remove " + dir, e);
        }
    }
}
