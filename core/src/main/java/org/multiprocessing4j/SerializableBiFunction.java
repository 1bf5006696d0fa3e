package org.multiprocessing4j;

import java.io.Serializable;
import java.util.function.BiFunction;

/**
 * A {@link BiFunction} that can be sent to another JVM: what {@code pool.starmap(fn, pairs)}
 * applies to each pair in a worker process. Everything the lambda captures must be
 * {@link Serializable} too.
 *
 * @param <T> the type of the first argument
 * @param <U> the type of the second argument
 * @param <R> the type of the result
 */
@FunctionalInterface
public interface SerializableBiFunction<T, U, R> extends BiFunction<T, U, R>, Serializable {
}
