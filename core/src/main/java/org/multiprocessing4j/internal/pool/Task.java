package org.multiprocessing4j.internal.pool;

/**
 * One message to one worker: one callable (a RUN), or a chunk of a map (a CALL). Made by its
 * {@link Job}, opaque outside this package. Its timestamps are written and read under the
 * engine's lock.
 */
public final class Task {
    final long id;
    final Job job;
    final long firstIndex;
    final int count;
    final byte[] message;
    /** When the dispatcher recorded it as sent; the clock of its run time without time limits. */
    long sentNanos;
    /** When its worker said it started (STARTED, only with a time limit), or 0. */
    long startedNanos;

    Task(long id, Job job, long firstIndex, int count, byte[] message) {
        this.id = id;
        this.job = job;
        this.firstIndex = firstIndex;
        this.count = count;
        this.message = message;
    }

    String describe() {
        return job.describe(firstIndex, count);
    }

    @Override
    public String toString() {
        return "task " + id + " (" + count + " items from " + firstIndex + ")";
    }
}
