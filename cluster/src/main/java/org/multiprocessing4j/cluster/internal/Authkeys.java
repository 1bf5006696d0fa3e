package org.multiprocessing4j.cluster.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.Set;

/** Reading a cluster's authkey from a file, as private as an SSH key. */
public final class Authkeys {
    /** The fewest bytes a key may have: a short key is guessed. */
    public static final int MIN_BYTES = 16;

    private Authkeys() {
    }

    /**
     * The bytes of {@code file}, less one final line break (so that {@code echo key > file}
     * works).
     *
     * @throws IllegalArgumentException if the file cannot be read, is readable by others than
     *         its owner, or holds fewer than {@link #MIN_BYTES} bytes; the message says which
     */
    public static byte[] read(Path file) {
        try {
            try {
                Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
                if (p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ)) {
                    throw new IllegalArgumentException("the authkey file " + file + " is readable by others than its"
                            + " owner; make it private (chmod 600 " + file + ")");
                }
            } catch (UnsupportedOperationException notPosix) {
                // A file system without POSIX permissions: nothing to check.
            }
            byte[] b = Files.readAllBytes(file);
            int n = b.length;
            if (n > 0 && b[n - 1] == '\n') {
                n--;
                if (n > 0 && b[n - 1] == '\r') {
                    n--;
                }
            }
            return check(Arrays.copyOf(b, n), "the authkey file " + file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the authkey file " + file + ": " + e, e);
        }
    }

    /** {@code key}, checked to be long enough; {@code what} names it in the error. */
    public static byte[] check(byte[] key, String what) {
        if (key.length < MIN_BYTES) {
            throw new IllegalArgumentException(what + " holds " + key.length + " bytes; an authkey needs at least "
                    + MIN_BYTES + " (32 random bytes are best)");
        }
        return key;
    }
}
