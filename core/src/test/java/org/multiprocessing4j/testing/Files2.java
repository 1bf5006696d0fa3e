package org.multiprocessing4j.testing;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** What a child writes for the test to read: small text files named by a captured String. */
public final class Files2 {
    private Files2() {
    }

    public static void write(String path, String text) {
        try {
            Files.writeString(Path.of(path), text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String read(Path path) {
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * In a child: sends its {@code System.err} to the file at {@code path}, so that what the
     * child prints there (the report of a throwable its {@code run()} let escape) is read by the
     * test instead of reaching the build log through the standard error it inherited.
     */
    public static void redirectStderr(String path) {
        try {
            System.setErr(new PrintStream(new FileOutputStream(path), true, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Blocks the calling thread until the process ends: a child that must be stopped from outside. */
    public static void blockForever() {
        while (true) {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException ignored) {
                // keep blocking
            }
        }
    }
}
