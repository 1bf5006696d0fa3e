package org.multiprocessing4j.internal.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiprocessing4j.testing.NoLeftovers;

/**
 * Making a doorbell must never write to a descriptor the library did not create (issue 10): a
 * pipe another thread opens at the same moment, such as a {@code ProcessBuilder} child's
 * standard input, must receive nothing.
 */
@ExtendWith(NoLeftovers.class)
@Timeout(240)
class DoorbellIT {
    private static final int STARTS_PER_THREAD = 800;

    @Test
    void makingDoorbellsWritesNothingIntoPipesOtherThreadsOpen() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger made = new AtomicInteger();
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        Thread maker = new Thread(() -> {
            while (!stop.get()) {
                List<Doorbell> bells = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    Doorbell b = Doorbell.borrow();
                    if (b == null) {
                        problems.add("no doorbell could be made");
                        return;
                    }
                    bells.add(b);
                    made.incrementAndGet();
                }
                bells.forEach(Doorbell::close);
            }
        }, "doorbell-maker");
        maker.start();
        List<Thread> starters = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            Thread starter = new Thread(() -> {
                for (int i = 0; i < STARTS_PER_THREAD && problems.isEmpty(); i++) {
                    try {
                        // cat echoes its standard input: anything stray in that pipe shows.
                        Process cat = new ProcessBuilder("cat").redirectErrorStream(true).start();
                        cat.getOutputStream().close();
                        byte[] out = cat.getInputStream().readAllBytes();
                        if (!cat.waitFor(30, TimeUnit.SECONDS)) {
                            cat.destroyForcibly().waitFor();
                            problems.add("cat did not end");
                        } else if (out.length != 0 || cat.exitValue() != 0) {
                            problems.add("cat received " + out.length + " stray bytes and exited " + cat.exitValue());
                        }
                    } catch (IOException | InterruptedException e) {
                        problems.add("starting cat failed: " + e);
                    }
                }
            }, "starter-" + t);
            starters.add(starter);
            starter.start();
        }
        for (Thread s : starters) {
            s.join(TimeUnit.SECONDS.toMillis(200));
            assertTrue(!s.isAlive(), "starter thread did not finish its " + STARTS_PER_THREAD + " starts in 200 s");
        }
        stop.set(true);
        maker.join(TimeUnit.SECONDS.toMillis(30));
        assertTrue(!maker.isAlive(), "doorbell maker did not stop within 30 s");
        assertEquals(List.of(), new ArrayList<>(problems));
        assertTrue(made.get() > 100, "only " + made.get() + " doorbells were made while processes started");
    }

    @Test
    void aDoorbellIsRungThroughTheDescriptorItFoundForItself() {
        Doorbell b = Doorbell.borrow();
        assertNotNull(b, "this JVM should be able to make a doorbell");
        try {
            assertTrue(Doorbell.ring(b.pid, b.writeFd, b.inode), "ringing our own doorbell");
            long start = System.nanoTime();
            b.await(TimeUnit.SECONDS.toNanos(30));
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20), "the ring did not wake the doorbell");
        } finally {
            b.close();
        }
    }
}
