package org.multiprocessing4j.internal.pool;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.multiprocessing4j.internal.codec.ItemCodec;

/**
 * The layout of the messages between a pool and its workers, as {@code byte[]} (which a
 * {@code ProcessQueue} carries without serialization): an op byte, then fixed-size big-endian
 * fields and length-prefixed ({@code i32}) encoded items. One class for both directions, so the
 * two sides cannot disagree about a layout. Messages are made and read only through
 * {@link PoolMessage} (each record knows its own layout), {@link CallBuilder} and
 * {@link DoneBuilder}; this class holds the op codes and the two cursors they share.
 *
 * <pre>
 * to a worker:   DEFINE  fnId:i32 code:bytes          a function, Java-serialized, kept by id
 *                FORGET  fnId:i32                     the pool no longer needs it
 *                CALL    taskId:i64 fnId:i32 arity:i32 count:i32 (item × arity) × count
 *                RUN     taskId:i64 callable:bytes    one Java-serialized SerializableCallable
 *                STOP                                 finish and exit
 * to the pool:   DONE    worker:i32 taskId:i64 count:i32 (status:u8 item) × count
 *                READY   worker:i32                   the initializer ran
 *                STARTED worker:i32 taskId:i64        (only when tasks have a time limit)
 *                DIED    worker:i32 exitCode:i32      put by the pool itself when a worker's JVM ended
 *                ASIDE                                put by the pool itself: a caller waiting for a result
 *                                                     reads the queue now, the collector steps aside
 * bytes, item:   length:i32 then that many bytes (an item as ItemCodec.encodeEmbedded makes it)
 * </pre>
 */
final class Wire {
    static final byte DEFINE = 1;
    static final byte FORGET = 2;
    static final byte CALL = 3;
    static final byte STOP = 4;
    static final byte RUN = 5;
    static final byte DONE = 11;
    static final byte STARTED = 12;
    static final byte DIED = 13;
    static final byte READY = 14;
    static final byte ASIDE = 15;

    /** Status of one result in a DONE message. */
    static final byte OK = 0;
    static final byte THREW = 1;

    /** The task id of a DONE that reports the initializer's failure. */
    static final long INITIALIZER_TASK = -1;

    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private Wire() {
    }

    /**
     * Whether {@code message} asks a worker to run something (CALL or RUN): what the death
     * ledger counts among the messages left in a dead worker's inbox.
     */
    static boolean isTask(byte[] message) {
        return message.length > 0 && (message[0] == CALL || message[0] == RUN);
    }

    /** The length of the length-prefixed field whose first byte is at {@code offset} (the prefix is just before it). */
    static int lengthOfFieldAt(byte[] message, int offset) {
        return (int) INTS.get(message, offset - 4);
    }

    /** Appends the fields of one message to a growing buffer. */
    static final class Writer {
        private byte[] buf;
        private int size;

        Writer(int capacity) {
            buf = new byte[Math.max(16, capacity)];
        }

        private void room(int n) {
            if (size + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
            }
        }

        Writer u8(byte v) {
            room(1);
            buf[size++] = v;
            return this;
        }

        Writer i32(int v) {
            room(4);
            INTS.set(buf, size, v);
            size += 4;
            return this;
        }

        Writer i64(long v) {
            room(8);
            LONGS.set(buf, size, v);
            size += 8;
            return this;
        }

        Writer bytes(byte[] b) {
            i32(b.length);
            room(b.length);
            System.arraycopy(b, 0, buf, size, b.length);
            size += b.length;
            return this;
        }

        /**
         * A length-prefixed item as {@code ItemCodec.encodeEmbedded} encodes it, written in
         * place for the common {@code Integer} and {@code Long} (no array per item). Writes
         * nothing if the item cannot be encoded.
         */
        Writer item(Object o, String what) {
            if (o instanceof Integer) {
                room(9);
                INTS.set(buf, size, 5);
                buf[size + 4] = ItemCodec.TAG_INT;
                INTS.set(buf, size + 5, (int) (Integer) o);
                size += 9;
                return this;
            }
            if (o instanceof Long) {
                room(13);
                INTS.set(buf, size, 9);
                buf[size + 4] = ItemCodec.TAG_LONG;
                LONGS.set(buf, size + 5, (long) (Long) o);
                size += 13;
                return this;
            }
            return bytes(ItemCodec.encodeEmbedded(o, what));
        }

        int size() {
            return size;
        }

        /** Drops what was written after {@code mark} (a {@link #size()}). */
        void truncate(int mark) {
            size = mark;
        }

        /** Overwrites the i32 at {@code at}, a {@link #size()} taken before that field was written. */
        void patchI32(int at, int v) {
            INTS.set(buf, at, v);
        }

        byte[] toBytes() {
            return size == buf.length ? buf : Arrays.copyOf(buf, size);
        }
    }

    /**
     * Reads one message's fields in order, checking that each is there: a message cut short, a
     * negative length or bytes left over are refused with an {@link IllegalArgumentException}
     * that names the message kind, the field and the offset.
     */
    static final class Reader {
        final byte[] buf;
        private final String kind;
        private int at;

        /** Starts after the op byte, which the caller has looked at. */
        Reader(byte[] buf, String kind) {
            this.buf = buf;
            this.kind = kind;
            this.at = 1;
        }

        // Field names and indexes are put together only when a message is refused: a CALL or
        // DONE of thousands of items is read field by field, and building a name per field
        // (a string concatenation each) halved map throughput.
        private void need(int n, String field, int index, String part) {
            if (n > buf.length - at) {
                throw malformed(name(field, index) + part + " needs " + n + " bytes at offset " + at + ", and "
                        + (buf.length - at) + " are left: the message was cut short");
            }
        }

        private static String name(String field, int index) {
            return index < 0 ? field : field + " " + index;
        }

        IllegalArgumentException malformed(String why) {
            return new IllegalArgumentException("malformed pool " + kind + " message (" + buf.length + " bytes): "
                    + why);
        }

        byte u8(String field) {
            return u8(field, -1);
        }

        /** Reads a byte of field {@code field} {@code index} (of many such fields). */
        byte u8(String field, int index) {
            need(1, field, index, "");
            return buf[at++];
        }

        int i32(String field) {
            need(4, field, -1, "");
            int v = (int) INTS.get(buf, at);
            at += 4;
            return v;
        }

        long i64(String field) {
            need(8, field, -1, "");
            long v = (long) LONGS.get(buf, at);
            at += 8;
            return v;
        }

        /** Skips a length-prefixed field after checking it is all there; returns its offset. */
        int field(String field) {
            return field(field, -1);
        }

        /** As {@link #field(String)}, for field {@code field} {@code index} of many such fields. */
        int field(String field, int index) {
            need(4, field, index, "'s length");
            int length = (int) INTS.get(buf, at);
            at += 4;
            if (length < 0) {
                throw malformed(name(field, index) + " has a negative length " + length + " at offset " + (at - 4));
            }
            need(length, field, index, "");
            int start = at;
            at += length;
            return start;
        }

        byte[] bytes(String field) {
            int start = field(field);
            return Arrays.copyOfRange(buf, start, start + lengthOfFieldAt(buf, start));
        }

        /** The number of bytes not read yet. */
        int remaining() {
            return buf.length - at;
        }

        /**
         * Returns {@code message}, made of the fields read, once it is sure that no bytes follow
         * the last field (which would mean the two sides disagree about the layout).
         */
        <T> T end(T message) {
            if (at != buf.length) {
                throw malformed((buf.length - at) + " bytes left over after its last field, at offset " + at);
            }
            return message;
        }
    }
}
