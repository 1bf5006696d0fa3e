package org.multiprocessing4j.benchmarks.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A private (0700) directory for the probe's socket and ring files, in {@code /dev/shm} where
 * that exists (so ring pages are RAM, not a disk file), else in {@code java.io.tmpdir}.
 * Every file in it is unlinked as soon as both JVMs have attached; {@link #close()} removes
 * the directory itself.
 */
final class Scratch implements AutoCloseable {
    private final Path dir;

    Scratch() throws IOException {
        Path shm = Path.of("/dev/shm");
        Path base = Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
        dir = Files.createTempDirectory(base, "mp4j-transport-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    Path dir() {
        return dir;
    }

    Path file(String name) {
        return dir.resolve(name);
    }

    @Override
    public void close() {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.err.println("transport probe: could not remove " + dir + ": " + e);
        }
    }
}
