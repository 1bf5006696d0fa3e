package org.multiprocessing4j.chaos;

/** The figures of a round, or summed over rounds: one row of the summary. Not thread-safe. */
final class Tally {
    long rounds;
    /** Child JVMs started: processes of the round and pool workers (first ones and replacements). */
    long started;
    /** SIGKILLs sent. */
    long kills;
    /** Items taken exactly once, lock or semaphore acquisitions, wake-ups, barrier trips, tasks completed. */
    long moved;
    /** Items taken by a consumer that was killed before it recorded them. */
    long lost;
    /** Invariants found broken (a stuck wait is one). */
    long failures;
    /** Leaks found after the round (a process, a file, descriptors, threads or heap above the baseline). */
    long leaks;
    /** Kills after which the survivors' next progress was measured, and the longest such wait. */
    long recoveries;
    long longestRecoveryNanos;

    void recovered(long nanos) {
        recoveries++;
        longestRecoveryNanos = Math.max(longestRecoveryNanos, Math.max(0, nanos));
    }

    void add(Tally t) {
        rounds += t.rounds;
        started += t.started;
        kills += t.kills;
        moved += t.moved;
        lost += t.lost;
        failures += t.failures;
        leaks += t.leaks;
        recoveries += t.recoveries;
        longestRecoveryNanos = Math.max(longestRecoveryNanos, t.longestRecoveryNanos);
    }
}
