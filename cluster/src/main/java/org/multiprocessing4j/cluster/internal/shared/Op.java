package org.multiprocessing4j.cluster.internal.shared;

import java.io.Serializable;

/**
 * One request of a shared object to the cluster, run by a {@link Direct} access: in this JVM if
 * it has a Hazelcast instance, else sent to the {@link RelayServer} of the node (or driver) that
 * started this process, which runs it there. An op that waits does so for at most a slice of
 * time ({@link Direct#SLICE_NANOS}) and then returns what it has, so that the caller's thread can
 * notice an interrupt and a relay never holds a request for long.
 *
 * <p>Ops travel over the relay with Java serialization, read behind a filter that admits only
 * the op classes of this package and the JDK types their fields use (see {@link Frames}).
 *
 * @param <R> what it returns
 */
public abstract class Op<R> implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Runs this op on {@code access}. Never throws InterruptedException: an op waits only for a slice, and uninterruptibly. */
    abstract R run(Direct access);
}
