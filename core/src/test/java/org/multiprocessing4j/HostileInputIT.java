package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.multiprocessing4j.drivers.Stranger;
import org.multiprocessing4j.testing.BlockingCall;
import org.multiprocessing4j.testing.Channels;
import org.multiprocessing4j.testing.JavaProgram;
import org.multiprocessing4j.testing.Messages;
import org.multiprocessing4j.testing.NoLeftovers;

/**
 * Bad input and hostile timing (issue 16 part 4): handles of shared objects deserialized where
 * they cannot work (in a program the library did not start, after every process that held the
 * object has ended, in another user's program), and items larger than a queue's ring or a
 * pipe's buffer.
 */
@ExtendWith(NoLeftovers.class)
@Timeout(180)
class HostileInputIT {
    private static final Duration LONG = Duration.ofSeconds(60);
    /** What attaching to an object whose every holder has ended says, after the kind of object. */
    private static final String GONE = " made by another process: every process that held it has ended";

    @TempDir
    Path dir;

    static byte[] serialize(Object o) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static Object deserialize(byte[] bytes) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return in.readObject();
        }
    }

    /** Writes the Java serialization of {@code o} to {@code file}; a target may call it. */
    static void writeHandle(Path file, Object o) {
        try {
            Files.write(file, serialize(o));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JavaProgram stranger(List<String> wrapper, Path... handles) {
        String[] args = new String[handles.length];
        for (int i = 0; i < handles.length; i++) {
            args[i] = handles[i].toString();
        }
        // Its shared memory where this JVM's is: an unbounded queue's overflow must be found by both.
        return JavaProgram.startUnder(wrapper, Stranger.class,
                List.of("-Dmultiprocessing4j.shmdir=" + System.getProperty("multiprocessing4j.shmdir")), args);
    }

    /** The stranger's lines, {@code name: what happened}, by name, once it has ended by itself. */
    private static Map<String, String> linesOf(JavaProgram stranger) throws InterruptedException {
        assertEquals(0, stranger.awaitExit(LONG), "the stranger exits normally; stderr: " + stranger.stderr());
        assertEquals(List.of(), stranger.stderr(), "the stranger prints no error of its own");
        Map<String, String> lines = new java.util.HashMap<>();
        for (String line : stranger.stdout()) {
            int colon = line.indexOf(": ");
            if (colon > 0) {
                lines.put(line.substring(0, colon), line.substring(colon + 2));
            }
        }
        assertEquals("done", stranger.stdout().get(stranger.stdout().size() - 1), stranger.stdout().toString());
        return lines;
    }

    /**
     * A program the library did not start, of this user, may use a handle while some process
     * that holds the object lives: what makes an object private is the user (the kernel lets
     * only the same user open {@code /proc/<pid>/fd} of a holder), not the family.
     */
    @Test
    void aProgramTheLibraryDidNotStartUsesHandlesWhileAHolderLives() throws Exception {
        ProcessQueue<String> q = ProcessQueue.create();
        ProcessPipe pipe = ProcessPipe.open();
        ProcessLock lock = ProcessLock.create();
        writeHandle(dir.resolve("queue"), q);
        writeHandle(dir.resolve("pipe"), pipe.second());
        writeHandle(dir.resolve("lock"), lock);
        try (JavaProgram stranger = stranger(List.of(), dir.resolve("queue"), dir.resolve("pipe"),
                dir.resolve("lock"))) {
            assertEquals(Map.of("queue", "put", "pipe", "sent", "lock", "tryLock true"), linesOf(stranger));
        }
        assertEquals("from a stranger", q.poll(LONG));
        assertEquals("from a stranger", Channels.recv(pipe.first(), "the stranger's message"));
        assertFalse(lock.isLocked(), "the stranger let the lock go");
        q.close();
        pipe.close();
    }

    /**
     * A child makes the objects, writes their handles to files and ends: nobody holds them any
     * more. Decoding a handle then fails at once, in this JVM and in a program the library did
     * not start, naming the kind of object and why; nothing hangs or crashes.
     */
    @Test
    void handlesWhoseEveryHolderHasEndedFailClearly() throws Exception {
        String d = dir.toString();
        JvmProcess maker = new JvmProcess(() -> {
            writeHandle(Path.of(d, "queue"), ProcessQueue.create());
            writeHandle(Path.of(d, "joinable"), JoinableProcessQueue.create(3));
            writeHandle(Path.of(d, "pipe"), ProcessPipe.open().first());
            writeHandle(Path.of(d, "lock"), ProcessLock.create());
            writeHandle(Path.of(d, "condition"), ProcessCondition.create());
            writeHandle(Path.of(d, "semaphore"), ProcessSemaphore.create(1));
            writeHandle(Path.of(d, "event"), ProcessEvent.create());
            writeHandle(Path.of(d, "barrier"), ProcessBarrier.create(2));
            writeHandle(Path.of(d, "long"), SharedLong.create(1));
            writeHandle(Path.of(d, "array"), SharedIntArray.create(4));
        });
        maker.start();
        assertTrue(maker.join(LONG));
        assertEquals(0, maker.exitCode().getAsInt(), "the maker ended normally: " + maker.exception());
        String sync = "a lock, condition, semaphore, event, barrier or shared value";
        Map<String, String> kinds = Map.of("queue", "a queue", "joinable", "a queue", "pipe", "a pipe",
                "lock", sync, "condition", sync, "semaphore", sync, "event", sync, "barrier", sync, "long", sync,
                "array", sync);
        for (Map.Entry<String, String> k : kinds.entrySet()) {
            byte[] handle = Files.readAllBytes(dir.resolve(k.getKey()));
            long before = System.nanoTime();
            Messages.assertMessage(IllegalStateException.class, () -> deserialize(handle),
                    "cannot attach to " + k.getValue() + GONE);
            assertTrue(System.nanoTime() - before < Duration.ofSeconds(10).toNanos(), k.getKey() + " failed at once");
        }
        try (JavaProgram stranger = stranger(List.of(), dir.resolve("queue"), dir.resolve("pipe"),
                dir.resolve("lock"))) {
            Map<String, String> lines = linesOf(stranger);
            assertTrue(lines.get("queue").startsWith("java.lang.IllegalStateException: cannot attach to a queue" + GONE),
                    lines.toString());
            assertTrue(lines.get("pipe").startsWith("java.lang.IllegalStateException: cannot attach to a pipe" + GONE),
                    lines.toString());
            assertTrue(lines.get("lock").startsWith("java.lang.IllegalStateException: cannot attach to " + sync + GONE),
                    lines.toString());
        }
    }

    /**
     * Another user's program cannot open this user's shared memory (the kernel refuses it
     * {@code /proc/<pid>/fd}): decoding a handle there must fail saying so, not claim that
     * every holder has ended while this JVM holds the object. Needs root, to run the program
     * as {@code nobody}.
     */
    @Test
    void anotherUsersProgramIsToldItMayNotAttach() throws Exception {
        assumeTrue(JavaProgram.canRunAsNobody(), "needs root and setpriv");
        ProcessQueue<String> q = ProcessQueue.create();
        ProcessLock lock = ProcessLock.create();
        writeHandle(dir.resolve("queue"), q);
        writeHandle(dir.resolve("lock"), lock);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (String f : List.of("queue", "lock")) {
            Files.setPosixFilePermissions(dir.resolve(f), PosixFilePermissions.fromString("rw-r--r--"));
        }
        try (JavaProgram stranger = stranger(JavaProgram.AS_NOBODY, dir.resolve("queue"), dir.resolve("lock"))) {
            Map<String, String> lines = linesOf(stranger);
            for (String f : List.of("queue", "lock")) {
                String line = lines.get(f);
                assertTrue(line.startsWith("java.lang.IllegalStateException: cannot attach to "), lines.toString());
                assertFalse(line.contains("every process that held it has ended"), "a false reason: " + line);
                assertTrue(line.contains("another user") || line.contains("ermission"), "no reason given: " + line);
            }
        }
        q.close();
    }

    // ---- items larger than the ring ----------------------------------------------------------

    private static byte[] numbered(int n, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i += 4093) {
            b[i] = (byte) (i + n);
        }
        ByteBuffer.wrap(b).putInt(n);
        return b;
    }

    /** What a consumer child makes of what it takes: "n:length" if whole, else what was wrong. */
    static String describe(byte[] item) {
        int n = ByteBuffer.wrap(item).getInt();
        return java.util.Arrays.equals(numbered(n, item.length), item) ? n + ":" + item.length
                : "item " + n + " of " + item.length + " bytes is torn";
    }

    /** A bounded queue streams an item of 20 MiB (five rings) while a child reads it. */
    @Test
    void aBoundedQueueStreamsAnItemLargerThanItsRingToAReader() throws Exception {
        ProcessQueue<byte[]> q = ProcessQueue.create(2);
        ProcessQueue<String> verdict = ProcessQueue.create();
        JvmProcess reader = new JvmProcess(() -> Channels.put(verdict, describe(Channels.take(q, "the big item"))));
        reader.start();
        q.put(numbered(1, 20 << 20));
        assertEquals("1:" + (20 << 20), Channels.take(verdict, "the reader's verdict"));
        assertTrue(reader.join(LONG));
        assertTrue(q.isEmpty());
    }

    /**
     * With nobody reading, offer() of an item larger than the ring times out and puts nothing:
     * the queue counts no item, and the next reader gets the next item whole, not a piece.
     */
    @Test
    void offerOfAnItemLargerThanTheRingTimesOutLeavingNothing() throws Exception {
        JoinableProcessQueue<byte[]> q = JoinableProcessQueue.create(2);
        long before = System.nanoTime();
        assertFalse(q.offer(numbered(1, 20 << 20), Duration.ofMillis(300)), "nobody reads: no room in time");
        assertTrue(System.nanoTime() - before < LONG.toNanos(), "offer() returned at its timeout");
        assertEquals(0, q.size());
        assertEquals(0, q.unfinishedTasks(), "the abandoned item is not counted");
        assertNull(q.poll(), "nothing of it can be taken");
        ProcessQueue<String> verdict = ProcessQueue.create();
        JvmProcess reader = new JvmProcess(() -> {
            Channels.put(verdict, describe(Channels.take(q, "the item after the abandoned one")));
            q.taskDone();
        });
        reader.start();
        q.put(numbered(2, 5 << 20)); // waits for the reader to drop the abandoned pieces
        assertEquals("2:" + (5 << 20), Channels.take(verdict, "the reader's verdict"));
        assertTrue(reader.join(LONG));
        assertTrue(q.join(LONG));
    }

    /** An unbounded queue's put of 20 MiB returns with nobody reading; a child started afterwards gets it whole. */
    @Test
    void anUnboundedQueueTakesAnItemLargerThanItsRingAtOnce() throws Exception {
        ProcessQueue<byte[]> q = ProcessQueue.create();
        q.put(numbered(1, 20 << 20)); // nobody reads: put must not wait
        q.put(numbered(2, 10));
        assertEquals(2, q.size());
        ProcessQueue<String> verdict = ProcessQueue.create();
        JvmProcess reader = new JvmProcess(() -> {
            Channels.put(verdict, describe(Channels.take(q, "the big item")));
            Channels.put(verdict, describe(Channels.take(q, "the small item")));
        });
        reader.start();
        assertEquals("1:" + (20 << 20), Channels.take(verdict, "the first verdict"));
        assertEquals("2:10", Channels.take(verdict, "the second verdict"));
        assertTrue(reader.join(LONG));
        assertTrue(q.isEmpty());
    }

    /**
     * A message larger than the pipe's buffer, refused by a receiver's {@code recvBytes(max)}
     * while its sender still waits to write the rest, stays in the pipe whole: the next receive
     * gets all of it.
     */
    @Test
    void aStreamedMessageRefusedAsTooLongStaysInThePipe() throws Exception {
        ProcessPipe pipe = ProcessPipe.open(false);
        PipeConnection sender = pipe.second();
        int size = 5 << 20; // the pipe holds 1 MiB
        JvmProcess p = new JvmProcess(() -> Channels.send(sender, numbered(1, size)));
        p.start();
        sender.close();
        PipeConnection receiver = pipe.first();
        assertTrue(receiver.poll(LONG), "the first part of the message came");
        Messages.assertMessage(IllegalArgumentException.class, () -> receiver.recvBytes(1 << 20),
                "the next message is " + size + " bytes", "stays in the pipe");
        assertEquals("1:" + size, describe(receiver.recvBytes()), "the message came whole after its refusal");
        assertTrue(p.join(LONG));
        pipe.close();
    }

    // ---- items that cannot be decoded --------------------------------------------------------

    /** An item that encodes fine and fails to decode: with a RuntimeException, or as a class whose dependency is missing. */
    static final class Poison implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        private final boolean linkage;

        Poison(boolean linkage) {
            this.linkage = linkage;
        }

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            if (linkage) {
                throw new NoClassDefFoundError("org/example/MissingDependency");
            }
            throw new IllegalArgumentException("poison decoded");
        }
    }

    /** An item whose serialization fails half-way with a RuntimeException. */
    static final class Unwritable implements java.io.Serializable {
        private static final long serialVersionUID = 1L;

        private void writeObject(ObjectOutputStream out) {
            throw new IllegalStateException("cannot be written");
        }
    }

    /**
     * Items a child puts that cannot be decoded here: each take throws IllegalStateException
     * (as documented: the item is consumed), also when the decoding fails with a LinkageError
     * (a class the item needs is missing), and the next item comes.
     */
    @Test
    void itemsThatCannotBeDecodedAreConsumedWithAClearErrorAndTheNextComes() throws Exception {
        ProcessQueue<Object> q = ProcessQueue.create();
        ProcessPipe pipe = ProcessPipe.open(false);
        PipeConnection sender = pipe.second();
        JvmProcess p = new JvmProcess(() -> {
            for (Object item : List.of(new Poison(false), new Poison(true), "next")) {
                Channels.put(q, item);
                Channels.send(sender, item);
            }
        });
        p.start();
        sender.close();
        assertTrue(p.join(LONG));
        assertEquals(0, p.exitCode().getAsInt(), "the child put and sent everything: " + p.exception());
        Messages.assertMessage(IllegalStateException.class, q::take, "could not be deserialized", "poison decoded");
        Messages.assertMessage(IllegalStateException.class, q::take, "MissingDependency");
        assertEquals("next", q.take());
        PipeConnection receiver = pipe.first();
        Messages.assertMessage(IllegalStateException.class, receiver::recv, "could not be deserialized",
                "poison decoded");
        Messages.assertMessage(IllegalStateException.class, receiver::recv, "MissingDependency");
        assertEquals("next", receiver.recv());
        pipe.close();
    }

    /** An item whose serialization throws is refused by put and send, and nothing is written. */
    @Test
    void anItemWhoseSerializationThrowsIsRefusedAndNothingIsWritten() throws Exception {
        ProcessQueue<Object> q = ProcessQueue.create(1);
        Messages.assertMessage(ProcessSerializationException.class, () -> q.put(new Unwritable()), "cannot be written");
        Messages.assertMessage(ProcessSerializationException.class, () -> q.offer(List.of(new Unwritable())),
                "cannot be written");
        assertTrue(q.isEmpty());
        assertTrue(q.offer("fits"), "the bound of 1 counts no refused item");
        ProcessPipe pipe = ProcessPipe.open();
        Messages.assertMessage(ProcessSerializationException.class, () -> pipe.first().send(new Unwritable()),
                "cannot be written");
        assertFalse(pipe.second().poll());
        pipe.close();
    }

    /** Starts a process whose target captures a {@link Poison} (a LinkageError one if told so); prints how it ended. */
    public static final class PoisonedTarget {
        public static void main(String[] args) throws InterruptedException {
            Poison poison = new Poison(Boolean.parseBoolean(args[0]));
            JvmProcess p = new JvmProcess("poisoned", () -> {
                if (poison.hashCode() == 0) {
                    throw new AssertionError("never runs");
                }
            });
            p.start();
            p.join();
            System.out.println("exit " + p.exitCode().getAsInt());
            System.out.println("exception " + p.exception().map(Throwable::getMessage).orElse("none"));
        }
    }

    /**
     * A target that cannot be decoded in the child, with a RuntimeException or a LinkageError:
     * the child reports it and ends with exit code 1, and the parent gets a clear exception.
     * (A program of its own, so that the child's report is read, not printed in the build log.)
     */
    @Test
    void aTargetThatCannotBeDecodedInTheChildEndsItWithAClearError() throws Exception {
        for (String linkage : List.of("false", "true")) {
            try (JavaProgram program = JavaProgram.start(PoisonedTarget.class, linkage)) {
                assertEquals(0, program.awaitExit(LONG), program.stderr().toString());
                assertEquals("exit 1", program.stdout().get(0));
                assertTrue(program.stdout().get(1).startsWith("exception process 'poisoned' could not be recreated in"
                        + " its child JVM: "), program.stdout().toString());
                assertTrue(program.stderr().contains("Process poisoned:"), "the child's report: " + program.stderr());
            }
        }
    }

    // ---- misuse at the public boundary, not tested elsewhere ---------------------------------

    /**
     * Bounds the contracts leave untested: a condition's 65th waiter, a semaphore's permits past
     * {@code Integer.MAX_VALUE}, a barrier's parties past its most, draining a negative count,
     * a shared memory's size and name. Each is refused clearly and changes nothing.
     */
    @Test
    void misuseAtTheEdgesIsRefusedClearlyAndChangesNothing() throws Exception {
        ProcessCondition cond = ProcessCondition.create();
        ProcessLock lock = cond.getLock();
        List<BlockingCall> waiters = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            waiters.add(BlockingCall.start("waiter " + i, () -> {
                lock.lock();
                try {
                    return cond.await(LONG);
                } finally {
                    lock.unlock();
                }
            }).awaitBlockedIn("await"));
        }
        lock.lock();
        try {
            Messages.assertMessage(IllegalStateException.class, cond::await,
                    "more than 64 threads wait on this ProcessCondition at once");
            assertTrue(lock.isHeldByCurrentThread(), "the refused waiter still holds the lock");
            cond.signalAll();
        } finally {
            lock.unlock();
        }
        for (BlockingCall w : waiters) {
            assertEquals(true, w.awaitEnd().returned(), w + " was signalled");
        }
        assertFalse(lock.isLocked());

        ProcessSemaphore sem = ProcessSemaphore.create(Integer.MAX_VALUE - 1);
        Messages.assertMessage(IllegalStateException.class, () -> sem.release(2), "cannot hold more than "
                + Integer.MAX_VALUE + " permits");
        assertEquals(Integer.MAX_VALUE - 1, sem.availablePermits(), "the refused release added nothing");
        sem.release();
        assertEquals(Integer.MAX_VALUE, sem.availablePermits());

        Messages.assertMessage(IllegalArgumentException.class, () -> ProcessBarrier.create((1 << 22) + 7),
                "parties must be between 1 and " + ((1 << 22) - 1));

        ProcessQueue<Integer> q = ProcessQueue.create();
        q.put(1);
        List<Integer> sink = new ArrayList<>();
        assertEquals(0, q.drainTo(sink, -1), "a negative most drains nothing, as in the JDK's queues");
        assertEquals(0, q.drainTo(sink, 0));
        assertEquals(List.of(), sink);
        assertEquals(1, q.size());
        q.close();

        Messages.assertMessage(IllegalArgumentException.class, () -> SharedMemory.create(0), "size must be between 1");
        Messages.assertMessage(IllegalArgumentException.class, () -> SharedMemory.create(Integer.MAX_VALUE),
                "size must be between 1");
        Messages.assertMessage(IllegalArgumentException.class, () -> SharedMemory.create("x".repeat(201), 1),
                "1 to 200 of the characters");
        Messages.assertMessage(IllegalArgumentException.class, () -> SharedMemory.attach("no/such"),
                "1 to 200 of the characters");
    }

    /** "." and ".." are made of the allowed characters but name directories, not blocks: refused as names. */
    @Test
    void theNamesDotAndDotDotAreRefused() {
        for (String name : List.of(".", "..")) {
            Messages.assertMessage(IllegalArgumentException.class, () -> SharedMemory.create(name, 64), name);
            Messages.assertMessage(IllegalArgumentException.class, () -> SharedMemory.attach(name), name);
        }
    }
}
