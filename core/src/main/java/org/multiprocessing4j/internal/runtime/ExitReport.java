package org.multiprocessing4j.internal.runtime;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.multiprocessing4j.RemoteThrowable;
import org.multiprocessing4j.internal.codec.Codec;
import org.multiprocessing4j.internal.platform.ExitStatus;
import org.multiprocessing4j.internal.platform.Signals;

/**
 * How a child says it ended. The JDK cannot tell a child's {@code System.exit(143)} from its
 * death by SIGTERM (both read 143), so the child writes this small file in its session
 * directory just before it exits: the kind of ending, a code, and what {@code run()} threw.
 * A child that was killed outright writes nothing, and then 128+N means signal N.
 *
 * <p>Layout: {@code byte kind, int code, boolean threw}, and if it threw {@code int
 * originalLength, byte[] original, int standInLength, byte[] standIn}, where the original is
 * the throwable itself (length -1 if it could not be serialized) and the stand-in a
 * {@link RemoteThrowable} for it.
 */
final class ExitReport {
    /** run() returned or threw; code is the exit code the child then asked for. */
    static final byte RETURNED = 1;
    /** Someone called System.exit; the JVM's exit value is the code. */
    static final byte EXITED = 2;
    /** A handled signal ended the child; code is the signal number. */
    static final byte SIGNALLED = 3;

    private ExitReport() {
    }

    static void write(Path file, byte kind, int code, Throwable failure) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                new FileOutputStream(file.toFile())))) {
            out.writeByte(kind);
            out.writeInt(code);
            out.writeBoolean(failure != null);
            if (failure == null) {
                return;
            }
            writeBytes(out, encodeOrNull(failure));
            writeBytes(out, encodeOrNull(RemoteThrowable.of(failure)));
        }
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        if (bytes == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(bytes.length);
            out.write(bytes);
        }
    }

    private static byte[] encodeOrNull(Throwable t) {
        try {
            return Codec.defaultCodec().encode(t, "exception");
        } catch (RuntimeException notSerializable) {
            return null;
        }
    }

    /**
     * The exit code and throwable of a child, from its report (if any) and the JDK's exit value,
     * knowing that this JVM sent the child {@code sentSignal} (0 if none): an exit value of
     * 128 + that signal means the signal ended it, whatever the report says (a child may be
     * killed after writing its report, while its hooks run).
     *
     * <p>So does an exit value of 1 after a SIGTERM from a child that wrote no report: a SIGTERM
     * that reaches a JVM still initializing can make the JDK fail its start-up ("Error occurred
     * during initialization of VM", seen on JDK 25) instead of exiting with 143; the process
     * was terminated all the same, before any code of ours ran.
     */
    static Outcome read(Path file, int exitValue, int sentSignal) {
        Outcome reported = readReport(file, exitValue);
        if (sentSignal > 0 && exitValue == 128 + sentSignal) {
            return new Outcome(-sentSignal, reported.exception);
        }
        if (sentSignal == Signals.SIGTERM && exitValue == 1 && !Files.exists(file)) {
            return new Outcome(-sentSignal, null);
        }
        return reported;
    }

    private static Outcome readReport(Path file, int exitValue) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(
                new FileInputStream(file.toFile())))) {
            byte kind = in.readByte();
            int code = in.readInt();
            Throwable failure = readFailure(in);
            switch (kind) {
                case SIGNALLED:
                    // Only if the signal is what ended it: its handler exits with 128+N, unless
                    // something else (a SIGKILL during the hooks) ended it first.
                    return new Outcome(exitValue == 128 + code ? -code : ExitStatus.fromUnreportedExit(exitValue),
                            failure);
                case RETURNED:
                    // A different exit value means the child was killed while exiting.
                    return new Outcome(exitValue == code ? code : ExitStatus.fromUnreportedExit(exitValue),
                            failure);
                default:
                    return new Outcome(exitValue, failure);
            }
        } catch (FileNotFoundException none) {
            return new Outcome(ExitStatus.fromUnreportedExit(exitValue), null);
        } catch (IOException torn) {
            // Killed while writing it: as if it had written nothing.
            return new Outcome(ExitStatus.fromUnreportedExit(exitValue), null);
        }
    }

    private static Throwable readFailure(DataInputStream in) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        byte[] original = readBytes(in);
        byte[] standIn = readBytes(in);
        Throwable t = decodeOrNull(original);
        return t != null ? t : decodeOrNull(standIn);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }

    private static Throwable decodeOrNull(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            Object o = Codec.defaultCodec().decode(bytes);
            return o instanceof Throwable ? (Throwable) o : null;
        } catch (Exception | Error e) {
            // Whatever the throwable's own readObject does, the parent must still learn the exit code.
            return null;
        }
    }

    static final class Outcome {
        final int exitCode;
        final Throwable exception;

        Outcome(int exitCode, Throwable exception) {
            this.exitCode = exitCode;
            this.exception = exception;
        }
    }
}
