package org.multiprocessing4j;

/**
 * How far a {@code map} or {@code imap} of a {@link ProcessPool} has got: a snapshot.
 *
 * @param total the number of items: known from the start when the input is a {@code Collection}
 *              (its size when the job was submitted), otherwise −1 until the input has been read
 *              to its end
 * @param completed items whose result has arrived
 * @param failed items that failed (included in {@code completed})
 */
public record TaskProgress(long total, long completed, long failed) {
    /** Whether every item has completed (the total is known and reached). */
    public boolean isDone() {
        return total >= 0 && completed >= total;
    }

    /** {@code completed / total} between 0 and 1, or 0 while the total is unknown. */
    public double fraction() {
        return total <= 0 ? (total == 0 ? 1 : 0) : Math.min(1.0, (double) completed / total);
    }
}
