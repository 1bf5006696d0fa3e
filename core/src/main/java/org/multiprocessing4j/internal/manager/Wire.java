package org.multiprocessing4j.internal.manager;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.function.Supplier;
import org.multiprocessing4j.RemoteThrowable;
import org.multiprocessing4j.internal.codec.Codec;
import org.multiprocessing4j.internal.codec.ItemCodec;

/**
 * The messages between a proxy and the manager's server, sent as raw bytes over a pipe. No
 * envelope is serialized; only an argument or result that has no fast path in {@link ItemCodec}
 * is.
 *
 * <pre>
 * request: [int objectId][int methodIndex][int argc] argc x ([int length][ItemCodec embedded item])
 * reply:   [byte OK][ItemCodec embedded result]
 *          [byte THREW][int length][the throwable, serialized][a RemoteThrowable stand-in, serialized]
 * </pre>
 *
 * The server sends an empty message first on each pipe it takes, to say it holds its end.
 * Object 0 is the server itself: its method {@link #CREATE} makes an object of a typeid and
 * answers its id; its method {@link #NAMED} answers the id of the one object of a typeid kept
 * under a name (made at the first such call), which is how remote clients share objects.
 */
final class Wire {
    static final int SERVER_OBJECT = 0;
    static final int CREATE = 0;
    /** Arguments: typeid, name, the caller's interface name. */
    static final int NAMED = 1;
    /** What the server sends first on a pipe it has taken: nothing. */
    static final byte[] HELLO = new byte[0];
    private static final byte OK = 0;
    private static final byte THREW = 1;
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private Wire() {
    }

    /** A request: encodes every argument in the caller's thread (refusing what cannot travel). */
    static byte[] request(int objectId, int method, Object[] args, Supplier<String> what) {
        int argc = args == null ? 0 : args.length;
        byte[][] encoded = new byte[argc][];
        int length = 12;
        for (int i = 0; i < argc; i++) {
            int n = i + 1;
            encoded[i] = ItemCodec.encodeEmbedded(args[i], name(args[i], () -> "argument " + n + " of " + what.get()));
            length += 4 + encoded[i].length;
        }
        byte[] out = new byte[length];
        INTS.set(out, 0, objectId);
        INTS.set(out, 4, method);
        INTS.set(out, 8, argc);
        int at = 12;
        for (byte[] e : encoded) {
            INTS.set(out, at, e.length);
            System.arraycopy(e, 0, out, at + 4, e.length);
            at += 4 + e.length;
        }
        return out;
    }

    /**
     * Checks that {@code request} is made of a header and as many length-prefixed arguments as
     * it says, so that a malformed request from a peer fails with an error naming what is wrong.
     *
     * @throws IllegalArgumentException if it is not
     */
    static void checkRequest(byte[] request) {
        if (request.length < 12) {
            throw new IllegalArgumentException("malformed manager request: " + request.length
                    + " bytes, fewer than the 12 of a header");
        }
        int argc = (int) INTS.get(request, 8);
        if (argc < 0) {
            throw new IllegalArgumentException("malformed manager request: it announces " + argc + " arguments");
        }
        int at = 12;
        for (int i = 0; i < argc; i++) {
            if (at + 4 > request.length) {
                throw new IllegalArgumentException("malformed manager request: it announces " + argc
                        + " arguments but ends after " + i);
            }
            int length = (int) INTS.get(request, at);
            if (length < 0 || length > request.length - at - 4) {
                throw new IllegalArgumentException("malformed manager request: argument " + (i + 1) + " announces "
                        + length + " bytes, more than the request holds");
            }
            at += 4 + length;
        }
        if (at != request.length) {
            throw new IllegalArgumentException("malformed manager request: " + (request.length - at)
                    + " bytes after its arguments");
        }
    }

    static int objectId(byte[] request) {
        return (int) INTS.get(request, 0);
    }

    static int method(byte[] request) {
        return (int) INTS.get(request, 4);
    }

    /** Decodes the arguments of a request; throws IllegalStateException if one cannot be decoded here. */
    static Object[] arguments(byte[] request) {
        int argc = (int) INTS.get(request, 8);
        Object[] args = new Object[argc];
        int at = 12;
        for (int i = 0; i < argc; i++) {
            int length = (int) INTS.get(request, at);
            args[i] = ItemCodec.decodeEmbedded(request, at + 4, length);
            at += 4 + length;
        }
        return args;
    }

    /**
     * How to name {@code item} in the error of one that cannot be serialized; built only for an
     * item off {@link ItemCodec}'s fast paths, which cannot fail, so that a call spares it.
     */
    private static String name(Object item, Supplier<String> what) {
        boolean fast = item == null || item instanceof Integer || item instanceof Long || item instanceof String
                || item instanceof Boolean || item instanceof Double || item instanceof byte[];
        return fast ? "an item" : what.get();
    }

    static byte[] ok(Object result, Supplier<String> what) {
        byte[] e = ItemCodec.encodeEmbedded(result, name(result, what));
        byte[] out = new byte[1 + e.length];
        out[0] = OK;
        System.arraycopy(e, 0, out, 1, e.length);
        return out;
    }

    static byte[] threw(Throwable t) {
        byte[] standIn = Codec.defaultCodec().encode(RemoteThrowable.of(t), "an exception");
        byte[] original;
        try {
            original = Codec.defaultCodec().encode(t, "an exception");
        } catch (RuntimeException notSerializable) {
            original = standIn;
        }
        byte[] out = new byte[5 + original.length + standIn.length];
        out[0] = THREW;
        INTS.set(out, 1, original.length);
        System.arraycopy(original, 0, out, 5, original.length);
        System.arraycopy(standIn, 0, out, 5 + original.length, standIn.length);
        return out;
    }

    /**
     * The result a reply carries, or the throwable it carries thrown: the original class if it
     * decodes here, otherwise its {@link RemoteThrowable} stand-in.
     */
    static Object result(byte[] reply) throws Throwable {
        if (reply[0] == OK) {
            return ItemCodec.decodeEmbedded(reply, 1, reply.length - 1);
        }
        int length = (int) INTS.get(reply, 1);
        Throwable t;
        try {
            t = (Throwable) Codec.defaultCodec().decode(java.util.Arrays.copyOfRange(reply, 5, 5 + length));
        } catch (Exception | LinkageError undecodable) {
            t = (Throwable) Codec.defaultCodec().decode(java.util.Arrays.copyOfRange(reply, 5 + length, reply.length));
        }
        throw t;
    }
}
