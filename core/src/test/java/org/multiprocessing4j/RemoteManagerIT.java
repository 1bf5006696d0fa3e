package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.multiprocessing4j.testing.Messages.assertMessage;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiprocessing4j.testing.Await;
import org.multiprocessing4j.testing.Files2;
import org.multiprocessing4j.testing.NoLeftovers;

/**
 * Remote managers: {@link ProcessManager#serve} in one JVM, {@link ProcessManager#connect} from
 * others, over TCP on 127.0.0.1 with an authkey.
 */
@ExtendWith(NoLeftovers.class)
@Timeout(180)
class RemoteManagerIT {
    private static final Duration LONG = Duration.ofSeconds(60);
    private static final byte[] KEY = "remote manager test".getBytes(StandardCharsets.UTF_8);
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    /** A registered type of a served manager. */
    public interface Greeter {
        String greet(String who);
    }

    static final class GreeterImpl implements Greeter {
        @Override
        public String greet(String who) {
            return "hello " + who + " from " + ProcessHandle.current().pid();
        }
    }


    @Test
    void aJobQueueServedHereIsWorkedByAnotherJvmThatConnects() throws Exception {
        try (ProcessManager served = ProcessManager.serve(LOOPBACK, KEY)) {
            SocketAddress address = served.address().orElseThrow();
            BlockingQueue<Integer> jobs = served.queue("jobs");
            BlockingQueue<String> results = served.queue("results");
            for (int i = 1; i <= 5; i++) {
                jobs.put(i);
            }
            byte[] key = KEY;
            JvmProcess worker = new JvmProcess("worker", () -> {
                try (ProcessManager m = ProcessManager.connect(address, key)) {
                    BlockingQueue<Integer> todo = m.queue("jobs");
                    BlockingQueue<String> done = m.queue("results");
                    for (int i = 0; i < 5; i++) {
                        int job = todo.take();
                        done.put(job + " squared is " + job * job);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            worker.start();
            List<String> got = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                String r = results.poll(LONG.toSeconds(), TimeUnit.SECONDS);
                assertTrue(r != null, "waited " + LONG.toSeconds() + " s for result " + (i + 1) + " from the worker");
                got.add(r);
            }
            assertEquals(List.of("1 squared is 1", "2 squared is 4", "3 squared is 9", "4 squared is 16",
                    "5 squared is 25"), got);
            assertTrue(worker.join(LONG), "the worker should end once its jobs are done");
            assertEquals(0, worker.exitCode().getAsInt());
        }
    }

    @Test
    void clientsShareNamedObjectsAndRegisteredOnes() throws Exception {
        try (ProcessManager served = ProcessManager.builder().register("greeter", Greeter.class, GreeterImpl::new)
                .serve(LOOPBACK, KEY);
             ProcessManager a = ProcessManager.connect(served.address().orElseThrow(), KEY);
             ProcessManager b = ProcessManager.connect(served.address().orElseThrow(), KEY)) {
            ConcurrentMap<String, Integer> fromA = a.dict("counts");
            fromA.put("x", 1);
            ConcurrentMap<String, Integer> fromB = b.dict("counts");
            assertEquals(2, fromB.merge("x", 1, (SerializableBiFunction<Integer, Integer, Integer>) Integer::sum));
            assertEquals(2, served.<String, Integer>dict("counts").get("x"), "the serving JVM sees the same map");
            a.list("names").add("ada");
            assertEquals(List.of("ada"), new ArrayList<>(b.<String>list("names")));
            String greeting = a.create("greeter", Greeter.class).greet("ada");
            assertEquals("hello ada from " + ProcessHandle.current().pid(), greeting, "runs in the serving JVM");
            assertMessage(IllegalArgumentException.class, () -> a.create("greeter", Runnable.class),
                    "registered with", Greeter.class.getName());
            assertMessage(IllegalArgumentException.class, () -> a.create("nobody", Greeter.class), "no typeid 'nobody'");
            assertMessage(UnsupportedOperationException.class, a::pid, "not known");
        }
    }

    @Test
    void aWrongKeyIsRefusedAndTheServerServesOthers() throws Exception {
        try (ProcessManager served = ProcessManager.serve(LOOPBACK, KEY)) {
            SocketAddress address = served.address().orElseThrow();
            assertThrows(AuthenticationException.class,
                    () -> ProcessManager.connect(address, "wrong".getBytes(StandardCharsets.UTF_8)));
            try (ProcessManager good = ProcessManager.connect(address, KEY)) {
                good.dict("d").put("k", "v");
                assertEquals("v", served.dict("d").get("k"));
            }
        }
    }

    @Test
    void aServerThatEndsFailsCallsClearlyAndNothingIsReachedWhereNothingServes(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        JvmProcess[] started = new JvmProcess[1];
        InetSocketAddress address = serveInChild(dir, () -> { }, started);
        JvmProcess server = started[0];
        try (ProcessManager client = ProcessManager.connect(address, KEY)) {
            ConcurrentMap<String, Integer> d = client.dict("d");
            d.put("k", 1);
            assertEquals(1, d.get("k"));
            server.kill();
            server.join();
            assertMessage(IllegalStateException.class, () -> d.get("k"), "manager at " + address);
        }
        assertMessage(IllegalStateException.class, () -> ProcessManager.connect(address, KEY), "cannot be reached");
        assertMessage(IllegalArgumentException.class, () -> ProcessManager.connect(address, null), "needs an authkey");
        assertMessage(IllegalArgumentException.class, () -> ProcessManager.serve(LOOPBACK, null), "needs an authkey");
    }

    @Test
    void aClosedServedManagerFailsItsClientsCalls() throws Exception {
        ProcessManager served = ProcessManager.serve(LOOPBACK, KEY);
        try (ProcessManager client = ProcessManager.connect(served.address().orElseThrow(), KEY)) {
            ConcurrentMap<String, String> d = client.dict("d");
            d.put("a", "b");
            served.close();
            served.close(); // idempotent
            assertThrows(IllegalStateException.class, () -> d.get("a"));
            assertMessage(IllegalStateException.class, () -> served.dict("d"), "closed");
        }
    }
    /** Starts a child JVM serving a manager (after {@code before} ran there) and reads back its address. */
    private static InetSocketAddress serveInChild(Path dir, SerializableRunnable before, JvmProcess[] started)
            throws Exception {
        Path readyFile = dir.resolve("address");
        String ready = readyFile.toString();
        byte[] key = KEY;
        JvmProcess server = new JvmProcess("server", () -> {
            before.run();
            ProcessManager m = ProcessManager.serve(LOOPBACK, key);
            Files2.write(ready, m.address().orElseThrow() + "\n");
            // Serves until killed: the accepting thread keeps this JVM alive.
        });
        server.start();
        started[0] = server;
        Await.until(LONG, "the serving child to write its address",
                () -> java.nio.file.Files.exists(readyFile) && Files2.read(readyFile).endsWith("\n"));
        String written = Files2.read(readyFile).strip();
        int port = Integer.parseInt(written.substring(written.lastIndexOf(':') + 1));
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    @Test
    void aClassTheServersFilterRefusesFailsThatCallAndTheServerServesOn(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        JvmProcess[] server = new JvmProcess[1];
        InetSocketAddress address = serveInChild(dir, () -> java.io.ObjectInputFilter.Config.setSerialFilter(
                java.io.ObjectInputFilter.Config.createFilter("!java.util.Date")), server);
        try (ProcessManager client = ProcessManager.connect(address, KEY)) {
            ConcurrentMap<String, Object> d = client.dict("d");
            RuntimeException refused = assertThrows(RuntimeException.class, () -> d.put("when", new java.util.Date()));
            assertTrue(String.valueOf(refused.getMessage()).contains("java.util.Date")
                    || String.valueOf(refused.getCause()).contains("REJECTED"), refused.toString());
            assertEquals(null, d.get("when"), "nothing was stored");
            d.put("k", 1);
            assertEquals(1, d.get("k"), "the server serves on");
        } finally {
            server[0].kill();
            server[0].join();
        }
    }

    @Test
    void malformedRequestsAndUnknownMethodsAreAnsweredWithErrorsAndTheServerServesOn() throws Exception {
        try (ProcessManager served = ProcessManager.serve(LOOPBACK, KEY)) {
            SocketAddress address = served.address().orElseThrow();
            served.dict("d").put("k", "v");
            try (Connection raw = Connection.connect(address, KEY)) {
                assertEquals(0, raw.recvBytes().length, "the server's hello");
                raw.sendBytes(new byte[] {1, 2, 3});
                byte[] reply = raw.recvBytes();
                assertEquals(1, reply[0], "an error reply");
                assertTrue(new String(reply, StandardCharsets.ISO_8859_1).contains("malformed manager request"));
                java.nio.ByteBuffer noSuchMethod = java.nio.ByteBuffer.allocate(12).putInt(1).putInt(99_999).putInt(0);
                raw.sendBytes(noSuchMethod.array());
                reply = raw.recvBytes();
                assertEquals(1, reply[0], "an error reply");
                assertTrue(new String(reply, StandardCharsets.ISO_8859_1).contains("no method 99999"));
            }
            try (ProcessManager good = ProcessManager.connect(address, KEY)) {
                assertEquals("v", good.dict("d").get("k"), "a well-behaved client is served");
            }
        }
    }

    @Test
    void aLockHeldByAClientJvmThatIsKilledIsReleased() throws Exception {
        try (ProcessManager served = ProcessManager.serve(LOOPBACK, KEY)) {
            SocketAddress address = served.address().orElseThrow();
            java.util.concurrent.locks.Lock lock = served.lock("l");
            Event held = served.event("held");
            byte[] key = KEY;
            JvmProcess holder = new JvmProcess("holder", () -> {
                try {
                    ProcessManager m = ProcessManager.connect(address, key);
                    m.lock("l").lock();
                    m.event("held").set();
                    Files2.blockForever();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            holder.start();
            assertTrue(held.await(LONG), "the client JVM to take the lock");
            assertFalse(lock.tryLock(), "the client JVM holds it");
            holder.kill();
            assertTrue(holder.join(LONG));
            assertTrue(lock.tryLock(LONG.toSeconds(), TimeUnit.SECONDS), "released when its holder's connection ended");
            lock.unlock();
            assertEquals(0, served.sharedLong("n").get());
            assertEquals(3, served.sharedLong("n").addAndGet(3));
        }
    }
}
