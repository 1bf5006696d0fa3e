package org.multiprocessing4j.cluster.internal.shared;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.multiprocessing4j.cluster.internal.Ids;

/**
 * The state of one lock, semaphore, event, barrier, value or counter, as an entry of the sync
 * map ({@link Names#SYNC_MAP}). Only {@link SyncOp}s change it, on the member that owns the
 * entry's partition, one at a time: that is what makes each operation atomic. The meaning of the
 * fields depends on the kind (see {@link SyncOp}).
 */
public final class SyncEntry implements IdentifiedDataSerializable {
    int kind;
    long a;
    long b;
    long c;
    long d;
    String holder;
    boolean flag;
    List<String> waiters = new ArrayList<>();
    List<String> hosts = new ArrayList<>();
    long[] values = new long[0];

    /** For Hazelcast's deserialization. */
    public SyncEntry() {
    }

    SyncEntry(int kind) {
        this.kind = kind;
    }

    @Override
    public int getFactoryId() {
        return Ids.FACTORY;
    }

    @Override
    public int getClassId() {
        return Ids.SYNC_ENTRY;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeInt(kind);
        out.writeLong(a);
        out.writeLong(b);
        out.writeLong(c);
        out.writeLong(d);
        out.writeString(holder);
        out.writeBoolean(flag);
        writeStrings(out, waiters);
        writeStrings(out, hosts);
        out.writeLongArray(values);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        kind = in.readInt();
        a = in.readLong();
        b = in.readLong();
        c = in.readLong();
        d = in.readLong();
        holder = in.readString();
        flag = in.readBoolean();
        waiters = readStrings(in);
        hosts = readStrings(in);
        values = in.readLongArray();
    }

    private static void writeStrings(ObjectDataOutput out, List<String> list) throws IOException {
        out.writeInt(list.size());
        for (String s : list) {
            out.writeString(s);
        }
    }

    private static List<String> readStrings(ObjectDataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 1 << 20) {
            throw new IOException("a sync entry with " + n + " names");
        }
        List<String> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(in.readString());
        }
        return list;
    }
}
