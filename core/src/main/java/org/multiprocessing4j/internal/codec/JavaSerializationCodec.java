package org.multiprocessing4j.internal.codec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.lang.invoke.SerializedLambda;
import org.multiprocessing4j.ProcessSerializationException;

/**
 * JDK serialization. Decoding runs behind an {@link ObjectInputFilter} that always admits the
 * library's own classes and {@link SerializedLambda} (every target is one) and leaves every
 * other class to the JVM-wide filter, if the user set one with {@code jdk.serialFilter}.
 * The bytes only ever come from a process of the same program over a channel private to this
 * user, so the filter is a second line, not the first.
 */
final class JavaSerializationCodec implements Codec {
    static final JavaSerializationCodec INSTANCE = new JavaSerializationCodec();

    private static final ObjectInputFilter FILTER = new LibraryFilter();

    /** A class, not a lambda: every child decodes its process through it as it starts. */
    private static final class LibraryFilter implements ObjectInputFilter {
        @Override
        public Status checkInput(FilterInfo info) {
            Class<?> c = info.serialClass();
            if (c != null && (c == SerializedLambda.class
                    || c.getName().startsWith("org.multiprocessing4j."))) {
                return Status.ALLOWED;
            }
            ObjectInputFilter global = Config.getSerialFilter();
            return global == null ? Status.UNDECIDED : global.checkInput(info);
        }
    }

    private JavaSerializationCodec() {
    }

    @Override
    public byte[] encode(Object value, String what) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        } catch (NotSerializableException | InvalidClassException e) {
            throw new ProcessSerializationException(
                    "cannot send " + what + " to another process: "
                            + SerializationProbe.explain(value, e), e);
        } catch (IOException | RuntimeException e) {
            throw new ProcessSerializationException(
                    "cannot send " + what + " to another process: serializing it failed with " + e, e);
        } catch (StackOverflowError e) {
            throw new ProcessSerializationException("cannot send " + what + " to another process: its object"
                    + " graph is too deep for Java serialization (a long linked chain?); send it in pieces,"
                    + " or as an array or list", e);
        }
        return bytes.toByteArray();
    }

    @Override
    public Object decode(byte[] bytes) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            in.setObjectInputFilter(FILTER);
            return in.readObject();
        }
    }
}
