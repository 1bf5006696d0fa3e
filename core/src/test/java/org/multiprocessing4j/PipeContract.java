package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiprocessing4j.testing.Channels;
import org.multiprocessing4j.testing.Files2;
import org.multiprocessing4j.testing.NoLeftovers;

/** ProcessPipe and PipeConnection across real child JVMs (DESIGN.md section 3, issue 4). */
@ExtendWith(NoLeftovers.class)
@Timeout(180)
abstract class PipeContract extends StartMethodSuite {
    private static final Duration LONG = Duration.ofSeconds(60);

    private static void joined(JvmProcess p) throws InterruptedException {
        assertTrue(p.join(LONG), "process " + p.getName() + " did not end within " + LONG.toSeconds() + " s");
    }

    /** Echoes objects back until end-of-file, then exits 0. */
    private static void echo(PipeConnection c) {
        try {
            while (true) {
                Object o = c.recv();
                c.send(o);
            }
        } catch (PipeClosedException eof) {
            c.close();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void duplexPipeEchoesObjectsAndBytesThroughAChild() throws Exception {
        ProcessPipe pipe = Multiprocessing.getContext().pipe(true);
        PipeConnection child = pipe.second();
        JvmProcess p = new JvmProcess(() -> echo(child));
        p.start();
        child.close(); // as in Python: the parent closes the end it gave away
        PipeConnection mine = pipe.first();
        List<Object> sent = Arrays.asList(1, "two", 3.0, null, List.of(4, 5), Long.MAX_VALUE);
        for (Object o : sent) {
            mine.send(o);
            assertEquals(o, Channels.recv(mine, "echo of " + o));
        }
        byte[] bytes = {9, 8, 7, 6, 5};
        mine.sendBytes(bytes, 1, 3);
        assertArrayEquals(new byte[] {8, 7, 6}, Channels.recv(mine, "echo of bytes"));
        mine.close();
        joined(p);
        assertEquals(OptionalInt.of(0), p.exitCode(), "the child saw end-of-file and returned");
    }

    @Test
    void receiverSeesEverythingSentThenEndOfFileWhenTheSenderCloses() throws Exception {
        ProcessPipe pipe = ProcessPipe.open(false);
        PipeConnection sender = pipe.second();
        JvmProcess p = new JvmProcess(() -> {
            for (int i = 0; i < 100; i++) {
                Channels.send(sender, i);
            }
            sender.close();
            Files2.blockForever(); // still alive: end-of-file comes from close(), not from exit
        });
        p.start();
        sender.close();
        PipeConnection receiver = pipe.first();
        for (int i = 0; i < 100; i++) {
            assertEquals(i, (int) Channels.recv(receiver, "message " + i));
        }
        PipeClosedException eof = assertThrows(PipeClosedException.class, receiver::recv);
        assertInstanceOf(EOFException.class, eof.getCause());
        assertTrue(receiver.poll(), "poll() is true at end-of-file: recv() would not wait");
        p.kill();
        joined(p);
    }

    @Test
    void receiverSeesEndOfFileWhenTheSenderIsKilled() throws Exception {
        ProcessPipe pipe = ProcessPipe.open(false);
        PipeConnection sender = pipe.second();
        JvmProcess p = new JvmProcess(() -> {
            Channels.send(sender, "last words");
            Files2.blockForever();
        });
        p.start();
        sender.close();
        PipeConnection receiver = pipe.first();
        assertEquals("last words", Channels.recv(receiver, "the first message"));
        p.kill();
        joined(p);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                receiver.recv();
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        t.start();
        t.join(LONG.toMillis());
        assertFalse(t.isAlive(), "recv() returned after the sender died");
        assertInstanceOf(PipeClosedException.class, thrown.get());
    }

    @Test
    void parentSeesEndOfFileWhenItsOwnCopyIsClosedAndTheChildEnds() throws Exception {
        ProcessPipe pipe = ProcessPipe.open();
        JvmProcess p = new JvmProcess(() -> {
            PipeConnection c = pipe.second();
            Channels.send(c, "hello");
            // The whole pipe was captured: this child holds both ends and simply returns.
        });
        p.start();
        pipe.second().close();
        assertEquals("hello", Channels.recv(pipe.first(), "the child's message"));
        joined(p);
        assertThrows(PipeClosedException.class, () -> pipe.first().recv());
        pipe.close();
    }

    @Test
    void oneWayPipeRefusesTheWrongDirection() {
        ProcessPipe pipe = ProcessPipe.open(false);
        assertFalse(pipe.isDuplex());
        assertTrue(pipe.first().isReadable());
        assertFalse(pipe.first().isWritable());
        assertTrue(pipe.second().isWritable());
        assertFalse(pipe.second().isReadable());
        assertThrows(UnsupportedOperationException.class, () -> pipe.first().send(1));
        assertThrows(UnsupportedOperationException.class, () -> pipe.first().sendBytes(new byte[1]));
        assertThrows(UnsupportedOperationException.class, () -> pipe.second().recv());
        assertThrows(UnsupportedOperationException.class, () -> pipe.second().recvBytes());
        assertThrows(UnsupportedOperationException.class, () -> pipe.second().poll());
        pipe.close();
    }

    @Test
    void recvBytesVariants() throws Exception {
        ProcessPipe pipe = ProcessPipe.open();
        PipeConnection a = pipe.first();
        PipeConnection b = pipe.second();
        a.sendBytes(new byte[] {1, 2, 3, 4});
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class, () -> b.recvBytes(3));
        assertTrue(tooLong.getMessage().contains("4 bytes"), tooLong.getMessage());
        byte[] buf = new byte[6];
        assertThrows(IllegalArgumentException.class, () -> b.recvBytesInto(buf, 3), "does not fit after offset 3");
        assertEquals(4, b.recvBytesInto(buf, 2), "the message stayed in the pipe");
        assertArrayEquals(new byte[] {0, 0, 1, 2, 3, 4}, buf);
        b.send("an object");
        byte[] encoded = a.recvBytes();
        assertTrue(encoded.length > 0, "an object read as bytes comes as its encoded form");
        b.sendBytes(new byte[0]);
        assertArrayEquals(new byte[0], a.recvBytes(0));
        assertThrows(IllegalArgumentException.class, () -> a.recvBytes(-1));
        assertThrows(IndexOutOfBoundsException.class, () -> a.sendBytes(new byte[2], 1, 2));
        assertThrows(NullPointerException.class, () -> a.sendBytes(null));
        pipe.close();
    }

    @Test
    void pollWaitsAtMostItsTimeout() throws Exception {
        ProcessPipe pipe = ProcessPipe.open();
        assertFalse(pipe.first().poll());
        assertFalse(pipe.first().poll(Duration.ofMillis(50)));
        PipeConnection child = pipe.second();
        JvmProcess p = new JvmProcess(() -> Channels.send(child, "ping"));
        p.start();
        assertTrue(pipe.first().poll(LONG));
        assertEquals("ping", pipe.first().recv());
        joined(p);
        assertThrows(NullPointerException.class, () -> pipe.first().poll(null));
        pipe.close();
    }

    @Test
    void largeMessagesStreamThroughTheBuffer() throws Exception {
        ProcessPipe pipe = ProcessPipe.open();
        PipeConnection child = pipe.second();
        JvmProcess p = new JvmProcess(() -> echo(child));
        p.start();
        child.close();
        byte[] big = new byte[5 << 20];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 7);
        }
        for (int round = 0; round < 3; round++) {
            pipe.first().sendBytes(big);
            byte[] back = Channels.recv(pipe.first(), "the echo of 5 MiB");
            assertArrayEquals(big, back);
        }
        pipe.first().close();
        joined(p);
    }

    @Test
    void senderBlockedOnAFullPipeSeesTheReceiverGo() throws Exception {
        ProcessPipe pipe = ProcessPipe.open(false);
        PipeConnection receiver = pipe.first();
        JvmProcess p = new JvmProcess(() -> {
            Channels.recv(receiver, "one message");
            receiver.close();
        });
        p.start();
        receiver.close();
        pipe.second().send("take this");
        byte[] chunk = new byte[64 * 1024];
        PipeClosedException broken = assertThrows(PipeClosedException.class, () -> {
            while (true) {
                pipe.second().sendBytes(chunk); // fills the pipe, then waits and sees nobody reads
            }
        });
        assertTrue(broken.getMessage().contains("cannot send"), broken.getMessage());
        joined(p);
        pipe.close();
    }

    @Test
    void unserializableObjectIsRefusedAndNothingIsSent() throws Exception {
        ProcessPipe pipe = ProcessPipe.open();
        ProcessSerializationException e = assertThrows(ProcessSerializationException.class,
                () -> pipe.first().send(new Thread()));
        assertTrue(e.getMessage().contains("java.lang.Thread"), e.getMessage());
        assertFalse(pipe.second().poll());
        pipe.close();
    }

    @Test
    void closedEndThrowsAndWakesItsWaiters() throws Exception {
        ProcessPipe pipe = ProcessPipe.open();
        PipeConnection end = pipe.first();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            started.countDown();
            try {
                end.recv();
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        t.start();
        assertTrue(started.await(60, TimeUnit.SECONDS));
        end.close();
        t.join(LONG.toMillis());
        assertFalse(t.isAlive(), "recv() woke up when its end was closed");
        assertInstanceOf(IllegalStateException.class, thrown.get());
        end.close();
        assertTrue(end.isClosed());
        assertThrows(IllegalStateException.class, () -> end.send(1));
        assertThrows(IllegalStateException.class, end::recv);
        assertThrows(IllegalStateException.class, end::poll);
        ProcessSerializationException notSent = assertThrows(ProcessSerializationException.class,
                () -> new JvmProcess(() -> end.poll()).start(), "a closed end cannot be sent to a child");
        assertTrue(notSent.getMessage().contains("closed"), notSent.getMessage());

        pipe.close();
    }

    @Test
    void misuseIsRefusedWithClearErrors() throws Exception {
        ProcessPipe pipe = Multiprocessing.getContext().pipe();
        PipeConnection a = pipe.first();
        assertThrows(NullPointerException.class, () -> a.sendBytes(null, 0, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> a.sendBytes(new byte[4], -1, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> a.sendBytes(new byte[4], 3, 2));
        assertThrows(NullPointerException.class, () -> a.recvBytesInto(null));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> a.recvBytesInto(new byte[4], 5));
        assertTrue(bad.getMessage().contains("offset 5"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> a.recvBytesInto(new byte[4], -1));
        assertThrows(NullPointerException.class, () -> a.poll(null));
        assertFalse(a.poll(Duration.ofSeconds(-5)), "a negative timeout checks once");
        pipe.close();
        pipe.close(); // idempotent
        assertTrue(pipe.first().isClosed() && pipe.second().isClosed());
        assertThrows(IllegalStateException.class, () -> pipe.second().sendBytes(new byte[1]));
    }
}
