package org.multiprocessing4j.cluster.internal.shared;

import com.hazelcast.collection.IQueue;
import com.hazelcast.core.DistributedObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The relay's takes from unbounded queues. When its processes take from a queue fast (each take
 * within {@link #HOT_NANOS} per item of the last), one call to the cluster brings many items: twice as
 * many as were delivered since the last call, at most {@link #MAX_BATCH}; and while they take
 * those, the next batch is brought on a thread of its own. A slow taker gets exactly what it
 * asks for, so the items it does not take stay in the queue for other nodes' takers (in order,
 * unless a fast burst left some taken ahead, which go back to the queue's tail).
 *
 * <p>Processes can take several items at once too ({@link TakenAhead}): {@link #lend} keeps what
 * it gave a process until the process's count file says the items were taken, and when the
 * process ends, what it did not take goes first to this node's next takers.
 *
 * <p>Items taken ahead belong to this node: if no process takes them within {@link #IDLE_NANOS},
 * they go back to the queue (at its tail, as a put would, so they lose their place; so does
 * everything held when the relay closes), and if the node dies they are lost with it, as an item
 * a process had taken would be. A {@code size()} through this relay counts the node's items (not
 * those lent to processes). Bounded queues are never taken ahead: their bound would no longer hold.
 */
final class TakeAhead implements AutoCloseable {
    static final int MAX_BATCH = 256;
    static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /** Takers that come back within this (per item they took) are fast enough for items to be taken ahead for them. */
    static final long HOT_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final Logger LOG = Logger.getLogger(TakeAhead.class.getName());

    private final Direct access;
    private final Map<String, Inbox> inboxes = new ConcurrentHashMap<>();
    private final java.util.concurrent.ScheduledExecutorService sweeper;
    private final java.util.concurrent.ExecutorService fetcher = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "mp4j-relay-fetch");
        t.setDaemon(true);
        return t;
    });

    private final java.nio.file.Path dir;
    private final Map<Long, Lender> lenders = new ConcurrentHashMap<>();

    TakeAhead(Direct access, java.nio.file.Path dir) {
        this.access = access;
        this.dir = dir;
        sweeper = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mp4j-relay-take-ahead");
            t.setDaemon(true);
            return t;
        });
        sweeper.scheduleWithFixedDelay(() -> giveBack(false), 250, 250, TimeUnit.MILLISECONDS);
    }

    private static final class Inbox {
        final java.util.concurrent.ConcurrentLinkedDeque<byte[]> items = new java.util.concurrent.ConcurrentLinkedDeque<>();
        final AtomicInteger delivered = new AtomicInteger();
        final java.util.concurrent.atomic.AtomicBoolean refilling = new java.util.concurrent.atomic.AtomicBoolean();
        final Object fetching = new Object();
        volatile long lastTake = System.nanoTime() - IDLE_NANOS;

        void drainTo(List<byte[]> out, int want) {
            for (byte[] b; out.size() < want && (b = items.pollFirst()) != null; ) {
                out.add(b);
            }
        }
    }

    /** Runs {@code op} for a process of this relay (a take waits at most a slice). */
    Object run(QueueOp op) {
        switch (op.code()) {
            case QueueOp.POLL:
                return take(op);
            case QueueOp.SIZE:
                int n = (Integer) op.run(access);
                Inbox box = inboxes.get(op.queue());
                return box == null ? n : n + box.items.size();
            default:
                return op.run(access);
        }
    }

    private Object take(QueueOp op) {
        if (op.maxsize() > 0) {
            return op.run(access); // a bounded queue's bound holds only if nothing is taken ahead
        }
        List<byte[]> got = takeUpTo(op, op.queue(), 1, op.waitNanos());
        return got.isEmpty() ? null : got.get(0);
    }

    /**
     * Up to {@code want} items of {@code queue}: from this node's items taken ahead, else from
     * the queue (with some ahead for the next takes); if there are none, waits for one at most
     * a slice ({@code single} is the take that waits, or null to make one).
     */
    private List<byte[]> takeUpTo(QueueOp single, String queue, int want, long waitNanos) {
        Inbox box = inboxes.computeIfAbsent(queue, q -> new Inbox());
        long now = System.nanoTime();
        // Items are taken ahead only for takers that come back within HOT_NANOS per item they
        // asked for: a slow taker's items stay in the queue, in their order, for whoever comes first.
        boolean hot = now - box.lastTake < HOT_NANOS * want;
        box.lastTake = now;
        List<byte[]> out = new ArrayList<>(want);
        box.drainTo(out, want);
        if (out.isEmpty()) {
            synchronized (box.fetching) { // one fetch at a time per queue, so that items keep their order
                box.drainTo(out, want); // a fetch that ran meanwhile may have brought some
                if (out.isEmpty()) {
                    fetch(box, queue, want, hot);
                    box.drainTo(out, want);
                }
            }
        }
        if (out.isEmpty()) {
            Object one = (single != null ? single : new QueueOp(QueueOp.POLL, queue, 0, null, waitNanos)).run(access);
            return one == null ? List.of() : List.of((byte[]) one);
        }
        box.delivered.addAndGet(out.size());
        if (hot && box.items.size() < want && box.refilling.compareAndSet(false, true)) {
            // The takers are fast: bring their next items while they take these.
            try {
                fetcher.execute(() -> {
                try {
                    synchronized (box.fetching) {
                        if (box.items.size() < want) {
                            fetch(box, queue, want, true);
                        }
                    }
                } catch (RuntimeException e) {
                    LOG.log(Level.FINE, "could not take items ahead", e);
                } finally {
                    box.refilling.set(false);
                }
                });
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                box.refilling.set(false); // the relay is closing
            }
        }
        return out;
    }

    /**
     * Takes from the queue into {@code box} {@code want} items, or if the takers are {@code hot}
     * twice as many as were delivered since the last fetch (at most {@link #MAX_BATCH}).
     */
    private void fetch(Inbox box, String queue, int want, boolean hot) {
        int delivered = box.delivered.getAndSet(0);
        int ahead = hot ? Math.max(want, Math.min(MAX_BATCH, 2 * delivered)) : want;
        IQueue<byte[]> q = access.hz.getQueue(queue);
        List<byte[]> got = new ArrayList<>(ahead);
        // Repeated if its member died before it answered, as a take: nothing is delivered twice.
        access.retrying(() -> {
            got.clear();
            return q.drainTo(got, ahead);
        }, true, "a take from a queue");
        box.items.addAll(got);
    }

    /** What a process has been lent from each of its queues ({@link TakenAhead}). */
    private static final class Lender {
        final java.nio.MappedByteBuffer counts;
        final java.nio.file.Path file;
        final Map<Integer, Lent> slots = new java.util.HashMap<>();
        boolean ended;

        Lender(java.nio.file.Path file, java.nio.MappedByteBuffer counts) {
            this.file = file;
            this.counts = counts;
        }

        /** Forgets the items that the process's count says it has taken. */
        void settle(int slot, Lent lent) {
            long consumed = counts.getLong(slot * 8);
            long confirmed = lent.total - lent.unconfirmed.size();
            for (long i = confirmed; i < consumed && !lent.unconfirmed.isEmpty(); i++) {
                lent.unconfirmed.pollFirst();
            }
        }
    }

    private static final class Lent {
        final String queue;
        final java.util.ArrayDeque<byte[]> unconfirmed = new java.util.ArrayDeque<>();
        long total;

        Lent(String queue) {
            this.queue = queue;
        }
    }

    /** Lends up to {@code op.want} items of an unbounded queue to a process of this relay ({@link TakenAhead}). */
    List<byte[]> lend(TakeMany op) {
        Lender lender = lenders.computeIfAbsent(op.pid, pid -> open(pid, op.acks));
        if (op.slot < 0 || op.slot >= TakenAhead.SLOTS) {
            throw new IllegalArgumentException("a take's count slot " + op.slot + " is out of range");
        }
        synchronized (lender) {
            Lent lent = lender.slots.computeIfAbsent(op.slot, s -> new Lent(op.queue));
            if (!lent.queue.equals(op.queue)) {
                throw new IllegalArgumentException("a take's count slot " + op.slot + " belongs to another queue");
            }
            lender.settle(op.slot, lent);
        }
        List<byte[]> items = takeUpTo(null, op.queue, Math.max(1, Math.min(op.want, TakenAhead.MAX_WANT)), op.waitNanos);
        synchronized (lender) {
            if (lender.ended) {
                giveToOthers(op.queue, items); // the process ended meanwhile: nobody will take them
                return List.of();
            }
            Lent lent = lender.slots.get(op.slot);
            lent.unconfirmed.addAll(items);
            lent.total += items.size();
        }
        return items;
    }

    /** Takes back the last items lent to a process that it did not take (it stopped taking for a while). */
    boolean giveBack(TakeMany.GiveBack op) {
        Lender lender = lenders.get(op.pid);
        if (lender == null) {
            return false;
        }
        synchronized (lender) {
            Lent lent = lender.slots.get(op.slot);
            if (lent == null || lender.ended) {
                return false;
            }
            lender.settle(op.slot, lent);
            long taken = lent.total - lent.unconfirmed.size();
            if (op.consumed != taken || op.count != lent.unconfirmed.size()) {
                // The books disagree (a give-back whose answer was lost, say): keep the items;
                // they go to others when the process ends, as they would have anyway.
                return false;
            }
            List<byte[]> back = new ArrayList<>(lent.unconfirmed);
            lent.unconfirmed.clear();
            lent.total -= back.size();
            giveToOthers(lent.queue, back);
        }
        return true;
    }

    private Lender open(long pid, String acks) {
        if (!acks.matches("acks-" + pid + "-[0-9a-f]+")) {
            throw new IllegalArgumentException("a take named the count file '" + acks + "', not one of process " + pid);
        }
        java.nio.file.Path file = dir.resolve(acks);
        java.nio.MappedByteBuffer counts;
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file,
                java.nio.file.StandardOpenOption.READ)) {
            counts = ch.map(java.nio.channels.FileChannel.MapMode.READ_ONLY, 0, TakenAhead.SLOTS * 8L);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("could not read the count file of process " + pid, e);
        }
        Lender lender = new Lender(file, counts);
        Runnable ended = () -> end(pid, lender);
        ProcessHandle.of(pid).ifPresentOrElse(h -> h.onExit().thenRun(ended), () -> sweeper.execute(ended));
        return lender;
    }

    /** A process ended: the items lent to it that it did not take go to the node's other takers first. */
    private void end(long pid, Lender lender) {
        lenders.remove(pid, lender);
        synchronized (lender) {
            lender.ended = true;
            for (Map.Entry<Integer, Lent> e : lender.slots.entrySet()) {
                lender.settle(e.getKey(), e.getValue());
                giveToOthers(e.getValue().queue, new ArrayList<>(e.getValue().unconfirmed));
                e.getValue().unconfirmed.clear();
            }
        }
        try {
            java.nio.file.Files.deleteIfExists(lender.file);
        } catch (java.io.IOException e) {
            LOG.log(Level.FINE, "could not delete " + lender.file, e);
        }
    }

    /** Puts {@code items} first in line for this node's takers (they go back to the queue if nobody takes them). */
    private void giveToOthers(String queue, List<byte[]> items) {
        if (items.isEmpty()) {
            return;
        }
        // Under the map's lock for this queue: the sweeper removes an empty box the same way,
        // so items never land in a box that is no longer in the map.
        inboxes.compute(queue, (q, box) -> {
            Inbox b = box != null ? box : new Inbox();
            for (int i = items.size() - 1; i >= 0; i--) {
                b.items.addFirst(items.get(i));
            }
            return b;
        });
    }

    /** Puts back the items that no process took for a while (all of them if {@code all}). */
    private void giveBack(boolean all) {
        long now = System.nanoTime();
        for (Map.Entry<String, Inbox> e : inboxes.entrySet()) {
            Inbox box = e.getValue();
            if (!all && now - box.lastTake <= IDLE_NANOS) {
                continue;
            }
            List<byte[]> items = new ArrayList<>();
            for (byte[] b; (b = box.items.poll()) != null; ) {
                items.add(b);
            }
            if (items.isEmpty()) {
                if (now - box.lastTake > 20 * IDLE_NANOS) {
                    inboxes.computeIfPresent(e.getKey(), (q, b) -> b == box && b.items.isEmpty() ? null : b);
                }
                continue;
            }
            try {
                if (exists(e.getKey())) {
                    access.retrying(() -> access.hz.<byte[]>getQueue(e.getKey()).addAll(items), false,
                            "giving back items taken ahead");
                }
            } catch (RuntimeException ex) {
                if (all) {
                    LOG.log(Level.WARNING, items.size() + " item(s) of the queue " + Names.idOf(e.getKey())
                            + " taken ahead by this node could not be given back and are lost", ex);
                } else {
                    LOG.log(Level.FINE, "could not give back items taken ahead; kept for the next sweep", ex);
                    giveToOthers(e.getKey(), items);
                }
            }
        }
    }

    /** Whether {@code queue} still exists: items of a queue destroyed meanwhile must not bring it back. */
    private boolean exists(String queue) {
        for (DistributedObject o : access.hz.getDistributedObjects()) {
            if (o.getName().equals(queue)) {
                return true;
            }
        }
        return false;
    }

    /** Gives back every item held (the relay is closing). */
    @Override
    public void close() {
        for (Map.Entry<Long, Lender> e : lenders.entrySet()) {
            end(e.getKey(), e.getValue());
        }
        sweeper.shutdownNow();
        fetcher.shutdown(); // not interrupted: Hazelcast would drop the answer of a drainTo, and its items
        try {
            sweeper.awaitTermination(5, TimeUnit.SECONDS);
            fetcher.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        giveBack(true);
    }
}
