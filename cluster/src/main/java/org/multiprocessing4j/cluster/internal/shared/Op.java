package org.multiprocessing4j.cluster.internal.shared;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * One request of a shared object to the cluster, run by a {@link Direct} access: in this JVM if
 * it has a Hazelcast instance, else sent to the {@link RelayServer} of the node (or driver) that
 * started this process, which runs it there. An op that waits does so for at most a slice of
 * time ({@link Direct#SLICE_NANOS}) and then returns what it has, so that the caller's thread can
 * notice an interrupt and a relay never holds a request for long.
 *
 * <p>Ops travel over the relay in a small binary form of their own ({@link Frames}): never Java
 * serialization, so that nothing on either side decodes an object graph it did not expect.
 *
 * @param <R> what it returns
 */
public abstract class Op<R> {
    /**
     * Whether an interrupt of the calling thread could cut this op in half if it ran in that
     * thread (a Hazelcast call that answers to interrupts): a driver then runs it on a thread of
     * its own. An op whose calls do not answer to interrupts says no, and saves the hand-off.
     */
    boolean interruptible() {
        return true;
    }

    /** This op's type in a frame ({@link Frames}). */
    abstract int type();

    /** Writes this op's fields (after its type). */
    abstract void write(DataOutputStream out) throws IOException;

    /** This op as a whole frame, ready to be written ({@link Frames}). */
    final byte[] frameOf() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(64);
        try {
            Frames.writeOp(out, this);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // a byte array does not fail
        }
        return out.toByteArray();
    }

    static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b == null ? -1 : b.length);
        if (b != null) {
            out.write(b);
        }
    }

    static byte[] readBytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < -1 || n > Frames.MAX_FRAME) {
            throw new IOException("a relay frame with " + n + " bytes in a field");
        }
        return n < 0 ? null : in.readNBytes(n);
    }

    static void writeString(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    static String readString(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    /** Runs this op on {@code access}. Never throws InterruptedException: an op waits only for a slice, and uninterruptibly. */
    abstract R run(Direct access);
}
