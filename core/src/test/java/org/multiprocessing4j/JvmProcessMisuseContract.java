package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.multiprocessing4j.testing.Messages.assertMessage;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;
import org.multiprocessing4j.testing.DetachedClasses;
import org.multiprocessing4j.testing.Files2;
import org.multiprocessing4j.testing.NoLeftovers;

/** Every misuse of the public API gets a clear error at the call, naming what was wrong. */
@ExtendWith(NoLeftovers.class)
@Timeout(120)
abstract class JvmProcessMisuseContract extends StartMethodSuite {



    @Test
    void aTargetWhoseClassNoChildCouldFindIsRefusedBeforeAnyChildStarts() {
        JvmProcess p = new JvmProcess("detached", (SerializableRunnable) DetachedClasses.fromBytes());
        assertMessage(ProcessStartException.class, p::start, "cannot start process 'detached'",
                "class " + DetachedClasses.Task.class.getName() + " (loaded by ", "class path");
        assertMessage(IllegalStateException.class, p::pid, "not been started");
    }

    @Test
    void startTwiceIsRefused() throws Exception {
        JvmProcess p = new JvmProcess("twice", () -> { });
        p.start();
        assertMessage(IllegalStateException.class, p::start, "twice", "already been started");
        p.join();
        assertMessage(IllegalStateException.class, p::start, "already been started");
    }

    @Test
    void callsBeforeStartAreRefused() {
        JvmProcess p = new JvmProcess("early", () -> { });
        assertMessage(IllegalStateException.class, p::join, "join()", "early", "not been started");
        assertMessage(IllegalStateException.class, () -> p.join(Duration.ofSeconds(1)), "not been started");
        assertMessage(IllegalStateException.class, p::terminate, "terminate()", "not been started");
        assertMessage(IllegalStateException.class, p::kill, "kill()", "not been started");
        assertMessage(IllegalStateException.class, p::pid, "pid()", "not been started");
        assertEquals(OptionalInt.empty(), p.exitCode());
        assertTrue(p.exception().isEmpty());
        assertEquals(false, p.isAlive());
    }

    @Test
    void setDaemonAfterStartIsRefusedButRenamingIsFine() throws Exception {
        JvmProcess p = new JvmProcess("d", () -> { });
        p.start();
        assertMessage(IllegalStateException.class, () -> p.setDaemon(true), "daemon", "already been started");
        p.setName("renamed");
        assertEquals("renamed", p.getName());
        assertMessage(IllegalStateException.class, () -> p.setJvmOptions(List.of("-Xmx64m")), "already been started");
        p.join();
    }

    @Test
    void nullsAreRefusedByName() {
        assertMessage(NullPointerException.class, () -> new JvmProcess(null), "target");
        assertMessage(NullPointerException.class, () -> new JvmProcess("n", null), "target");
        JvmProcess p = new JvmProcess(() -> { });
        assertMessage(NullPointerException.class, () -> p.setName(null), "name");
        assertMessage(NullPointerException.class, () -> p.join(null), "timeout");
        assertMessage(NullPointerException.class, () -> p.setJvmOptions(null), "options");
        assertMessage(NullPointerException.class, () -> p.setJvmOptions(Arrays.asList("-Xmx64m", null)), "index 1");
        assertMessage(NullPointerException.class, () -> Multiprocessing.logToStderr(null), "level");
    }

    @Test
    void badJvmOptionsAreRefused() {
        JvmProcess p = new JvmProcess(() -> { });
        assertMessage(IllegalArgumentException.class, () -> p.setJvmOptions(List.of("Xmx64m")), "'Xmx64m'", "not a JVM option");
        assertMessage(IllegalArgumentException.class, () -> p.setJvmOptions(List.of("-cp", "x")), "'-cp'", "class path");
        assertMessage(IllegalArgumentException.class, () -> p.setJvmOptions(List.of("-jar")), "'-jar'");
        assertEquals(List.of(), p.getJvmOptions());
    }

