package org.multiprocessing4j.cluster.internal.shared;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A file of the relay's directory (0700) that the relay and its processes map, holding what the
 * relay has leased from the cluster ({@link ValueSlots}, {@link LockSlots}) so that its processes
 * use it with a store to shared memory instead of a call. Each slot is one cache line whose first
 * two longs are:
 *
 * <ul>
 * <li>{@code lock}: the pid of the process (or relay) changing the slot, 0 if none; a lock
 *     whose process has died is broken by the next that needs it (what it guarded is then as one
 *     of its single stores left it);
 * <li>{@code tag}: the lease's tag while the relay holds the lease, 0 once it gives it back; a
 *     process that knows the slot by another tag (an older lease) asks the relay instead.
 * </ul>
 */
abstract class LeaseSlots {
    static final int SLOTS = 1024;
    static final int SLOT_BYTES = 64;
    static final int LOCK = 0;
    static final int TAG = 8;
    static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    final MappedByteBuffer buf;
    private final long me = ProcessHandle.current().pid();

    LeaseSlots(MappedByteBuffer buf) {
        this.buf = buf;
    }

    /** Maps {@code file}: made by the relay ({@code create}), opened by its processes. */
    static MappedByteBuffer map(Path file, boolean create) throws IOException {
        StandardOpenOption how = create ? StandardOpenOption.CREATE_NEW : StandardOpenOption.READ;
        try (FileChannel ch = FileChannel.open(file, how, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return ch.map(FileChannel.MapMode.READ_WRITE, 0, (long) SLOTS * SLOT_BYTES);
        }
    }

    static int at(int slot, int field) {
        return slot * SLOT_BYTES + field;
    }

    long get(int slot, int field) {
        return (long) LONGS.get(buf, at(slot, field));
    }

    void set(int slot, int field, long v) {
        LONGS.set(buf, at(slot, field), v);
    }

    long getVolatile(int slot, int field) {
        return (long) LONGS.getVolatile(buf, at(slot, field));
    }

    /** Whether {@code slot} holds the lease {@code tag}. Called with the slot locked. */
    boolean holds(int slot, long tag) {
        return (long) LONGS.getVolatile(buf, at(slot, TAG)) == tag;
    }

    void lock(int slot) {
        int at = at(slot, LOCK);
        int spins = 0;
        while (!LONGS.compareAndSet(buf, at, 0L, me)) {
            if (++spins % 4096 == 0) {
                long holder = (long) LONGS.getVolatile(buf, at);
                if (holder != 0 && !ProcessHandle.of(holder).map(ProcessHandle::isAlive).orElse(false)) {
                    LONGS.compareAndSet(buf, at, holder, 0L); // died between its two stores
                }
                Thread.yield();
            } else {
                Thread.onSpinWait();
            }
        }
    }

    void unlock(int slot) {
        LONGS.setVolatile(buf, at(slot, LOCK), 0L);
    }

    /** Ends the lease in {@code slot} (the relay): no process uses it any more. Called with the slot locked. */
    void endLocked(int slot) {
        LONGS.setVolatile(buf, at(slot, TAG), 0L);
    }

    /** Starts lease {@code tag} in {@code slot} (the relay). Called with the slot locked, after its fields are set. */
    void startLocked(int slot, long tag) {
        LONGS.setVolatile(buf, at(slot, TAG), tag);
    }
}
