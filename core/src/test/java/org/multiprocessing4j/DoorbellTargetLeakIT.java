package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiprocessing4j.testing.Await;
import org.multiprocessing4j.testing.Channels;
import org.multiprocessing4j.testing.NoLeftovers;

/**
 * Found by the chaos soak (issue 16; seed 3, a 10-minute run: after round 54 the soak's parent
 * held 9 pipe descriptors more than its baseline, and more with the rounds after, one for each
 * pool worker and child it had woken; 505 after a 30-minute run): waking a child that sleeps on shared memory opens that child's doorbell pipe
 * ({@code /proc/<pid>/fd/<fd>}) in the waking process, which keeps it open to ring again. When
 * the child has ended, that descriptor must not stay open in the parent for ever: a program that
 * starts and wakes many short-lived children (a pool with {@code maxTasksPerChild}, a service
 * that starts a worker per job) would run out of descriptors.
 */
@ExtendWith(NoLeftovers.class)
@Timeout(300)
class DoorbellTargetLeakIT {
    private static final int CHILDREN = 8;
    private static final Duration LONG = Duration.ofSeconds(60);

    @Test
    void wakingChildrenThatThenEndLeavesNoDescriptorOpenInTheParent() throws Exception {
        ProcessQueue<Integer> q = ProcessQueue.create();
        SharedLong waiting = SharedLong.create(0);
        wakeAChildThatThenEnds(q, waiting); // the parent's own doorbells and the JDK's pipes exist from here on
        List<String> before = pipes();
        for (int i = 0; i < CHILDREN; i++) {
            wakeAChildThatThenEnds(q, waiting);
        }
        List<String> after = new ArrayList<>();
        Await.poll(Duration.ofSeconds(10), () -> {
            System.gc();
            after.clear();
            after.addAll(pipes());
            return after.size() <= before.size();
        });
        assertTrue(after.size() < before.size() + CHILDREN / 2, "after " + CHILDREN + " children were woken and ended,"
                + " the parent holds " + (after.size() - before.size()) + " more pipe descriptors: before " + before
                + ", after " + after);
        q.close();
    }

    /** A child sleeps in take() on the empty queue; the parent's put wakes it; it ends. */
    private static void wakeAChildThatThenEnds(ProcessQueue<Integer> q, SharedLong waiting) throws Exception {
        waiting.set(0);
        JvmProcess child = new JvmProcess(() -> {
            waiting.set(1);
            Channels.take(q, "the parent's item");
        });
        child.start();
        Await.until(LONG, "the child to wait for an item", () -> waiting.get() == 1);
        Thread.sleep(300); // past its spinning: it sleeps on its doorbell (an interval, not a synchronization)
        q.put(1);
        assertTrue(child.join(LONG), "the child did not end");
        assertEquals(0, child.exitCode().getAsInt());
        child.close();
    }

    /** This JVM's descriptors that are pipes, as "fd -> pipe:[inode]". */
    private static List<String> pipes() {
        List<String> pipes = new ArrayList<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("pipe:")) {
                        pipes.add(fd.getFileName() + " -> " + target);
                    }
                } catch (IOException closed) {
                    // Closed while listing (the directory stream's own descriptor, say).
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot list /proc/self/fd", e);
        }
        return pipes;
    }
}
