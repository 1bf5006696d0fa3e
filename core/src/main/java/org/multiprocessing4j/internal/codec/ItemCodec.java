package org.multiprocessing4j.internal.codec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.multiprocessing4j.ProcessSerializationException;
import org.multiprocessing4j.internal.codec.Codec;

/**
 * How items travel through queues and pipes: a {@code byte[]} as it is (the ring's
 * raw flag of the channel says so, and no byte is copied to encode it); {@code Integer},
 * {@code Long}, {@code Double}, {@code Boolean}, {@code String} and null as one tag byte and
 * their value; anything else through the JDK-serialization {@link Codec} behind a tag byte.
 * The fast paths matter: JDK serialization costs about 4 µs per small item, the fast path
 * tens of nanoseconds (docs/measurements/codec.md).
 */
public final class ItemCodec {
    private static final byte NULL = 0;
    private static final byte INT = 1;
    private static final byte LONG = 2;
    /** The tag of an {@code Integer}, for writers that encode one in place. */
    public static final byte TAG_INT = INT;
    /** The tag of a {@code Long}, for writers that encode one in place. */
    public static final byte TAG_LONG = LONG;
    private static final byte DOUBLE = 3;
    private static final byte TRUE = 4;
    private static final byte FALSE = 5;
    private static final byte STRING = 6;
    private static final byte BYTES = 7;
    private static final byte SERIALIZED = 0x7f;

    private ItemCodec() {
    }

