package org.multiprocessing4j.internal.codec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.OutputStream;
import java.lang.invoke.SerializedLambda;
import java.util.Collection;
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
        return encode(value, what, null);
    }

    @Override
    public byte[] encode(Object value, String what, Collection<Class<?>> classes) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        try (ObjectOutputStream out = classes == null ? new ObjectOutputStream(bytes)
                : new ClassRecordingOutputStream(bytes, classes)) {
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

    /** Notes each class as its descriptor is written: once per class and stream. */
    private static final class ClassRecordingOutputStream extends ObjectOutputStream {
        private final Collection<Class<?>> classes;

        ClassRecordingOutputStream(OutputStream out, Collection<Class<?>> classes) throws IOException {
            super(out);
            this.classes = classes;
        }

        @Override
        protected void annotateClass(Class<?> c) {
            classes.add(c);
        }

        @Override
        protected void annotateProxyClass(Class<?> c) {
            classes.add(c);
            for (Class<?> i : c.getInterfaces()) {
                classes.add(i);
            }
        }
    }

    @Override
    public Object decode(byte[] bytes) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new LoaderAwareInputStream(new ByteArrayInputStream(bytes))) {
            in.setObjectInputFilter(FILTER);
            return in.readObject();
        }
    }

    /**
     * Resolves classes as the JDK does (the loader of the nearest user class on the stack, which
     * is the library's), then through the thread's context class loader: an application whose
     * classes come from a loader below the library's (a plugin system, an application server)
     * gets its own classes back from a child.
     */
    private static final class LoaderAwareInputStream extends ObjectInputStream {
        LoaderAwareInputStream(ByteArrayInputStream in) throws IOException {
            super(in);
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            try {
                return super.resolveClass(desc);
            } catch (ClassNotFoundException e) {
                ClassLoader context = Thread.currentThread().getContextClassLoader();
                if (context == null) {
                    throw e;
                }
                try {
                    return Class.forName(desc.getName(), false, context);
                } catch (ClassNotFoundException again) {
                    throw e;
                }
            }
        }
    }
}
