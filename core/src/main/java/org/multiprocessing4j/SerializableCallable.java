package org.multiprocessing4j;

import java.io.Serializable;
import java.util.concurrent.Callable;

/**
 * A {@link Callable} that can be sent to another JVM: the type of tasks that return a value,
 * such as {@code pool.apply(() -> compute(42))}. A lambda is serializable only when its target
 * type is, so the APIs that ship code take this type; everything the lambda captures must be
 * {@link Serializable} too.
 *
 * @param <V> the type of the result
 */
@FunctionalInterface
public interface SerializableCallable<V> extends Callable<V>, Serializable {
}
