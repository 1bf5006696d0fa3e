package org.multiprocessing4j.cluster.internal.shared;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The frames of the relay: a length, then a type byte and the fields of an {@link Op} (a
 * request) or of what it returned (a reply), written with {@code DataOutputStream}. There is no
 * Java serialization on either side: a frame is a fixed shape of numbers, strings and byte
 * arrays, and items of queues, dicts and lists stay encoded bytes, so the relay never decodes a
 * user's class (nor anything else it did not expect).
 */
final class Frames {
    /** The largest frame either side accepts. */
    static final int MAX_FRAME = 256 << 20;

    private static final int NULL = 0;
    private static final int LONGS = 10;
    private static final int BOOLEAN = 11;
    private static final int INT = 12;
    private static final int BYTES = 13;
    private static final int BYTES_LIST = 14;
    private static final int STRINGS = 15;
    private static final int FAILURE = 16;

    private Frames() {
    }

    /** An exception of an op, as its class name and message. */
    static final class Failure {
        final String type;
        final String message;

        Failure(String type, String message) {
            this.type = type;
            this.message = message;
        }

        Failure(Throwable t) {
            this(t.getClass().getName(), String.valueOf(t.getMessage()));
        }

        RuntimeException toException(String where) {
            if (IllegalArgumentException.class.getName().equals(type)) {
                return new IllegalArgumentException(message);
            }
            if (UnsupportedOperationException.class.getName().equals(type)) {
                return new UnsupportedOperationException(message);
            }
            if (IndexOutOfBoundsException.class.getName().equals(type)
                    || ArrayIndexOutOfBoundsException.class.getName().equals(type)) {
                return new IndexOutOfBoundsException(message);
            }
            return new IllegalStateException(where + ": " + type + ": " + message);
        }
    }

    static void writeOp(OutputStream out, Op<?> op) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        DataOutputStream d = new DataOutputStream(bytes);
        d.writeByte(op.type());
        op.write(d);
        frame(out, bytes);
    }

    static Op<?> readOp(InputStream in) throws IOException {
        DataInputStream d = body(in);
        if (d == null) {
            return null;
        }
        int type = d.readByte();
        switch (type) {
            case Relay.Hello.TYPE:
                return Relay.Hello.read(d);
            case SyncCall.TYPE:
                return SyncCall.read(d);
            case QueueOp.TYPE:
                return QueueOp.read(d);
            case DictOp.TYPE:
                return DictOp.read(d);
            case ListOp.TYPE:
                return ListOp.read(d);
            case HeldPut.TYPE:
                return HeldPut.read(d);
            case TakeMany.TYPE:
                return TakeMany.read(d);
            case TakeMany.GiveBack.TYPE:
                return TakeMany.GiveBack.read(d);
            case HeldPut.Open.TYPE:
                return new HeldPut.Open();
            default:
                throw new IOException("a relay request of unknown type " + type);
        }
    }

    static void writeReply(OutputStream out, Object reply) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        DataOutputStream d = new DataOutputStream(bytes);
        if (reply == null) {
            d.writeByte(NULL);
        } else if (reply instanceof long[]) {
            long[] l = (long[]) reply;
            d.writeByte(LONGS);
            d.writeInt(l.length);
            for (long v : l) {
                d.writeLong(v);
            }
        } else if (reply instanceof Boolean) {
            d.writeByte(BOOLEAN);
            d.writeBoolean((Boolean) reply);
        } else if (reply instanceof Integer) {
            d.writeByte(INT);
            d.writeInt((Integer) reply);
        } else if (reply instanceof byte[]) {
            d.writeByte(BYTES);
            Op.writeBytes(d, (byte[]) reply);
        } else if (reply instanceof List) {
            List<?> list = (List<?>) reply;
            d.writeByte(BYTES_LIST);
            d.writeInt(list.size());
            for (Object o : list) {
                Op.writeBytes(d, (byte[]) o);
            }
        } else if (reply instanceof String[]) {
            String[] s = (String[]) reply;
            d.writeByte(STRINGS);
            d.writeInt(s.length);
            for (String v : s) {
                Op.writeString(d, v);
            }
        } else {
            Failure f = reply instanceof Failure ? (Failure) reply
                    : new Failure(IllegalStateException.class.getName(), "an op returned a " + reply.getClass().getName());
            d.writeByte(FAILURE);
            d.writeUTF(f.type);
            Op.writeString(d, f.message);
        }
        frame(out, bytes);
    }

    /** Reads a reply; a null reply is {@code null}; throws EOFException if the stream ended. */
    static Object readReply(InputStream in) throws IOException {
        DataInputStream d = body(in);
        if (d == null) {
            throw new EOFException("the relay closed the connection");
        }
        int type = d.readByte();
        switch (type) {
            case NULL:
                return null;
            case LONGS:
                long[] l = new long[count(d.readInt())];
                for (int i = 0; i < l.length; i++) {
                    l[i] = d.readLong();
                }
                return l;
            case BOOLEAN:
                return d.readBoolean();
            case INT:
                return d.readInt();
            case BYTES:
                return Op.readBytes(d);
            case BYTES_LIST:
                int n = count(d.readInt());
                List<byte[]> list = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    list.add(Op.readBytes(d));
                }
                return list;
            case STRINGS:
                String[] s = new String[count(d.readInt())];
                for (int i = 0; i < s.length; i++) {
                    s[i] = Op.readString(d);
                }
                return s;
            case FAILURE:
                return new Failure(d.readUTF(), Op.readString(d));
            default:
                throw new IOException("a relay reply of unknown type " + type);
        }
    }

    private static int count(int n) throws IOException {
        if (n < 0 || n > MAX_FRAME) {
            throw new IOException("a relay frame that counts " + n + " elements");
        }
        return n;
    }

    private static void frame(OutputStream out, ByteArrayOutputStream body) throws IOException {
        DataOutputStream d = new DataOutputStream(out);
        d.writeInt(body.size());
        body.writeTo(d);
        d.flush();
    }

    /** The body of the next frame, or null at the end of the stream. */
    private static DataInputStream body(InputStream in) throws IOException {
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
        return new DataInputStream(new ByteArrayInputStream(body));
    }
}
