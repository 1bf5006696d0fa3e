package org.multiprocessing4j.cluster.internal;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers the requests an agent has obeyed within {@link Protocol#MAX_AGE_MILLIS}, so that a
 * signed request recorded off the network cannot be played again. Thread-safe.
 */
final class ReplayGuard {
    private final Map<Long, Long> seen = new LinkedHashMap<>();

    /** True the first time a fresh request is seen; false for a stale or repeated one. */
    synchronized boolean firstSight(long time, long nonce) {
        long now = System.currentTimeMillis();
        if (Math.abs(now - time) > Protocol.MAX_AGE_MILLIS) {
            return false;
        }
        for (Iterator<Long> it = seen.values().iterator(); it.hasNext(); ) {
            if (now - it.next() > 2 * Protocol.MAX_AGE_MILLIS) {
                it.remove();
            } else {
                break; // in order of arrival: the rest are younger
            }
        }
        return seen.putIfAbsent(nonce, now) == null;
    }
}
