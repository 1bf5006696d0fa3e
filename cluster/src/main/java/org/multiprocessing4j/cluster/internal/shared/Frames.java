package org.multiprocessing4j.cluster.internal.shared;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.util.Set;

/**
 * The frames of the relay: a length, then one Java-serialized object (an {@link Op}, or what it
 * returned, or a {@link Failure}), read behind a filter that admits only this package's classes
 * and the JDK types their fields hold. Items of queues, dicts and lists travel inside as encoded
 * bytes, so no class of the user's is ever read here.
 */
final class Frames {
    /** The largest frame either side accepts. */
    static final int MAX_FRAME = 256 << 20;
    private static final String PACKAGE = Frames.class.getPackageName() + ".";
    private static final Set<String> JDK = Set.of("java.lang.String", "java.lang.Long", "java.lang.Integer",
            "java.lang.Boolean", "java.lang.Number", "java.util.ArrayList", "java.lang.Enum");
    private static final ObjectInputFilter FILTER = info -> {
        Class<?> c = info.serialClass();
        if (info.depth() > 8 || info.references() > 1_000_000 || info.arrayLength() > MAX_FRAME) {
            return ObjectInputFilter.Status.REJECTED;
        }
        if (c == null) {
            return ObjectInputFilter.Status.UNDECIDED;
        }
        while (c.isArray()) {
            c = c.getComponentType();
        }
        if (c.isPrimitive() || JDK.contains(c.getName()) || c.getName().startsWith(PACKAGE)) {
            return ObjectInputFilter.Status.ALLOWED;
        }
        return ObjectInputFilter.Status.REJECTED;
    };

    private Frames() {
    }

    /** An exception of an op, as its class name and message. */
    static final class Failure implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        final String type;
        final String message;

        Failure(Throwable t) {
            this.type = t.getClass().getName();
            this.message = t.getMessage();
        }

        RuntimeException toException(String where) {
            if (IllegalArgumentException.class.getName().equals(type)) {
                return new IllegalArgumentException(message);
            }
            if (UnsupportedOperationException.class.getName().equals(type)) {
                return new UnsupportedOperationException(message);
            }
            return new IllegalStateException(where + ": " + type + ": " + message);
        }
    }

    static void write(OutputStream out, Object o) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (ObjectOutputStream oos = new ObjectOutputStream(bytes)) {
            oos.writeObject(o);
        }
        DataOutputStream d = new DataOutputStream(out);
        d.writeInt(bytes.size());
        bytes.writeTo(d);
        d.flush();
    }

    static Object read(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
        int n;
        try {
            n = d.readInt();
        } catch (EOFException end) {
            return null;
        }
        if (n <= 0 || n > MAX_FRAME) {
            throw new IOException("a relay frame of " + n + " bytes");
        }
        byte[] body = d.readNBytes(n);
        if (body.length < n) {
            throw new EOFException("a relay frame cut short");
        }
        try (ObjectInputStream ois = new ObjectInputStream(new ByteArrayInputStream(body))) {
            ois.setObjectInputFilter(FILTER);
            return ois.readObject();
        } catch (InvalidClassException | ClassNotFoundException e) {
            throw new IOException("a relay frame that is not the library's: " + e.getMessage(), e);
        }
    }

    /** What stands for a null result in a frame (a null frame means the end of the stream). */
    static final class Nothing implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        static final Nothing INSTANCE = new Nothing();

        private Object readResolve() {
            return INSTANCE;
        }
    }
}
