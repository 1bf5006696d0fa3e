/**
 * Shared memory between the processes of one user, and waiting on it: segments (made private,
 * unlinked at once, attached through {@code /proc/<pid>/fd}), their header and kinds, the one
 * cross-process mutex ({@link org.multiprocessing4j.internal.shm.SharedMutex}, with take-over
 * from a dead holder), shared-word access named by memory ordering
 * ({@link org.multiprocessing4j.internal.shm.Words}), and how a thread waits for another
 * process (back-off, sleeper tables, doorbells). The bottom layer: it uses neither
 * {@code internal.sync} nor {@code internal.channel}, which both build on it.
 */
package org.multiprocessing4j.internal.shm;
