package org.multiprocessing4j.spi;

import java.util.List;

/**
 * A pool's workers as its builder describes them, for a {@link PoolBackend}.
 *
 * @param processes how many workers
 * @param jvmOptions the workers' JVM options
 * @param initializer the initializer, encoded (run it with {@link Backends#initializerOf}), or null
 * @param maxTasksPerChild how many tasks a worker runs before it is replaced; 0 for no limit
 */
public record PoolSpec(int processes, List<String> jvmOptions, byte[] initializer, int maxTasksPerChild) {
    /** Copies the options. */
    public PoolSpec {
        jvmOptions = List.copyOf(jvmOptions);
    }
}
