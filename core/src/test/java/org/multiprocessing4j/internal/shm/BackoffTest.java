package org.multiprocessing4j.internal.shm;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A thread reuses its spare {@link Backoff} once a wait has closed it: a wait nested in another
 * gets its own, another thread gets its own, and a reused one starts as a new one would (its
 * deadline, its spinning).
 */
class BackoffTest {
    @Test
    void aClosedWaitsInstanceIsTheThreadsNextAndNestedWaitsGetTheirOwn() throws Exception {
        Backoff outer = Backoff.untimed();
        Backoff nested = Backoff.untimed();
        assertNotSame(outer, nested, "expected a wait nested in another to get its own instance");
        nested.close();
        outer.close();
        Backoff again = Backoff.untimed();
        assertSame(outer, again, "expected the thread's spare back once its wait closed it");
        AtomicReference<Backoff> other = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try (Backoff b = Backoff.untimed()) {
                other.set(b);
            }
        });
        t.start();
        t.join();
        assertNotSame(again, other.get(), "expected another thread to have its own spare");
        again.close();
    }

    @Test
    void aReusedInstanceTakesItsNewDeadlineAndSpinsAgain() throws InterruptedException {
        try (Backoff untimed = Backoff.untimed()) {
            for (int i = 0; i < 5_000; i++) {
                assertTrue(untimed.idle(), "expected an untimed wait never to run out (round " + i + ")");
            }
        }
        try (Backoff expired = Backoff.timed(0)) {
            assertFalse(expired.idle(), "expected a reused instance to take the new deadline, already passed");
        }
        try (Backoff fresh = Backoff.timed(60_000_000_000L)) {
            assertFalse(fresh.slowCheckDue(), "expected a reused instance to start spinning again, not sleeping");
            assertTrue(fresh.idle(), "expected a minute's wait not to run out at once");
        }
    }
}
