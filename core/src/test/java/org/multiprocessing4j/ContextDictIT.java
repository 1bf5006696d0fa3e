package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code ctx.dict()} and {@code ctx.list()} on one machine (one manager process per JVM, started
 * by the first call, ended with the JVM), and the named objects that only a cluster context has.
 */
class ContextDictIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void dictAndListOfAContextAreSharedByChildrenAndTheirManagerEndsWithTheJvm() throws Exception {
        try (ProcessQueue<String> report = ProcessQueue.create()) {
            JvmProcess parent = new JvmProcess("dict-owner", () -> ownDictAndList(report));
            parent.start();
            assertTrue(parent.join(WAIT), "the owner ended within 60 s");
            assertEquals(OptionalInt.of(0), parent.exitCode(), () -> "the owner exited 0: " + parent.exception());
            String result = report.poll(WAIT);
            assertEquals("hits=200 list=[a, b] fresh=true", result);
            String pids = report.poll(WAIT);
            assertNotNull(pids, "the owner reported its manager's pid");
            assertEquals(1, pids.split(",").length, "one manager for every dict and list of the JVM: " + pids);
            for (String pid : pids.split(",")) {
                ProcessHandle h = ProcessHandle.of(Long.parseLong(pid)).orElse(null);
                if (h != null) {
                    h.onExit().get(30, TimeUnit.SECONDS);
                }
            }
        }
        assertEquals(List.of(), ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toList()),
                "no process left");
    }

    private static void ownDictAndList(ProcessQueue<String> report) {
        try {
            ProcessContext ctx = Multiprocessing.getContext();
            ConcurrentMap<String, Integer> d = ctx.dict();
            List<String> l = ctx.list();
            List<JvmProcess> children = new ArrayList<>();
            for (String name : List.of("a", "b")) {
                JvmProcess p = ctx.process(() -> {
                    for (int i = 0; i < 100; i++) {
                        // On one machine the function runs in the manager, so it travels: serializable.
                        d.merge("hits", 1, (SerializableBiFunction<Integer, Integer, Integer>) Integer::sum);
                    }
                    l.add(name);
                });
                p.start();
                children.add(p);
            }
            for (JvmProcess p : children) {
                p.join();
                if (p.exitCode().orElse(-1) != 0) {
                    report.put(p.getName() + " failed: " + p.exception().map(Throwable::toString).orElse("?"));
                }
            }
            List<String> sorted = new ArrayList<>(l);
            sorted.sort(null);
            // Another dict is a new, empty one, in the same manager process.
            boolean fresh = Multiprocessing.getContext().<String, Integer>dict().isEmpty();
            report.put("hits=" + d.get("hits") + " list=" + sorted + " fresh=" + fresh);
            report.put(ProcessHandle.current().children().map(h -> Long.toString(h.pid()))
                    .collect(Collectors.joining(",")));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void namedObjectsNeedAClusterContext() {
        ProcessContext ctx = Multiprocessing.getContext();
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> ctx.queue("jobs"));
        assertTrue(e.getMessage().contains("ctx.queue(name)") && e.getMessage().contains("cluster"), e.getMessage());
        assertThrows(UnsupportedOperationException.class, () -> ctx.lock("db"));
        assertThrows(UnsupportedOperationException.class, () -> ctx.dict("results"));
        assertThrows(UnsupportedOperationException.class, () -> ctx.list("l"));
        assertThrows(UnsupportedOperationException.class, () -> ctx.joinableQueue("j"));
        assertThrows(UnsupportedOperationException.class, () -> ctx.reentrantLock("r"));
        assertThrows(UnsupportedOperationException.class, () -> ctx.semaphore("s", 1));
        assertThrows(UnsupportedOperationException.class, () -> ctx.event("e"));
        assertThrows(UnsupportedOperationException.class, () -> ctx.barrier("b", 2));
        assertThrows(UnsupportedOperationException.class, () -> ctx.sharedLong("v", 0));
        assertThrows(UnsupportedOperationException.class, () -> ctx.destroy("jobs"));
    }
}
