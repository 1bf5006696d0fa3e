package org.multiprocessing4j.chaos;

import java.io.Serializable;

/** What a child of a round runs; it may throw anything, which {@link Crew#run} reports. */
@FunctionalInterface
interface ChildBody extends Serializable {
    void run() throws Exception;
}
