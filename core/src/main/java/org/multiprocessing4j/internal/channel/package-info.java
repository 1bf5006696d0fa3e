/**
 * Queues and pipes over shared memory: the message ring (records, chunked messages, abandoned
 * messages, counts that a SIGKILL cannot leave wrong) and its layout, and the queue and pipe
 * channels that the public {@code ProcessQueue} and {@code PipeConnection} wrap. Built on
 * {@code internal.shm} and {@code internal.codec}.
 */
package org.multiprocessing4j.internal.channel;
