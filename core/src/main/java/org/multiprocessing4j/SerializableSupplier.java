package org.multiprocessing4j;

import java.io.Serializable;
import java.util.function.Supplier;

/**
 * A {@link Supplier} that can be sent to another JVM: the factory of a custom shared object,
 * as in {@code ProcessManager.builder().register("maths", Maths.class, MathsImpl::new)}, which
 * the manager's server process calls. Everything the lambda captures must be
 * {@link Serializable} too.
 *
 * @param <T> the type of what it supplies
 */
@FunctionalInterface
public interface SerializableSupplier<T> extends Supplier<T>, Serializable {
}
