package org.multiprocessing4j.cluster.internal.shared;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * How a process that a node (or a driver) started reaches the cluster's shared objects: through
 * the {@link RelayServer} of the JVM that started it. One connection per thread that calls at
 * the same moment (kept for the next call), so that a thread waiting for an item does not hold up
 * another's call; puts on unbounded queues go on a connection of their own ({@link HeldPuts}).
 */
final class Relay implements Ops {
    private final Path socket;
    private final String processId;
    private final String host;
    private final String cluster;
    private final Shield shield = new Shield("mp4j-relay-call");
    private final ConcurrentLinkedQueue<Connection> idle = new ConcurrentLinkedQueue<>();
    private volatile HeldPuts puts;
    private volatile TakenAhead takenAhead;
    private boolean noTakeAhead;
    /** The relay's shared values, mapped once one is leased ({@link ValueLeases}); null before. */
    private volatile ValueSlots values;
    /** Where each value leased by the relay is: slot and tag, as the relay last said. */
    private final Map<String, long[]> leased = new ConcurrentHashMap<>();
    /** The relay's locks, mapped once one is leased ({@link LockLeases}); null before. */
    private volatile LockSlots locks;
    /** Where each lock leased by the relay is: slot and tag, as the relay last said. */
    private final Map<String, long[]> leasedLocks = new ConcurrentHashMap<>();
    private boolean noSlots;

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

    /** Hands a put on an unbounded queue to the relay without waiting for the cluster (see {@link HeldPuts}). */
    void hand(String queue, String unfinishedKey, byte[] item) throws InterruptedException {
        HeldPuts p = puts;
        if (p == null) {
            synchronized (this) {
                if (puts == null) {
                    puts = shield.call(() -> {
                        try {
                            return new HeldPuts(socket);
                        } catch (IOException e) {
                            throw new IllegalStateException("the cluster is out of reach: " + e.getMessage(), e);
                        }
                    });
                }
                p = puts;
            }
        }
        p.hand(queue, unfinishedKey, item);
    }

    /**
     * Takes an item of the unbounded queue {@code queue}, several per call while this process
     * takes fast ({@link TakenAhead}); waits at most a slice. Null if none came.
     */
    byte[] take(String queue, long waitNanos) {
        TakenAhead t = takenAhead();
        if (t == null) {
            return (byte[]) call(new QueueOp(QueueOp.POLL, queue, 0, null, waitNanos));
        }
        long pid = ProcessHandle.current().pid();
        return t.take(queue, local -> call(new TakeMany(pid, t.fileName(), local.slot, queue, local.lastWant, waitNanos)),
                () -> (byte[]) call(new QueueOp(QueueOp.POLL, queue, 0, null, waitNanos)));
    }

