package org.multiprocessing4j.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.multiprocessing4j.internal.launch.ForkServerLauncher;

/**
 * After each test: no process started by this JVM is left (no child, grandchild or zombie), and
 * no file is left in the library's runtime directory. Leftover processes are killed by pid and
 * the test fails, naming them.
 */
public final class NoLeftovers implements AfterEachCallback {
    private static final Duration GRACE = Duration.ofSeconds(20);

    @Override
    public void afterEach(ExtensionContext context) {
        // Idle forkserver JVMs are the library's to keep while this JVM lives; a test that
        // wants none left ends them first, as this JVM's exit would.
        ForkServerLauncher.INSTANCE.retireIdle(false);
        assertNoProcessesLeft();
        assertNoRuntimeFilesLeft();
    }

    public static void assertNoProcessesLeft() {
        if (Await.poll(GRACE, () -> ProcessHandle.current().descendants().findAny().isEmpty())) {
            return;
        }
        List<ProcessHandle> left = ProcessHandle.current().descendants().collect(Collectors.toList());
        String described = left.stream()
                .map(h -> h.pid() + " " + h.info().commandLine().orElse("?"))
                .collect(Collectors.joining("\n  "));
        left.forEach(ProcessHandle::destroyForcibly);
        throw new AssertionError("processes left " + GRACE.toSeconds() + " s after the test:\n  " + described);
    }

    public static void assertNoRuntimeFilesLeft() {
        Path root = Path.of(System.getProperty("multiprocessing4j.tmpdir", "target/mp4j-it-tmp"));
        if (!Await.poll(GRACE, () -> regularFiles(root).isEmpty())) {
            throw new AssertionError("files left in the runtime directory: " + regularFiles(root));
        }
        // Shared memory of queues and pipes: unlinked as soon as it is made.
        Path shm = Path.of(System.getProperty("multiprocessing4j.shmdir", "target/mp4j-it-shm"));
        if (!Await.poll(GRACE, () -> regularFiles(shm).isEmpty())) {
            throw new AssertionError("shared-memory files left: " + regularFiles(shm));
        }
    }

    public static List<Path> regularFiles(Path root) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(Files::isRegularFile).collect(Collectors.toList());
        } catch (IOException | UncheckedIOException e) {
            return List.of(); // a directory vanished while walking: removal in progress
        }
    }
}
