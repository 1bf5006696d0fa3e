package org.multiprocessing4j.internal.channel;

import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.internal.shm.SharedMutex;
import org.multiprocessing4j.internal.shm.Words;

/**
 * A process that dies between two of its stores to shared memory, as a SIGKILL would stop it,
 * simulated in one JVM: the thread is stopped at a named point of {@link Ring} (or of
 * {@link OverflowChain}), and the lock it held is marked as held by a process that does not
 * exist, so the next user takes it over as it would from a dead one.
 */
final class SimulatedDeaths {
    /** A pid above Linux's highest possible pid_max: never alive. */
    private static final long DEAD_TOKEN = (12345L << 32) | 4_999_999L;

    private SimulatedDeaths() {
    }

    /** What stops the thread at a death point. */
    static final class Died extends Error {
        Died() {
            super("simulated death", null, false, false);
        }
    }

    interface Action {
        void run() throws Exception;
    }

    /** Runs {@code action}, stopping its thread at the {@code nth} time it reaches {@code point}. */
    static boolean dieAt(String point, int nth, Action action) throws Exception {
        int[] left = {nth};
        boolean[] reached = {false};
        Ring.deathPoint = p -> {
            if (p.equals(point) && --left[0] == 0) {
                reached[0] = true;
                throw new Died();
            }
        };
        try {
            action.run();
        } catch (Died expected) {
            // Stopped where a SIGKILL could have stopped it.
        } finally {
            Ring.deathPoint = null;
        }
        return reached[0];
    }

    /** A thread held at a point of {@link Ring} (see {@link #pauseAt}). */
    static final class Pause {
        private final CountDownLatch reached = new CountDownLatch(1);
        private final CountDownLatch resumed = new CountDownLatch(1);

        /** Waits until the thread is held at the point; false if it was not within 10 s. */
        boolean awaitReached() throws InterruptedException {
            return reached.await(10, TimeUnit.SECONDS);
        }

        /** Lets the thread go on. */
        void resume() {
            resumed.countDown();
        }
    }

    /**
     * Holds {@code thread} the first time it reaches {@code point}, until {@link Pause#resume}
     * (at most 20 s): a process stopped there, not dead, with whatever lock it holds.
     */
    static Pause pauseAt(String point, Thread thread) {
        Pause pause = new Pause();
        Ring.deathPoint = p -> {
            if (p.equals(point) && Thread.currentThread() == thread && pause.reached.getCount() > 0) {
                pause.reached.countDown();
                try {
                    pause.resumed.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        return pause;
    }

    /** The queue's own ring. */
    static Ring ring(QueueChannel q) throws ReflectiveOperationException {
        Field f = QueueChannel.class.getDeclaredField("ring");
        f.setAccessible(true);
        return (Ring) f.get(q);
    }

    /** Marks {@code lock} as held by a process that no longer exists. */
    static void poison(SharedMutex lock) throws ReflectiveOperationException {
        Field buffer = SharedMutex.class.getDeclaredField("buffer");
        Field at = SharedMutex.class.getDeclaredField("ownerOffset");
        buffer.setAccessible(true);
        at.setAccessible(true);
        Words.setVolatile((ByteBuffer) buffer.get(lock), at.getInt(lock), DEAD_TOKEN);
    }
}
