package org.multiprocessing4j.cluster.internal.shared;

import com.hazelcast.collection.IList;
import java.util.ArrayList;
import java.util.Arrays;

/** One call of a cluster list on its Hazelcast {@code IList}, elements as encoded bytes. */
final class ListOp extends Op<Object> {
    static final int TYPE = 5;
    static final int GET = 1;
    static final int SET = 2;
    static final int ADD = 3;
    static final int ADD_AT = 4;
    static final int REMOVE_AT = 5;
    static final int SIZE = 6;
    static final int CLEAR = 7;
    static final int ALL = 8;
    static final int INDEX_OF = 9;
    static final int LAST_INDEX_OF = 10;
    static final int REMOVE = 11;

    private final int code;
    private final String list;
    private final int index;
    private final byte[] element;

    ListOp(int code, String list, int index, byte[] element) {
        this.code = code;
        this.list = list;
        this.index = index;
        this.element = element;
    }

    static ListOp read(java.io.DataInputStream in) throws java.io.IOException {
        return new ListOp(in.readInt(), in.readUTF(), in.readInt(), readBytes(in));
    }

    @Override
    int type() {
        return TYPE;
    }

    @Override
    void write(java.io.DataOutputStream out) throws java.io.IOException {
        out.writeInt(code);
        out.writeUTF(list);
        out.writeInt(index);
        writeBytes(out, element);
    }

    @Override
    Object run(Direct access) {
        IList<byte[]> l = access.hz.getList(list);
        switch (code) {
            case GET:
                return l.get(index);
            case SET:
                return l.set(index, element);
            case ADD:
                return l.add(element);
            case ADD_AT:
                l.add(index, element);
                return null;
            case REMOVE_AT:
                return l.remove(index);
            case SIZE:
                return l.size();
            case CLEAR:
                l.clear();
                return null;
            case ALL:
                return new ArrayList<>(l);
            case INDEX_OF:
            case LAST_INDEX_OF:
            case REMOVE:
                // Compared by encoded form in one pass over a copy (IList's own compares Hazelcast's form).
                ArrayList<byte[]> all = new ArrayList<>(l);
                int found = -1;
                for (int i = 0; i < all.size(); i++) {
                    if (Arrays.equals(all.get(i), element)) {
                        found = i;
                        if (code != LAST_INDEX_OF) {
                            break;
                        }
                    }
                }
                if (code == REMOVE) {
                    return found >= 0 && l.remove(element);
                }
                return found;
            default:
                throw new IllegalStateException("unknown list call " + code);
        }
    }
}
