package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiprocessing4j.testing.NoLeftovers;

/** {@link JvmProcess#onExit()} and {@link Multiprocessing#awaitReady}: Python's sentinel and wait. */
@ExtendWith(NoLeftovers.class)
@Timeout(120)
class AwaitReadyIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void onExitCompletesWithTheProcessOnceItHasEndedAndItsExitCodeIsKnown() throws Exception {
        ProcessEvent go = ProcessEvent.create();
        JvmProcess p = new JvmProcess("held", () -> {
            try {
                go.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            System.exit(3);
        });
        p.start();
        var seen = p.onExit().thenApply(ended -> ended.isAlive() + " " + ended.exitCode());
        assertNotSame(p.onExit(), p.onExit(), "a new future each time, as Process.onExit");
        assertFalse(seen.isDone(), "the process is held until the event is set");
        go.set();
        assertEquals("false OptionalInt[3]", seen.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(p, p.onExit().get(WAIT.toSeconds(), TimeUnit.SECONDS), "an ended process's future is done");
    }

    @Test
    void awaitReadyReturnsTheEndedProcessesFirstAmongThoseStillRunning() throws Exception {
        ProcessEvent go = ProcessEvent.create();
        JvmProcess held = new JvmProcess("held", () -> {
            try {
                go.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        JvmProcess quick = new JvmProcess("quick", () -> { });
        held.start();
        quick.start();
        assertEquals(List.of(quick), Multiprocessing.awaitReady(List.of(held, quick), WAIT));
        go.set();
        held.join();
        assertEquals(List.of(held, quick), Multiprocessing.awaitReady(List.of(held, quick), Duration.ZERO),
                "both have ended: both are ready, in the order given");
    }

    @Test
    void connectionsAndQueuesAreReadyWhenSomethingCanBeReceived() throws Exception {
        ProcessPipe pipe = ProcessPipe.open();
        ProcessQueue<String> queue = ProcessQueue.create();
        List<Object> waitedFor = List.of(pipe.first(), queue);
        assertEquals(List.of(), Multiprocessing.awaitReady(waitedFor, Duration.ofMillis(50)), "nothing sent yet");
        PipeConnection childEnd = pipe.second();
        JvmProcess sender = new JvmProcess("sender", () -> {
            try {
                childEnd.send("from the child");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        sender.start();
        assertEquals(List.of(pipe.first()), Multiprocessing.awaitReady(waitedFor, WAIT));
        assertEquals("from the child", pipe.first().recv());
        queue.put("an item");
        assertEquals(List.of(queue), Multiprocessing.awaitReady(waitedFor, WAIT));
        sender.join();
        pipe.first().close();
        pipe.second().close();
        queue.close();
    }

    @Test
    void misuseIsRefusedWithClearErrors() throws Exception {
        JvmProcess unstarted = new JvmProcess("unstarted", () -> { });
        IllegalStateException notStarted = assertThrows(IllegalStateException.class, unstarted::onExit);
        assertTrue(notStarted.getMessage().contains("onExit()") && notStarted.getMessage().contains("not been started"),
                notStarted.getMessage());
        assertThrows(IllegalStateException.class, () -> Multiprocessing.currentProcess().onExit());
        IllegalArgumentException odd = assertThrows(IllegalArgumentException.class,
                () -> Multiprocessing.awaitReady(List.of("a string"), Duration.ZERO));
        assertTrue(odd.getMessage().contains("java.lang.String") && odd.getMessage().contains("index 0"), odd.getMessage());
        assertThrows(NullPointerException.class, () -> Multiprocessing.awaitReady(null, Duration.ZERO));
        assertThrows(NullPointerException.class, () -> Multiprocessing.awaitReady(List.of(), null));
        NullPointerException nullItem = assertThrows(NullPointerException.class,
                () -> Multiprocessing.awaitReady(Arrays.asList(unstarted, null), Duration.ZERO));
        assertTrue(nullItem.getMessage().contains("index"), nullItem.getMessage());
        assertEquals(List.of(), Multiprocessing.awaitReady(List.of(), Duration.ZERO));
    }

    @Test
    void awaitReadyWakesOnInterrupt() throws Exception {
        ProcessQueue<String> queue = ProcessQueue.create();
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> Multiprocessing.awaitReady(List.of(queue), WAIT));
        queue.close();
    }
}
