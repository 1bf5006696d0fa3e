/**
 * The shared memory behind the public synchronization classes: one small segment per lock,
 * condition, semaphore, event, barrier, shared value, array or {@code SharedMemory} (a "cell"),
 * its layout ({@link org.multiprocessing4j.internal.sync.SyncLayout}), and its operations,
 * including what each does when a process dies holding or waiting on it. Built on
 * {@code internal.shm}; the public facades in {@code org.multiprocessing4j} add argument checks
 * and serialization as handles.
 */
package org.multiprocessing4j.internal.sync;