    private TakenAhead takenAhead() {
        TakenAhead t = takenAhead;
        if (t == null) {
            synchronized (this) {
                if (takenAhead == null && !noTakeAhead) {
                    try {
                        TakenAhead made = new TakenAhead(socket.getParent());
                        long pid = ProcessHandle.current().pid();
                        java.util.concurrent.ScheduledExecutorService giver =
                                java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                                    Thread th = new Thread(r, "mp4j-relay-give-back");
                                    th.setDaemon(true);
                                    return th;
                                });
                        giver.scheduleWithFixedDelay(() -> {
                            try {
                                made.giveBackIdle((local, n) -> Boolean.TRUE.equals(
                                        call(new TakeMany.GiveBack(pid, local.slot, n, local.consumed))));
                            } catch (RuntimeException e) {
                                // the relay is gone: so are the items, with its node
                            }
                        }, 250, 250, java.util.concurrent.TimeUnit.MILLISECONDS);
                        takenAhead = made;
                    } catch (IOException | RuntimeException e) {
                        noTakeAhead = true; // one item per call, as before
                    }
                }
                t = takenAhead;
            }
        }
        return t;
    }

    /** The queue {@code op} takes from, or null if it takes nothing. */
    private static String takesFrom(Op<?> op) {
        if (op instanceof QueueOp && ((QueueOp) op).code() == QueueOp.POLL) {
            return ((QueueOp) op).queue();
        }
        return op instanceof TakeMany ? ((TakeMany) op).queue : null;
    }

    /** Whether {@code op} can tell anybody anything this process did (a give-back cannot). */
    private static boolean reveals(Op<?> op) {
        return !(op instanceof TakeMany.GiveBack);
    }

    @Override
    public <R> R call(Op<R> op) {
        if (op instanceof SyncCall && ValueLeases.serves((SyncCall) op)) {
            @SuppressWarnings("unchecked")
            R r = (R) valueStep((SyncCall) op);
            return r;
        }
        if (op instanceof SyncCall && LockLeases.serves((SyncCall) op)) {
            @SuppressWarnings("unchecked")
            R r = (R) lockStep((SyncCall) op);
            return r;
        }
        return exchange(op);
    }

    /**
     * A take or release of a lock: in the relay's shared memory if the relay holds the lock's
     * lease and nobody waits for it (no call), else by the relay, which says where the lock is
     * when it holds the lease.
     */
    private long[] lockStep(SyncCall call) {
        int code = call.op().code();
        if (code == SyncOp.LOCK_PROBE) {
            return exchange(call); // whether any thread holds it: the relay knows
        }
        long[] at = leasedLocks.get(call.key());
        LockSlots s = locks;
        if (at != null && s != null) {
            long holder = LockSlots.code(call.op().holder());
            if (code == SyncOp.LOCK_ACQUIRE) {
                long r = s.tryTake((int) at[0], at[1], holder);
                if (r != 0) {
                    return new long[] {r};
                }
            } else {
                HeldPuts p = puts;
                if (p != null) {
                    p.awaitAdded(); // what was put under the lock is there before the lock can go elsewhere
                }
                if (s.tryRelease((int) at[0], at[1], holder)) {
                    return new long[] {0};
                }
            }
        }
        long[] r = exchange(call);
        if (r.length == 3 && mapped(false) != null) {
            remember(leasedLocks, call.key(), r[1], r[2]);
        } else if (at != null) {
            leasedLocks.remove(call.key(), at); // not leased (any more), or leased again: the relay says where
        }
        return r;
    }

    /**
     * A value step: in the relay's shared memory if the relay holds the value's lease (no call),
     * else by the relay, which may take the lease and say where the value is.
     */
    private long[] valueStep(SyncCall call) {
        long[] at = leased.get(call.key());
        ValueSlots v = values;
        if (at != null && v != null) {
            HeldPuts p = puts;
            if (p != null) {
                p.awaitAdded(); // a step seen elsewhere comes after the puts before it, as in call()
            }
            long[] r = v.apply((int) at[0], at[1], call.op().code(), call.op().x(), call.op().y());
            if (r != null) {
                return r;
            }
            leased.remove(call.key(), at); // given back: the relay knows where it is now
        }
        long[] r = exchange(call);
        if (r.length == 4 && r[0] == 0 && mapped(true) != null) {
            remember(leased, call.key(), r[2], r[3]);
        }
        return r;
    }

    /** Notes where the relay said {@code key} is leased; forgets everything now and then (a process may use many objects once). */
    private static void remember(Map<String, long[]> where, String key, long slot, long tag) {
        if (where.size() >= 4096) {
            where.clear(); // at worst, one more call to the relay for each object still in use
        }
        where.put(key, new long[] {slot, tag});
    }

    /** The relay's values or locks, mapped at the first use; null if they cannot be (every step then goes to the relay). */
    private LeaseSlots mapped(boolean ofValues) {
        LeaseSlots m = ofValues ? values : locks;
        if (m == null) {
            synchronized (this) {
                m = ofValues ? values : locks;
                if (m == null && !noSlots) {
                    try {
                        if (ofValues) {
                            m = values = ValueSlots.open(socket.getParent());
                        } else {
                            m = locks = LockSlots.open(socket.getParent());
                        }
                    } catch (IOException e) {
                        noSlots = true;
                    }
                }
            }
        }
        return m;
    }

    private <R> R exchange(Op<R> op) {
        HeldPuts p = puts;
        // What this process put before is in the cluster before anything it does next that
        // another process could learn from; a take from a queue it has not put on reveals nothing.
        String taken = p == null ? null : takesFrom(op);
        if (p != null && reveals(op) && (taken == null || p.putOn(taken))) {
            p.awaitAdded();
        }
        // In the calling thread: the connection is non-blocking, so an interrupt cannot close
        // it (and lose a reply); it only ends a wait early, and is set again afterwards.
        Connection c = idle.poll();
        Object reply;
        try {
            if (c == null) {
                c = new Connection();
            }
            reply = c.exchange(op);
        } catch (IOException e) {
            if (c != null) {
                c.close();
            }
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
    }

    /**
     * One connection to the relay, used by one thread at a time, in non-blocking mode: a
     * blocking channel closes itself when its thread is interrupted, which would lose the reply
     * of an op that has happened (an item taken). Waits are the selector's, which an interrupt
     * only cuts short.
     */
    private final class Connection {
        /** Reads tried before a wait: an answer from the relay's memory comes sooner than a wake-up. */
        private static final int SPINS = 100;
        private final SocketChannel channel;
        private final Selector selector;
        private final SelectionKey key;
        private ByteBuffer in = ByteBuffer.allocate(8 << 10);
        private boolean interrupted;

        Connection() throws IOException {
            SocketChannel ch;
            while (true) {
                ch = SocketChannel.open(StandardProtocolFamily.UNIX);
                boolean wasInterrupted = Thread.interrupted();
                try {
                    ch.connect(UnixDomainSocketAddress.of(socket));
                    break;
                } catch (java.nio.channels.ClosedByInterruptException e) {
                    wasInterrupted = true; // connect again: the interrupt is set afterwards
                } catch (IOException e) {
                    ch.close();
                    throw new IOException("cannot reach the relay " + socket + ": " + e.getMessage(), e);
                } finally {
                    if (wasInterrupted) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
            channel = ch;
            channel.configureBlocking(false);
            selector = Selector.open();
            key = channel.register(selector, 0);
        }

        Object exchange(Op<?> op) throws IOException {
            interrupted = false;
            try {
                ByteBuffer out = ByteBuffer.wrap(op.frameOf());
                while (out.hasRemaining()) {
                    if (channel.write(out) == 0) {
                        await(SelectionKey.OP_WRITE);
                    }
                }
                in.clear();
                fill(4);
                int n = in.getInt(0);
                if (n <= 0 || n > Frames.MAX_FRAME) {
                    throw new IOException("a relay frame of " + n + " bytes");
                }
                if (in.capacity() < n + 4) {
                    ByteBuffer bigger = ByteBuffer.allocate(n + 4);
                    in.flip();
                    bigger.put(in);
                    in = bigger;
                }
                fill(n + 4);
                return Frames.readReply(new java.io.ByteArrayInputStream(in.array(), 0, n + 4));
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        /** Reads until the buffer holds at least {@code bytes}. */
        private void fill(int bytes) throws IOException {
            int spins = SPINS;
            while (in.position() < bytes) {
                int r = channel.read(in);
                if (r < 0) {
                    throw new java.io.EOFException("the relay closed the connection");
                }
                if (r == 0) {
                    if (spins-- > 0) {
                        Thread.onSpinWait();
                    } else {
                        await(SelectionKey.OP_READ);
                    }
                }
            }
        }

        private void await(int ops) throws IOException {
            if (Thread.interrupted()) {
                interrupted = true; // else every select would return at once
            }
            key.interestOps(ops);
            selector.select();
            selector.selectedKeys().clear();
        }

        void close() {
            try {
                selector.close();
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
