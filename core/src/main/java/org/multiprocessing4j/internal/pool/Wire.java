package org.multiprocessing4j.internal.pool;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The messages between a pool and its workers, as {@code byte[]} (which a
 * {@code ProcessQueue} carries without serialization): an op byte, then fixed-size fields and
 * length-prefixed encoded items. One class for both directions, so the two sides cannot
 * disagree about a layout.
 *
 * <pre>
 * to a worker:   DEFINE fnId bytes          a function or task, Java-serialized, kept by id
 *                FORGET fnId                the pool no longer needs it
 *                CALL   taskId fnId arity count (item*arity)*count   apply fn to each argument tuple
 *                RUN    taskId bytes        run one Java-serialized SerializableCallable
 *                STOP                       finish and exit
 * to the pool:   DONE   worker taskId count (status item)*count
 *                READY  worker              the initializer ran; tasks from now on are really run
 *                STARTED worker taskId      (only when tasks have a time limit)
 *                DIED   worker             put by the pool itself when a worker's JVM has ended
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

    /** Status of one result in a DONE message. */
    static final byte OK = 0;
    static final byte THREW = 1;

    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private Wire() {
    }

    /** Builds one message. */
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

        Writer op(byte op) {
            room(1);
            buf[size++] = op;
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
         * place for the common {@code Integer} and {@code Long} (no array per item).
         */
        Writer item(Object o, String what) {
            if (o instanceof Integer) {
                room(9);
                INTS.set(buf, size, 5);
                buf[size + 4] = org.multiprocessing4j.internal.codec.ItemCodec.TAG_INT;
                INTS.set(buf, size + 5, (int) (Integer) o);
                size += 9;
                return this;
            }
            if (o instanceof Long) {
                room(13);
                INTS.set(buf, size, 9);
                buf[size + 4] = org.multiprocessing4j.internal.codec.ItemCodec.TAG_LONG;
                LONGS.set(buf, size + 5, (long) (Long) o);
                size += 13;
                return this;
            }
            return bytes(org.multiprocessing4j.internal.codec.ItemCodec.encodeEmbedded(o, what));
        }

        Writer status(byte s) {
            return op(s);
        }

        int size() {
            return size;
        }

        /** Drops what was written after {@code mark} (a {@link #size()}). */
        void truncate(int mark) {
            size = mark;
        }

        /** Overwrites the int at {@code at}. */
        void patchI32(int at, int v) {
            INTS.set(buf, at, v);
        }

        byte[] toBytes() {
            return size == buf.length ? buf : Arrays.copyOf(buf, size);
        }
    }

    /** Reads one message in order. */
    static final class Reader {
        final byte[] buf;
        int at;

        Reader(byte[] buf) {
            this.buf = buf;
        }

        byte op() {
            return buf[at++];
        }

        int i32() {
            int v = (int) INTS.get(buf, at);
            at += 4;
            return v;
        }

        long i64() {
            long v = (long) LONGS.get(buf, at);
            at += 8;
            return v;
        }

        /** Skips a length-prefixed field, returning its offset; its length is {@link #lastLength}. */
        int field() {
            lastLength = i32();
            int start = at;
            at += lastLength;
            return start;
        }

        int lastLength;

        byte[] bytes() {
            int start = field();
            return Arrays.copyOfRange(buf, start, start + lastLength);
        }
    }
}
