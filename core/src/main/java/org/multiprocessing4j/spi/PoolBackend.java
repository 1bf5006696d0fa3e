package org.multiprocessing4j.spi;

/**
 * Implemented by a {@link org.multiprocessing4j.ProcessContext} whose pools run elsewhere (a
 * cluster's): {@code ctx.pool(n)} and {@code ctx.poolBuilder()...build()} make a
 * {@code ProcessPool} whose tasks run through the {@link ChunkRunner} this opens.
 */
public interface PoolBackend {
    /**
     * Starts the workers of a pool.
     *
     * @param spec how many workers, and how to start them
     * @return the runner of the pool's tasks
     * @throws org.multiprocessing4j.ProcessStartException if the workers could not be started
     */
    ChunkRunner openPool(PoolSpec spec);
}
