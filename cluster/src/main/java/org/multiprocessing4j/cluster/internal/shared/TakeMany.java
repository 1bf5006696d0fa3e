package org.multiprocessing4j.cluster.internal.shared;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;

/**
 * A process's take of up to {@code want} items of an unbounded queue at once ({@link TakenAhead}),
 * lent to it by the relay ({@link TakeAhead#lend}): the relay keeps them until the process's
 * count of items consumed, in its {@code acks} file, says that they have been taken, and gives
 * back those that were not when the process ends.
 */
final class TakeMany extends Op<List<byte[]>> {
    static final int TYPE = 8;
    final long pid;
    /** The name of the process's count file in the relay's directory. */
    final String acks;
    /** The count's index in that file. */
    final int slot;
    final String queue;
    final int want;
    final long waitNanos;

    TakeMany(long pid, String acks, int slot, String queue, int want, long waitNanos) {
        this.pid = pid;
        this.acks = acks;
        this.slot = slot;
        this.queue = queue;
        this.want = want;
        this.waitNanos = waitNanos;
    }

    static TakeMany read(DataInputStream in) throws IOException {
        return new TakeMany(in.readLong(), in.readUTF(), in.readInt(), in.readUTF(), in.readInt(), in.readLong());
    }

    @Override
    int type() {
        return TYPE;
    }

    @Override
    void write(DataOutputStream out) throws IOException {
        out.writeLong(pid);
        out.writeUTF(acks);
        out.writeInt(slot);
        out.writeUTF(queue);
        out.writeInt(want);
        out.writeLong(waitNanos);
    }

    @Override
    List<byte[]> run(Direct access) {
        throw new UnsupportedOperationException("a take of many is served by the relay's take-ahead");
    }

    /** Gives back the last {@code count} items lent to a process from one queue, which it did not take. */
    static final class GiveBack extends Op<Boolean> {
        static final int TYPE = 9;
        final long pid;
        final int slot;
        final int count;
        /** How many items of the queue the process has taken in all (its count file's value). */
        final long consumed;

        GiveBack(long pid, int slot, int count, long consumed) {
            this.pid = pid;
            this.slot = slot;
            this.count = count;
            this.consumed = consumed;
        }

        static GiveBack read(DataInputStream in) throws IOException {
            return new GiveBack(in.readLong(), in.readInt(), in.readInt(), in.readLong());
        }

        @Override
        int type() {
            return TYPE;
        }

        @Override
        void write(DataOutputStream out) throws IOException {
            out.writeLong(pid);
            out.writeInt(slot);
            out.writeInt(count);
            out.writeLong(consumed);
        }

        @Override
        Boolean run(Direct access) {
            throw new UnsupportedOperationException("a give-back is served by the relay's take-ahead");
        }
    }
}
