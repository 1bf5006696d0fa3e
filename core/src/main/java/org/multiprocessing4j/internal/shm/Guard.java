package org.multiprocessing4j.internal.shm;

/**
 * What a waiting thread checks besides its condition: that its channel is still open here
 * ({@code slow == false}, every round) and, now and then, things too dear for every round,
 * such as whether the process at the other end of a pipe is alive ({@code slow == true}).
 * Throws to end the wait.
 */
public interface Guard {
    Guard NONE = slow -> { };

    /** Throws to end the wait; {@code slow} says the dear checks are due. */
    void check(boolean slow);
}
