package org.multiprocessing4j.cluster.internal.shared;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The relay's side of one process's {@link HeldPuts}: reads the puts that have come, adds them
 * to the cluster in one {@code addAll} per run of puts on the same queue (a joinable queue's
 * count first, so that {@code join()} never sees zero while an item is on its way), and answers
 * how many puts are now in the cluster. Puts that arrive while a batch is being added make the
 * next batch: the slower the cluster, the larger the batches.
 */
final class HeldPutSink {
    /** The most bytes of items read and not yet added: beyond, the relay stops reading (and the process's puts wait). */
    private static final long MAX_PENDING_BYTES = 8 << 20;
    /** The most puts added by one call: a few hundred already make a call's cost small per item. */
    private static final int MAX_BATCH = 1024;

    private final Direct access;
    /** Run before each batch is added (the values written back: the items may tell of them). */
    private final Runnable beforeAdd;

    HeldPutSink(Direct access, Runnable beforeAdd) {
        this.beforeAdd = beforeAdd;
        this.access = access;
    }

    /**
     * Serves one put stream until the process closes it (or dies: the puts it had written whole
     * are added still). This thread reads; a thread of the stream's own adds what has been read,
     * so that the puts that come while a batch is being added make the next batch.
     */
    void serve(InputStream in, OutputStream out) throws IOException {
        Batches batches = new Batches();
        Thread adder = new Thread(() -> {
            try {
                batches.addAll(out);
            } catch (Throwable t) {
                // Without its adder the stream would fill and its process wait for ever: end it,
                // so that the process learns its puts may not have reached the cluster.
                java.util.logging.Logger.getLogger(HeldPutSink.class.getName()).log(java.util.logging.Level.WARNING,
                        "the relay stopped adding a process's puts", t);
                batches.fail();
                try {
                    out.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }, "mp4j-relay-put-adder");
        adder.setDaemon(true);
        adder.start();
        try {
            Op<?> op;
            while ((op = Frames.readOp(in)) != null) {
                batches.offer(cast(op));
            }
        } finally {
            batches.end();
            try {
                adder.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The puts read and not yet added, handed from the reading thread to the adding one. */
    private final class Batches {
        private final Object lock = new Object();
        private List<HeldPut> pending = new ArrayList<>();
        private long pendingBytes;
        private boolean ended;
        private boolean failed;

        void offer(HeldPut put) throws IOException {
            synchronized (lock) {
                while (pendingBytes >= MAX_PENDING_BYTES && !failed) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new java.io.InterruptedIOException("the relay is closing");
                    }
                }
                if (failed) {
                    throw new IOException("the relay stopped adding this process's puts");
                }
                pending.add(put);
                pendingBytes += put.item.length + 64;
                lock.notifyAll();
            }
        }

        void end() {
            synchronized (lock) {
                ended = true;
                lock.notifyAll();
            }
        }

        /** The adder is gone: the reader must stop waiting for room. */
        void fail() {
            synchronized (lock) {
                failed = true;
                lock.notifyAll();
            }
        }

        void addAll(OutputStream out) {
            long done = 0;
            boolean answering = true;
            while (true) {
                List<HeldPut> batch;
                synchronized (lock) {
                    while (pending.isEmpty() && !ended) {
                        try {
                            lock.wait();
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    if (pending.isEmpty()) {
                        return;
                    }
                    if (pending.size() <= MAX_BATCH) {
                        batch = pending;
                        pending = new ArrayList<>();
                    } else {
                        batch = new ArrayList<>(pending.subList(0, MAX_BATCH));
                        pending.subList(0, MAX_BATCH).clear();
                    }
                    pendingBytes = 0;
                    for (HeldPut p : pending) {
                        pendingBytes += p.item.length + 64;
                    }
                    lock.notifyAll();
                }
                String failure = add(batch);
                done += batch.size();
                if (failure != null) {
                    java.util.logging.Logger.getLogger(HeldPutSink.class.getName()).log(java.util.logging.Level.FINE, failure);
                }
                if (answering) {
                    try {
                        if (failure != null) {
                            Frames.writeReply(out, new Frames.Failure(IllegalStateException.class.getName(), failure));
                        }
                        Frames.writeReply(out, new long[] {done});
                    } catch (IOException e) {
                        answering = false; // the process is gone; what it wrote is added all the same
                    }
                }
            }
        }
    }

    private static HeldPut cast(Op<?> op) throws IOException {
        if (!(op instanceof HeldPut)) {
            throw new IOException("a put stream carried a request of type " + op.type());
        }
        return (HeldPut) op;
    }

    /** Adds {@code batch} in order, one call per run on the same queue; the failures' description, or null. */
    private String add(List<HeldPut> batch) {
        StringBuilder failures = null;
        int from = 0;
        while (from < batch.size()) {
            HeldPut first = batch.get(from);
            int to = from + 1;
            while (to < batch.size() && batch.get(to).sameTarget(first)) {
                to++;
            }
            List<byte[]> items = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                items.add(batch.get(i).item);
            }
            String failed = add(first.queue, first.unfinishedKey, items);
            if (failed != null) {
                failures = failures == null ? new StringBuilder(failed) : failures.append("; ").append(failed);
            }
            from = to;
        }
        return failures == null ? null : failures.toString();
    }

    private String add(String queue, String unfinishedKey, List<byte[]> items) {
        int n = items.size();
        boolean counted = false;
        try {
            beforeAdd.run();
            if (unfinishedKey != null) {
                if (access.step(unfinishedKey, SyncOp.of(SyncOp.COUNT_ADD, SyncOp.VALUE, n))[0] == SyncOp.GONE) {
                    return n + " item(s) put on the joinable queue " + Names.idOf(queue)
                            + " were not added: it no longer exists (it was destroyed)";
                }
                counted = true;
            }
            access.retrying(() -> access.hz.<byte[]>getQueue(queue).addAll(items), false, "a put on a queue");
            return null;
        } catch (RuntimeException e) {
            if (counted) {
                try {
                    access.step(unfinishedKey, SyncOp.of(SyncOp.COUNT_ADD, SyncOp.VALUE, -n));
                } catch (RuntimeException again) {
                    e.addSuppressed(again);
                }
            }
            return n + " item(s) put on the queue " + Names.idOf(queue) + " were not added: " + e.getMessage();
        }
    }
}
