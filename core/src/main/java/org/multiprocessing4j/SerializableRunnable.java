package org.multiprocessing4j;

import java.io.Serializable;

/**
 * A {@link Runnable} that can be sent to another JVM.
 *
 * <p>A lambda is serializable only when its target type is, so code that runs in a child
 * process is typed {@code SerializableRunnable}: {@code new JvmProcess(() -> work(42))}
 * compiles to a serializable lambda whose captured values (here none; in general every
 * variable the lambda uses) are serialized with it. Everything it captures must be
 * {@link Serializable} too; {@link JvmProcess#start()} refuses the process otherwise, naming
 * the class that is not.
 */
@FunctionalInterface
public interface SerializableRunnable extends Runnable, Serializable {
}
