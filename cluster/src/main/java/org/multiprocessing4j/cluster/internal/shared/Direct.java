package org.multiprocessing4j.cluster.internal.shared;

import com.hazelcast.config.QueueConfig;
import com.hazelcast.core.DistributedObject;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs {@link Op}s on a Hazelcast instance of this JVM: a driver's client or a node's member.
 * On a driver, ops run on a thread of their own while the caller waits, so that an interrupt
 * of the caller cannot cut a Hazelcast call in half (Hazelcast would drop the answer of a call
 * whose thread is interrupted, and with it an item taken from a queue); on a node, ops run on
 * the relay's threads, which nobody interrupts.
 */
public final class Direct implements Ops {
    /** The longest an op waits before it returns to its caller (who then waits again). */
    static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final Logger LOG = Logger.getLogger(Direct.class.getName());

    final HazelcastInstance hz;
    final IMap<String, SyncEntry> sync;
    final KeyWatch watch;
    private final String cluster;
    private final String host;
    private final String processId;
    private final Shield shield;
    private final Set<Integer> boundedConfigs = ConcurrentHashMap.newKeySet();
    private final Set<Long> watchedProcesses = ConcurrentHashMap.newKeySet();
    private final java.util.List<java.util.function.Consumer<String>> processEnds = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * @param shielded whether callers may be interrupted (a driver's threads): ops then run on
     *        a thread of their own
     */
    public Direct(HazelcastInstance hz, String cluster, String host, boolean shielded) {
        this.hz = hz;
        this.cluster = cluster;
        this.host = host;
        this.processId = host + "/" + ProcessHandle.current().pid() + "/0";
        this.sync = hz.getMap(Names.SYNC_MAP);
        this.watch = new KeyWatch(sync);
        this.shield = shielded ? new Shield("mp4j-cluster-op") : null;
    }

    /** The name of the cluster this access reaches. */
    public String cluster() {
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
        if (shield == null || !op.interruptible()) {
            return op.run(this);
        }
        return shield.call(() -> op.run(this));
    }

    /** One step on the entry {@code key}. */
    long[] step(String key, SyncOp op) {
        // Joined, not awaited: an interrupt of the caller must not drop the answer of a step
        // that has happened (a lock taken, a permit used).
        return retrying(() -> {
            try {
                return sync.submitToKey(key, op).toCompletableFuture().join();
            } catch (java.util.concurrent.CompletionException e) {
                Throwable c = e.getCause();
                if (c instanceof RuntimeException) {
                    throw (RuntimeException) c;
                }
                throw e;
            }
        }, op.repeatable(), "a step on " + key);
    }

    /** How long an op that can be repeated is tried again while the cluster recovers from a member's death. */
    private static final long RECOVERY_NANOS = TimeUnit.SECONDS.toNanos(60);

    /**
     * Runs {@code call}; if the member that ran it died meanwhile, runs it again (for at most a
     * minute) if it is {@code repeatable} (a second run changes nothing or cannot deliver twice),
     * else says that it may or may not have happened: the caller is told, nothing is done twice.
     */
    <R> R retrying(java.util.function.Supplier<R> call, boolean repeatable, String what) {
        long deadline = System.nanoTime() + RECOVERY_NANOS;
        while (true) {
            try {
                return call.get();
            } catch (RuntimeException e) {
                if (!memberLost(e)) {
                    throw e;
                }
                if (!repeatable) {
                    throw new IllegalStateException("the member that ran " + what + " left the cluster before it answered,"
                            + " so it may or may not have happened (" + e.getMessage() + ")", e);
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the cluster did not recover within a minute from the loss of the"
                            + " member that ran " + what, e);
                }
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            }
        }
    }

    private static boolean memberLost(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof com.hazelcast.spi.exception.TargetDisconnectedException
                    || t instanceof com.hazelcast.spi.exception.RetryableException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Repeats {@code op} on {@code key} until it is done (its status is not {@link SyncOp#RETRY}),
     * waking on changes of the entry, for at most {@code nanos} (and at most a slice).
     */
    long[] stepWhenReady(String key, SyncOp op, long nanos) {
        long deadline = System.nanoTime() + Math.min(nanos < 0 ? Long.MAX_VALUE : nanos, SLICE_NANOS);
        while (true) {
            long seen = watch.version(key);
            long[] r = step(key, op);
            long left = deadline - System.nanoTime();
            if (r[0] != SyncOp.RETRY || left <= 0) {
                return r;
            }
            watch.awaitChange(key, seen, left);
        }
    }

    /** Makes sure the queues bounded by {@code maxsize} are configured with that bound (once per JVM and bound). */
    void configureBound(int maxsize) {
        if (boundedConfigs.add(maxsize)) {
            hz.getConfig().addQueueConfig(new QueueConfig(Names.boundedQueuePattern(maxsize))
                    .setMaxSize(maxsize).setBackupCount(1));
        }
    }

    /**
     * A process that reaches the cluster through this JVM's relay: when it ends, what its
     * threads held is released (and the next holder of each lock told), and the barriers it waited
     * at break.
     */
    void watchProcess(long pid, String id) {
        if (!watchedProcesses.add(pid)) {
            return;
        }
        Runnable ended = () -> {
            watchedProcesses.remove(pid);
            for (java.util.function.Consumer<String> c : processEnds) {
                c.accept(id + "#");
            }
            sweep(id + "#", null);
        };
        ProcessHandle.of(pid).ifPresentOrElse(h -> h.onExit().thenRun(ended), ended);
    }

    /** Removes the sync map's entry listener {@code registration} (null: none); quietly if the member is stopping. */
    void stopListening(java.util.UUID registration) {
        if (registration != null) {
            try {
                sync.removeEntryListener(registration);
            } catch (RuntimeException stopping) {
                // the member is stopping: its listeners go with it
            }
        }
    }

    /** Calls {@code ended} with the thread-id prefix of each watched process that ends (before the cluster's sweep). */
    void onProcessEnd(java.util.function.Consumer<String> ended) {
        processEnds.add(ended);
    }

    /** Releases what threads with ids starting with {@code prefix} hold; breaks their barriers, and those {@code host} took part in. */
    public void sweep(String prefix, String host) {
        try {
            sync.executeOnEntries(SyncOp.sweep(prefix, host));
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "could not release what " + prefix + " held", e);
        }
    }

    /** Destroys every object whose id starts with {@code idPrefix}: their items and their state. */
    public void destroyAll(String idPrefix) {
        try {
            for (DistributedObject o : hz.getDistributedObjects()) {
                if (Names.holds(o.getName(), idPrefix)) {
                    o.destroy();
                }
            }
            sync.removeAll(keysStartingWith(idPrefix));
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "could not destroy the objects " + idPrefix + "*", e);
        }
    }

    /** Destroys the named object whose id is {@code id}: its items, its state and its name. */
    void destroyNamed(String id) {
        for (DistributedObject o : hz.getDistributedObjects()) {
            if (Names.holds(o.getName(), id) && Names.idOf(o.getName()).equals(id)) {
                o.destroy();
            }
        }
        sync.removeAll(keysStartingWith(id + "."));
        sync.delete(id);
    }

    /** The sync map's entries whose keys start with {@code prefix} (taken literally, not as a pattern). */
    private static com.hazelcast.query.Predicate<String, SyncEntry> keysStartingWith(String prefix) {
        return Predicates.like("__key", prefix.replace("%", "\\%").replace("_", "\\_") + "%");
    }

    /** Stops this access (its instance is closing). */
    public void close() {
        watch.clear();
        if (shield != null) {
            shield.close();
        }
    }
}
