package org.multiprocessing4j.internal.pool;

/**
 * The life of a pool. States only move forward:
 *
 * <pre>
 * RUNNING ──shutdown()──▶ CLOSED ──every job done, every worker ended──▶ TERMINATED
 *    │                      │
 *    └──terminate(), or the pool broke──▶ TERMINATING ──every worker ended──▶ TERMINATED
 * </pre>
 *
 * A pool with no worker alive at the moment of {@code shutdown()} or {@code terminate()} (and,
 * for {@code shutdown()}, no work left) goes straight to {@code TERMINATED}. The engine changes
 * the state under its lock; anyone may read it.
 */
public enum PoolState {
    RUNNING, CLOSED, TERMINATING, TERMINATED;

    /** Whether the pool takes new submissions and holds an {@code imap} back to its reader's pace. */
    public boolean isRunning() {
        return this == RUNNING;
    }

    /** Whether {@code terminate()} was called or every worker has ended: nothing more is sent or started. */
    public boolean isEnding() {
        return this == TERMINATING || this == TERMINATED;
    }

    /**
     * Whether the pool still wants its workers (and replaces one that dies): while it runs, and
     * after {@code shutdown()} for as long as {@code workLeft}.
     */
    boolean needsWorkers(boolean workLeft) {
        return this == RUNNING || (this == CLOSED && workLeft);
    }
}