    @Test
    void aTargetCapturingSomethingNotSerializableIsRefusedAtStartWithoutSpawning() {
        Object lock = new Object();
        JvmProcess p = new JvmProcess("capturing", () -> System.out.println(lock));
        long childrenBefore = ProcessHandle.current().children().count();
        assertMessage(ProcessSerializationException.class, p::start,
                "'capturing'", "java.lang.Object is not serializable", "captured value #0");
        if (startMethod() == StartMethod.SPAWN) { // FORKSERVER may be booting an idle JVM meanwhile
            assertEquals(childrenBefore, ProcessHandle.current().children().count(), "no child spawned");
        }
        assertTrue(Multiprocessing.activeChildren().isEmpty(), "no child started");
        assertEquals("<JvmProcess(capturing, initial)>", p.toString());
        assertEquals(false, p.isAlive());
    }

    @Test
    void aLambdaOfANonSerializableTypeIsRefusedWithAHint() {
        Runnable plain = () -> { };
        JvmProcess p = new JvmProcess(plain::run);
        assertMessage(ProcessSerializationException.class, p::start,
                "a lambda of type java.lang.Runnable", "SerializableRunnable");
    }

    static final class Holder extends JvmProcess {
        private static final long serialVersionUID = 1L;
        @SuppressWarnings("unused")
        private final Thread thread = new Thread(() -> { });

        @Override
        public void run() {
        }
    }

    @Test
    void aSubclassFieldThatIsNotSerializableIsNamed() {
        assertMessage(ProcessSerializationException.class, () -> new Holder().start(),
                "java.lang.Thread is not serializable", "field 'thread'");
    }

    @Test
    void anAnonymousSubclassCapturingItsEnclosingInstanceGetsAHint() {
        JvmProcess p = new NotSerializableOuter().make();
        assertMessage(ProcessSerializationException.class, p::start, "NotSerializableOuter", "this$0");
    }

    static final class NotSerializableOuter {
        JvmProcess make() {
            return new JvmProcess() {
                private static final long serialVersionUID = 1L;

                @Override
                public void run() {
                    System.out.println(NotSerializableOuter.this);
                }
            };
        }
    }

    @Test
    void closeWhileRunningIsRefusedAndAfterCloseOnlyReadersWork() throws Exception {
        JvmProcess p = new JvmProcess("closing", Files2::blockForever);
        p.start();
        assertMessage(IllegalStateException.class, p::close, "closing", "still running");
        p.kill();
        p.join();
        p.close();
        p.close(); // idempotent
        assertEquals("closing", p.getName());
        assertEquals(false, p.isDaemon());
        assertEquals(OptionalInt.of(-9), p.exitCode());
        assertTrue(p.exception().isEmpty());
        assertEquals("<JvmProcess(closing, closed)>", p.toString());
        for (Executable call : List.<Executable>of(p::start, p::join, () -> p.join(Duration.ZERO), p::isAlive,
                p::terminate, p::kill, p::pid, () -> p.setName("x"), () -> p.setDaemon(true),
                () -> p.setJvmOptions(List.of()), p::getJvmOptions)) {
            assertMessage(IllegalStateException.class, call, "closed");
        }
    }

    @Test
    void closeBeforeStartIsFine() {
        JvmProcess p = new JvmProcess(() -> { });
        p.close();
        assertMessage(IllegalStateException.class, p::start, "closed");
    }

    @Test
    void theCurrentProcessCannotBeJoinedTerminatedOrKilled() {
        JvmProcess me = Multiprocessing.currentProcess();
        assertMessage(IllegalStateException.class, me::join, "cannot join itself");
        assertMessage(IllegalStateException.class, me::terminate, "System.exit");
        assertMessage(IllegalStateException.class, me::kill, "Runtime.halt");
        assertMessage(IllegalStateException.class, me::start, "already been started");
        assertMessage(IllegalStateException.class, me::close, "still running");
    }

    @Test
    void loggingIsQuietByDefault() {
        assertEquals(Level.WARNING, Multiprocessing.getLogger().getLevel());
        assertEquals("org.multiprocessing4j", Multiprocessing.getLogger().getName());
    }

    static final class Node implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        final Node next;

        Node(Node next) {
            this.next = next;
        }
    }

    @Test
    void aGraphTooDeepToSerializeIsRefusedClearly() {
        Node chain = null;
        for (int i = 0; i < 200_000; i++) {
            chain = new Node(chain);
        }
        Node head = chain;
        JvmProcess p = new JvmProcess("deep", () -> System.out.println(head.hashCode()));
        assertMessage(ProcessSerializationException.class, p::start, "'deep'", "too deep");
        assertTrue(Multiprocessing.activeChildren().isEmpty());
    }
}
