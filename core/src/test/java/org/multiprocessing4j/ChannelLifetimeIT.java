package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.multiprocessing4j.drivers.Drivers;
import org.multiprocessing4j.testing.Await;
import org.multiprocessing4j.testing.JavaProgram;
import org.multiprocessing4j.testing.NoLeftovers;

/** Where the shared memory of queues and pipes lives, who can reach it, and that none is left. */
@ExtendWith(NoLeftovers.class)
@Timeout(120)
class ChannelLifetimeIT {
    private static final Duration LONG = Duration.ofSeconds(60);

    @TempDir
    Path shm;

    @Test
    void sharedMemoryIsPrivateAndHasNoNameWhileInUse() throws Exception {
        Path dir = Path.of(System.getProperty("multiprocessing4j.shmdir"));
        ProcessQueue<Integer> q = ProcessQueue.create();
        ProcessPipe pipe = ProcessPipe.open();
        Path userDir;
        try (Stream<Path> s = Files.list(dir)) {
            userDir = s.filter(p -> p.getFileName().toString().startsWith("mp4j-")).findFirst().orElseThrow();
        }
        assertEquals("rwx------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(userDir, LinkOption.NOFOLLOW_LINKS)), "the directory is the user's alone");
        assertEquals(List.of(), NoLeftovers.regularFiles(dir), "segments are unlinked as soon as they are made");
        List<String> open = openDeletedFilesUnder(userDir);
        assertTrue(open.size() >= 2, "this JVM holds the queue's and the pipe's memory open: " + open);
        q.put(1);
        assertEquals(1, q.take());
        q.close();
        pipe.close();
    }

    private static List<String> openDeletedFilesUnder(Path dir) throws Exception {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString();
                } catch (Exception gone) {
                    return "";
                }
            }).filter(l -> l.startsWith(dir.toString()) && l.endsWith("(deleted)")).collect(Collectors.toList());
        }
    }

    /**
     * A family using a queue and a pipe is killed from the top with SIGKILL: every process ends
     * and no file is left where the shared memory was made.
     */
    @Test
    void nothingIsLeftWhenTheWholeFamilyIsKilled() throws Exception {
        for (StartMethod method : StartMethod.values()) {
            try (JavaProgram program = JavaProgram.start(Drivers.ChannelFamily.class, List.of(
                    "-Dmultiprocessing4j.startMethod=" + method, "-Dmultiprocessing4j.shmdir=" + shm))) {
                program.awaitStdoutLine(LONG, "the line 'ready'", "ready"::equals);
                List<Long> pids = program.stdout().stream()
                        .filter(l -> l.startsWith("child ") || l.startsWith("grandchild ") || l.startsWith("idle "))
                        .map(l -> Long.parseLong(l.substring(l.indexOf(' ') + 1)))
                        .collect(Collectors.toList());
                assertTrue(program.stdout().contains("pipe through the pipe"), program.stdout().toString());
                assertTrue(pids.size() >= 2, program.stdout().toString());
                program.process().destroyForcibly();
                program.awaitExit(LONG);
                Await.until(LONG, "the family " + pids + " to end after its top was killed",
                        () -> pids.stream().allMatch(Await::hasEnded));
                assertEquals(List.of(), NoLeftovers.regularFiles(shm), method + ": files left");
            }
        }
    }

    /** /proc shows a descriptor's path with links resolved; a linked directory must still be unlinked. */
    @Test
    void segmentsAreUnlinkedWhenTheDirectoryIsReachedThroughASymbolicLink() throws Exception {
        Path real = Files.createDirectory(shm.resolve("real"));
        Path link = Files.createSymbolicLink(shm.resolve("link"), real);
        String old = System.getProperty("multiprocessing4j.shmdir");
        System.setProperty("multiprocessing4j.shmdir", link.toString());
        try {
            ProcessQueue<Integer> q = ProcessQueue.create();
            q.put(1);
            assertEquals(List.of(), NoLeftovers.regularFiles(real), "unlinked at once");
            assertEquals(1, q.take());
            q.close();
        } finally {
            System.setProperty("multiprocessing4j.shmdir", old);
        }
    }
}
