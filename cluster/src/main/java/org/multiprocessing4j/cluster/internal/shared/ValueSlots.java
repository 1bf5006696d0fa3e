package org.multiprocessing4j.cluster.internal.shared;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;

/**
 * The shared values a relay holds the lease of ({@link ValueLeases}), in a file of the relay's
 * directory (0700) that the relay and its processes map: a process changes such a value with a
 * store to shared memory, not a call. Each slot has, after {@link LeaseSlots}'s lock and tag:
 *
 * <ul>
 * <li>{@code value}, {@code uses} (every step: how the relay tells a lease in use from an idle
 *     one) and {@code writes} (steps that changed it: how the relay tells what it must write back).
 * </ul>
 */
final class ValueSlots extends LeaseSlots {
    static final String FILE = "values";
    private static final int VALUE = 16;
    private static final int USES = 24;
    private static final int WRITES = 32;

    private ValueSlots(MappedByteBuffer buf) {
        super(buf);
    }

    /** Makes the file (the relay). */
    static ValueSlots create(Path dir) throws IOException {
        return new ValueSlots(map(dir.resolve(FILE), true));
    }

    /** Maps the relay's file (a process of the relay). */
    static ValueSlots open(Path dir) throws IOException {
        return new ValueSlots(map(dir.resolve(FILE), false));
    }

    /**
     * Runs the value step {@code code} ({@link SyncOp#applyValue}) on {@code slot} if it still
     * holds the lease {@code tag}: {@code {0, result}}, or null if the lease has gone back.
     */
    long[] apply(int slot, long tag, int code, long x, long y) {
        lock(slot);
        try {
            if (!holds(slot, tag)) {
                return null;
            }
            long prev = get(slot, VALUE);
            long[] r = SyncOp.applyValue(code, prev, x, y);
            set(slot, USES, get(slot, USES) + 1);
            if (r[0] != prev) {
                // Counted first: a process that dies between the two stores leaves a write that is counted.
                set(slot, WRITES, get(slot, WRITES) + 1);
                set(slot, VALUE, r[0]);
            }
            return new long[] {0, r[1]};
        } finally {
            unlock(slot);
        }
    }

    /** Starts lease {@code tag} in {@code slot} with {@code value} (the relay). */
    void start(int slot, long tag, long value) {
        lock(slot);
        try {
            set(slot, VALUE, value);
            set(slot, USES, 0L);
            set(slot, WRITES, 0L);
            startLocked(slot, tag);
        } finally {
            unlock(slot);
        }
    }

    /** Ends the lease in {@code slot} (the relay): no process changes it any more. Returns its value. */
    long end(int slot) {
        lock(slot);
        try {
            endLocked(slot);
            return get(slot, VALUE);
        } finally {
            unlock(slot);
        }
    }

    /** The value and the count of writes of {@code slot}, read together. */
    long[] valueAndWrites(int slot) {
        lock(slot);
        try {
            return new long[] {get(slot, VALUE), get(slot, WRITES)};
        } finally {
            unlock(slot);
        }
    }

    long uses(int slot) {
        return getVolatile(slot, USES);
    }

    long writes(int slot) {
        return getVolatile(slot, WRITES);
    }
}
