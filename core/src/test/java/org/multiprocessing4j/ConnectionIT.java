package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.multiprocessing4j.testing.Messages.assertMessage;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiprocessing4j.internal.connection.ChallengeHandshake;
import org.multiprocessing4j.internal.connection.FrameChannel;
import org.multiprocessing4j.internal.platform.RuntimeDirectory;
import org.multiprocessing4j.testing.NoLeftovers;

/**
 * Socket connections and their listener: authentication before anything else, bad peers
 * refused while the listener goes on serving good ones, and the {@link Connection} contract
 * that pipe ends share. Listeners bind to 127.0.0.1 on a port the system picks.
 */
@ExtendWith(NoLeftovers.class)
@Timeout(120)
class ConnectionIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final byte[] KEY = "the test's secret".getBytes(StandardCharsets.UTF_8);
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private ConnectionListener listener;

    @AfterEach
    void closeListener() {
        if (listener != null) {
            listener.close();
        }
        System.clearProperty("multiprocessing4j.connection.handshakeTimeoutMillis");
    }

    private static <T> T get(CompletableFuture<T> f, String what) throws Exception {
        try {
            return f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("waited " + WAIT.toSeconds() + " s for " + what, e);
        }
    }

    private static CompletableFuture<Connection> connectLater(SocketAddress address, byte[] key) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return Connection.connect(address, key);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }


    /** Proves the listener still serves a well-behaved client. */
    private void assertServesAGoodClient() throws Exception {
        CompletableFuture<Connection> client = connectLater(listener.address(), KEY);
        try (Connection server = listener.accept(); Connection c = get(client, "a good client to connect")) {
            c.send("still serving");
            assertEquals("still serving", server.recv());
        }
    }

    @Test
    @SuppressWarnings("try") // closes a resource early on purpose: the close is what is tested
    void aTcpConnectionCarriesObjectsAndBytesBothWaysAfterAuthenticating() throws Exception {
        listener = ConnectionListener.open(LOOPBACK, KEY);
        InetSocketAddress bound = (InetSocketAddress) listener.address();
        assertNotEquals(0, bound.getPort(), "port 0 picks a free port");
        CompletableFuture<Connection> client = connectLater(bound, KEY);
        try (Connection server = listener.accept(); Connection c = get(client, "the client to connect")) {
            c.send(List.of("a", 1));
            c.send(null);
            c.sendBytes(new byte[0]);
            c.sendBytes("hello".getBytes(StandardCharsets.UTF_8), 1, 3);
            assertEquals(List.of("a", 1), server.recv());
            assertEquals((Object) null, server.recv());
            assertEquals(0, server.recvBytes().length, "an empty message arrives as one");
            assertTrue(server.poll(WAIT));
            assertMessage(IllegalArgumentException.class, () -> server.recvBytes(2), "3 bytes", "stays");
            byte[] into = new byte[10];
            assertEquals(3, server.recvBytesInto(into, 2));
            assertEquals("ell", new String(into, 2, 3, StandardCharsets.UTF_8));
            assertFalse(server.poll(), "nothing more was sent");
            server.send(42L);
            assertEquals(42L, (Long) c.recv());
            c.send("last words");
            c.close();
            assertTrue(c.isClosed());
            assertEquals("last words", server.recv(), "what was sent before the close arrives first");
            assertTrue(server.poll(WAIT), "end of file is ready to be seen");
            assertMessage(PipeClosedException.class, server::recv, "end of file");
            assertMessage(IllegalStateException.class, () -> c.send(1), "closed");
        }
    }

    @Test
    void aWrongKeyFailsOnBothSidesAndTheListenerServesOthers() throws Exception {
        listener = ConnectionListener.open(LOOPBACK, KEY);
        CompletableFuture<Connection> wrong = connectLater(listener.address(), "another key".getBytes(StandardCharsets.UTF_8));
        assertMessage(AuthenticationException.class, listener::accept, "authkey");
        assertMessage(AuthenticationException.class, () -> get(wrong, "the wrong client to fail"), "refused");
        CompletableFuture<Connection> none = connectLater(listener.address(), null);
        assertThrows(IllegalArgumentException.class, () -> get(none, "a client without a key"),
                "a network address needs a key in the client too");
        assertServesAGoodClient();
    }

    @Test
    void garbageInsteadOfAnAnswerIsRefusedAtOnce() throws Exception {
        listener = ConnectionListener.open(LOOPBACK, KEY);
        try (SocketChannel raw = SocketChannel.open(listener.address())) {
            raw.write(ByteBuffer.wrap(new byte[64])); // as long as an answer, and wrong
            assertMessage(AuthenticationException.class, listener::accept, "authkey");
        }
        assertServesAGoodClient();
    }

    @Test
    void aPeerThatStallsInTheHandshakeIsDropped() throws Exception {
        System.setProperty("multiprocessing4j.connection.handshakeTimeoutMillis", "300");
        listener = ConnectionListener.open(LOOPBACK, KEY);
        try (SocketChannel raw = SocketChannel.open(listener.address())) {
            raw.write(ByteBuffer.wrap(new byte[10])); // part of an answer, then nothing
            assertMessage(AuthenticationException.class, listener::accept, "within 300 ms", "dropped");
            ByteBuffer rest = ByteBuffer.allocate(100);
            int n;
            do {
                n = raw.read(rest); // the challenge, then end of file
            } while (n > 0);
            assertEquals(-1, n, "the listener closed the stalled connection");
        }
        System.clearProperty("multiprocessing4j.connection.handshakeTimeoutMillis");
        assertServesAGoodClient();
    }

    /** A client that authenticates properly and then writes whatever the test wants. */
    private SocketChannel rawAuthenticatedClient(List<CompletableFuture<Connection>> accepted) throws Exception {
        accepted.set(0, CompletableFuture.supplyAsync(() -> {
            try {
                return listener.accept();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }));
        SocketChannel raw = SocketChannel.open(listener.address());
        FrameChannel frames = new FrameChannel(raw, 1 << 20);
        ChallengeHandshake.asClient(frames, KEY, System.nanoTime() + TimeUnit.SECONDS.toNanos(30));
        return raw;
    }

    private static void write(SocketChannel raw, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            raw.write(b);
        }
    }

    @Test
    @SuppressWarnings("try") // closes a resource early on purpose: the close is what is tested
    void oversizeAndTruncatedFramesAreRefusedAndTheListenerServesOthers() throws Exception {
        listener = ConnectionListener.open(LOOPBACK, KEY);
        List<CompletableFuture<Connection>> accepted = new java.util.ArrayList<>(List.of(new CompletableFuture<>()));
        try (SocketChannel raw = rawAuthenticatedClient(accepted);
             Connection server = get(accepted.get(0), "the raw client to be accepted")) {
            write(raw, ByteBuffer.allocate(5).putInt(Integer.MAX_VALUE).put((byte) 0).flip());
            assertMessage(IllegalStateException.class, server::recv, String.valueOf(Integer.MAX_VALUE), "closed");
            assertTrue(server.isClosed(), "a peer that breaks the framing is cut off");
        }
        try (SocketChannel raw = rawAuthenticatedClient(accepted);
             Connection server = get(accepted.get(0), "the raw client to be accepted")) {
            write(raw, ByteBuffer.allocate(15).putInt(100).put((byte) 1).put(new byte[10]).flip());
            raw.close();
            assertMessage(PipeClosedException.class, server::recv, "in the middle of a message");
        }
        try (SocketChannel raw = rawAuthenticatedClient(accepted);
             Connection server = get(accepted.get(0), "the raw client to be accepted")) {
            write(raw, ByteBuffer.allocate(9).putInt(4).put((byte) 0).put(new byte[] {(byte) 0x7f, 1, 2, 3}).flip());
            assertMessage(IllegalStateException.class, server::recv);
            assertFalse(server.poll(), "garbage in a whole frame is consumed; the connection goes on");
        }
        assertServesAGoodClient();
    }

    @Test
    void addressesAndKeysAreChecked(@org.junit.jupiter.api.io.TempDir Path dir) {
        assertMessage(IllegalArgumentException.class, () -> ConnectionListener.open(LOOPBACK, null), "needs an authkey");
        assertMessage(IllegalArgumentException.class, () -> ConnectionListener.open(LOOPBACK, new byte[0]), "empty");
        assertMessage(IllegalArgumentException.class, () -> Connection.connect(LOOPBACK, null), "needs an authkey");
        assertMessage(NullPointerException.class, () -> ConnectionListener.open(null, KEY), "address");
        assertMessage(IllegalArgumentException.class,
                () -> ConnectionListener.open(UnixDomainSocketAddress.of(dir.resolve("s")), null), "private runtime directory");
        SocketAddress odd = new SocketAddress() {
            private static final long serialVersionUID = 1L;
        };
        assertMessage(IllegalArgumentException.class, () -> ConnectionListener.open(odd, KEY), "InetSocketAddress");
        SocketAddress closedAgain;
        try (ConnectionListener taken = ConnectionListener.open(LOOPBACK, KEY)) {
            assertMessage(java.io.UncheckedIOException.class,
                    () -> ConnectionListener.open(taken.address(), KEY), "cannot listen at");
            closedAgain = taken.address();
        }
        assertMessage(java.io.UncheckedIOException.class, () -> Connection.connect(closedAgain, KEY), "cannot connect to");
    }

    @Test
    void aUnixSocketInThePrivateDirectoryMayGoWithoutAKey() throws Exception {
        Path dir = RuntimeDirectory.userDirectory();
        RuntimeDirectory.ensurePrivateDirectory(dir);
        Path file = dir.resolve("test-" + ProcessHandle.current().pid() + ".sock");
        listener = ConnectionListener.open(UnixDomainSocketAddress.of(file), null);
        assertTrue(Files.exists(file));
        CompletableFuture<Connection> keyed = connectLater(listener.address(), KEY);
        Connection refused = listener.accept(); // the listener asked for nothing, so it has nothing to refuse
        assertMessage(AuthenticationException.class, () -> get(keyed, "a keyed client to refuse"), "does not authenticate");
        refused.close();
        CompletableFuture<Connection> client = connectLater(listener.address(), null);
        try (Connection server = listener.accept(); Connection c = get(client, "the client to connect")) {
            server.send("over a unix socket");
            assertEquals("over a unix socket", c.recv());
        }
        listener.close();
        assertFalse(Files.exists(file), "close() deletes the socket's file");
    }

    @Test
    void acceptWakesOnInterruptAndOnClose() throws Exception {
        listener = ConnectionListener.open(LOOPBACK, KEY);
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, listener::accept);
        assertFalse(listener.isClosed(), "an interrupt does not close the listener");
        assertServesAGoodClient();
        CompletableFuture<Throwable> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                listener.accept();
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        listener.close();
        Throwable woken = get(waiting, "accept() to wake when the listener closes");
        assertTrue(woken instanceof IllegalStateException && woken.getMessage().contains("closed"), String.valueOf(woken));
        listener.close(); // idempotent
    }

    @Test
    void aChildConnectsBackWithTheKeyAndUsesTheSameInterfaceAsAPipe() throws Exception {
        listener = ConnectionListener.open(LOOPBACK, KEY);
        SocketAddress address = listener.address();
        byte[] key = KEY;
        JvmProcess child = new JvmProcess("caller", () -> {
            try (Connection c = Connection.connect(address, key)) {
                echo(c);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        child.start();
        try (Connection server = listener.accept()) {
            server.send("ping");
            assertEquals("pong: ping", server.recv());
        }
        assertTrue(child.join(WAIT), "the child should end after its echo");
        assertEquals(0, child.exitCode().getAsInt());

        ProcessPipe pipe = ProcessPipe.open();
        JvmProcess pipeChild = new JvmProcess("pipe-caller", () -> {
            try {
                echo(pipe.second());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        pipeChild.start();
        Connection first = pipe.first();
        first.send("ping");
        assertEquals("pong: ping", first.recv());
        assertTrue(pipeChild.join(WAIT));
        pipe.first().close();
        pipe.second().close();
    }

    /** Code that uses a connection, whichever kind it is. */
    static void echo(Connection c) throws InterruptedException {
        String got = c.recv();
        c.send("pong: " + got);
    }

}
