package org.multiprocessing4j.cluster.internal.shared;

import com.hazelcast.map.IMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One call of a cluster dict on its Hazelcast {@code IMap}, keys and values as encoded bytes
 * (so that members never decode a user's object, and keys compare by their encoded form, as
 * Hazelcast compares keys).
 */
final class DictOp extends Op<Object> {
    static final int TYPE = 4;
    static final int GET = 1;
    static final int PUT = 2;
    static final int REMOVE = 3;
    static final int PUT_IF_ABSENT = 4;
    static final int REPLACE = 5;
    static final int REPLACE_IF = 6;
    static final int REMOVE_IF = 7;
    static final int SIZE = 8;
    static final int CONTAINS_KEY = 9;
    static final int CLEAR = 10;
    static final int ENTRIES = 11;
    static final int SET = 12;
    static final int DELETE = 13;
    static final int CONTAINS_VALUE = 14;

    private final int code;
    private final String map;
    private final byte[] key;
    private final byte[] value;
    private final byte[] other;

    DictOp(int code, String map, byte[] key, byte[] value, byte[] other) {
        this.code = code;
        this.map = map;
        this.key = key;
        this.value = value;
        this.other = other;
    }

    static DictOp read(java.io.DataInputStream in) throws java.io.IOException {
        return new DictOp(in.readInt(), in.readUTF(), readBytes(in), readBytes(in), readBytes(in));
    }

    @Override
    int type() {
        return TYPE;
    }

    @Override
    void write(java.io.DataOutputStream out) throws java.io.IOException {
        out.writeInt(code);
        out.writeUTF(map);
        writeBytes(out, key);
        writeBytes(out, value);
        writeBytes(out, other);
    }

    @Override
    Object run(Direct access) {
        IMap<byte[], byte[]> m = access.hz.getMap(map);
        switch (code) {
            case GET:
                return m.get(key);
            case PUT:
                return m.put(key, value);
            case SET:
                m.set(key, value);
                return null;
            case REMOVE:
                return m.remove(key);
            case DELETE:
                m.delete(key);
                return null;
            case PUT_IF_ABSENT:
                return m.putIfAbsent(key, value);
            case REPLACE:
                return m.replace(key, value);
            case REPLACE_IF:
                return m.replace(key, value, other);
            case REMOVE_IF:
                return m.remove(key, value);
            case SIZE:
                return m.size();
            case CONTAINS_KEY:
                return m.containsKey(key);
            case CONTAINS_VALUE:
                for (byte[] v : m.values()) {
                    if (Arrays.equals(v, value)) {
                        return true;
                    }
                }
                return false;
            case CLEAR:
                m.clear();
                return null;
            default:
                List<byte[]> all = new ArrayList<>();
                for (Map.Entry<byte[], byte[]> e : m.entrySet()) {
                    all.add(e.getKey());
                    all.add(e.getValue());
                }
                return new ArrayList<>(all);
        }
    }
}
