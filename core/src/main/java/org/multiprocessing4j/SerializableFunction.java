package org.multiprocessing4j;

import java.io.Serializable;
import java.util.function.Function;

/**
 * A {@link Function} that can be sent to another JVM: what {@code pool.map(fn, items)} applies
 * to each item in a worker process. Everything the lambda captures must be
 * {@link Serializable} too.
 *
 * @param <T> the type of the argument
 * @param <R> the type of the result
 */
@FunctionalInterface
public interface SerializableFunction<T, R> extends Function<T, R>, Serializable {
}