    // Big-endian numbers by shifts, not a byte-array VarHandle: a fresh child encodes its first
    // items interpreted, where a VarHandle access costs about a microsecond and these a tenth.

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    private static int getInt(byte[] b, int at) {
        return (b[at] << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }

    private static void putLong(byte[] b, int at, long v) {
        putInt(b, at, (int) (v >>> 32));
        putInt(b, at + 4, (int) v);
    }

    private static long getLong(byte[] b, int at) {
        return ((long) getInt(b, at) << 32) | (getInt(b, at + 4) & 0xffffffffL);
    }

    /**
     * An item in its travelling form: {@code length} bytes of {@code bytes}, which are the
     * item itself ({@code raw}: a {@code byte[]}, sent without the codec) or the codec's.
     */
    public static final class Encoded {
        public final byte[] bytes;
        public final int length;
        public final boolean raw;

        Encoded(byte[] bytes, int length, boolean raw) {
            this.bytes = bytes;
            this.length = length;
            this.raw = raw;
        }
    }

    /**
     * Encodes {@code item} in the caller's thread.
     *
     * @param what how to name the item in an error, e.g. "an item of queue Queue-1"
     * @throws ProcessSerializationException naming the class that cannot be serialized
     */
    public static Encoded encode(Object item, String what) {
        if (item instanceof byte[]) {
            byte[] b = (byte[]) item;
            return new Encoded(b, b.length, true);
        }
        byte[] out = encodeTagged(item, what);
        return new Encoded(out, out.length, false);
    }

    /**
     * {@link #encode} of an item that is not a {@code byte[]} (which travels raw), without the
     * holder: a queue's put encodes in a loop, and every object it allocates counts in the first
     * seconds of a child, where young collections pause it.
     */
    public static byte[] encodeTagged(Object item, String what) {
        byte[] out;
        if (item == null) {
            out = new byte[] {NULL};
        } else if (item instanceof Integer) {
            out = new byte[5];
            out[0] = INT;
            putInt(out, 1, (Integer) item);
        } else if (item instanceof Long) {
            out = new byte[9];
            out[0] = LONG;
            putLong(out, 1, (Long) item);
        } else if (item instanceof Double) {
            out = new byte[9];
            out[0] = DOUBLE;
            putLong(out, 1, Double.doubleToRawLongBits((Double) item));
        } else if (item instanceof Boolean) {
            out = new byte[] {(Boolean) item ? TRUE : FALSE};
        } else if (item instanceof String && isWellFormed((String) item)) {
            byte[] utf8 = ((String) item).getBytes(StandardCharsets.UTF_8);
            out = new byte[1 + utf8.length];
            out[0] = STRING;
            System.arraycopy(utf8, 0, out, 1, utf8.length);
        } else {
            byte[] serialized = Codec.defaultCodec().encode(item, what);
            out = new byte[1 + serialized.length];
            out[0] = SERIALIZED;
            System.arraycopy(serialized, 0, out, 1, serialized.length);
        }
        return out;
    }

    /**
     * Encodes {@code item} as one self-describing byte array, for embedding in a larger message
     * (a {@code byte[]} item gets a tag too, unlike in {@link #encode}).
     *
     * @param what how to name the item in an error
     * @throws ProcessSerializationException naming the class that cannot be serialized
     */
    public static byte[] encodeEmbedded(Object item, String what) {
        if (item instanceof byte[]) {
            byte[] b = (byte[]) item;
            byte[] out = new byte[1 + b.length];
            out[0] = BYTES;
            System.arraycopy(b, 0, out, 1, b.length);
            return out;
        }
        Encoded e = encode(item, what);
        return e.length == e.bytes.length ? e.bytes : java.util.Arrays.copyOf(e.bytes, e.length);
    }

    /**
     * Decodes {@code length} bytes at {@code offset} made by {@link #encodeEmbedded}.
     *
     * @throws IllegalStateException as {@link #decode}
     */
    public static Object decodeEmbedded(byte[] message, int offset, int length) {
        return decodeAt(message, offset, length);
    }

    /**
     * Whether UTF-8 keeps {@code s} exactly: false if it has a surrogate without its pair,
     * which UTF-8 would replace with '?' (such a string takes the serialization path).
     */
    private static boolean isWellFormed(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Decodes a message read from a ring.
     *
     * @param raw whether the ring said its raw flag
     * @throws IllegalStateException if the bytes are not an item (raw bytes sent with
     *         {@code sendBytes} and read with {@code recv} are returned as a {@code byte[]}),
     *         name a class this JVM does not have, or fail to deserialize (with a
     *         {@code LinkageError} or a {@code StackOverflowError} too)
     */
    public static Object decode(byte[] message, boolean raw) {
        if (raw) {
            return message;
        }
        return decodeAt(message, 0, message.length);
    }

    private static Object decodeAt(byte[] m, int at, int length) {
        if (length == 0) {
            throw new IllegalStateException("received an empty message where an item was expected");
        }
        switch (m[at]) {
            case NULL:
                return null;
            case INT:
                return getInt(m, at + 1);
            case LONG:
                return getLong(m, at + 1);
            case DOUBLE:
                return Double.longBitsToDouble(getLong(m, at + 1));
            case TRUE:
                return Boolean.TRUE;
            case FALSE:
                return Boolean.FALSE;
            case STRING:
                return new String(m, at + 1, length - 1, StandardCharsets.UTF_8);
            case BYTES:
                return java.util.Arrays.copyOfRange(m, at + 1, at + length);
            case SERIALIZED:
                try {
                    return Codec.defaultCodec().decode(java.util.Arrays.copyOfRange(m, at + 1, at + length));
                } catch (ClassNotFoundException e) {
                    throw new IllegalStateException("received an item of class " + e.getMessage()
                            + ", which this JVM cannot load (is it on this process's class path?)", e);
                } catch (IOException | RuntimeException | LinkageError | StackOverflowError e) {
                    // A LinkageError: a class the item needs is missing or broken here; too deep a
                    // graph for this thread's stack. Either way the item is consumed, as documented.
                    throw new IllegalStateException("received an item that could not be deserialized: " + e, e);
                }
            default:
                throw new IllegalStateException("received " + length
                        + " bytes that are not an item encoded by multiprocessing4j (tag " + m[at] + ")");
        }
    }
}
