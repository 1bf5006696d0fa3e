package org.multiprocessing4j.internal.codec;

import org.multiprocessing4j.ProcessSerializationException;

/** Turns objects into bytes and back, for sending to another process of the same program. */
public interface Codec {
    /**
     * Encodes {@code value}.
     *
     * @param what how the caller names the value in an error message, e.g. "process 'Process-1'"
     * @throws ProcessSerializationException naming the class that cannot be encoded and the path
     *         to it from {@code value}
     */
    byte[] encode(Object value, String what);

    /**
     * Encodes {@code value} as {@link #encode(Object, String)} does, and adds to {@code classes}
     * every class whose name the bytes carry: those the receiving JVM must be able to load.
     */
    byte[] encode(Object value, String what, java.util.Collection<Class<?>> classes);

    /**
     * Decodes bytes made by {@link #encode} in a JVM of the same program.
     *
     * @throws java.io.IOException if the bytes are corrupt
     * @throws ClassNotFoundException if a class of the value is missing from this JVM
     */
    Object decode(byte[] bytes) throws java.io.IOException, ClassNotFoundException;

    /** The default codec: JDK serialization. */
    static Codec defaultCodec() {
        return JavaSerializationCodec.INSTANCE;
    }
}
