package org.multiprocessing4j.cluster.internal.shared;

/**
 * How a process reaches the cluster's shared objects: {@link Direct} in a JVM that has a
 * Hazelcast instance (a driver, a node), {@link Relay} in a process a node or driver started.
 */
public interface Ops {
    /**
     * Runs {@code op} and returns what it returned. An interrupt of the calling thread does not
     * cut an op in half (it would lose an item taken from a queue): the op completes, and the
     * interrupt status is set again when this returns.
     *
     * @throws IllegalStateException if the cluster cannot be reached (the message says why)
     */
    <R> R call(Op<R> op);

    /** This process's id in the cluster (host, pid and a nonce): the prefix of its threads' ids as lock holders. */
    String processId();

    /** The member or client through which this process reaches the cluster. */
    String host();

    /** The id of the calling thread as a lock holder or barrier party. */
    default String threadId() {
        return processId() + "#" + Thread.currentThread().getId();
    }
}
