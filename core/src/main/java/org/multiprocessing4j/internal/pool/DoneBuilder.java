package org.multiprocessing4j.internal.pool;

import org.multiprocessing4j.internal.codec.ItemCodec;

/**
 * A DONE message being built by a worker: the outcome of each item of one task, in order, each
 * a result ({@link #ok}) or a Java-serialized throwable ({@link #threw}). The item count is
 * given up front; {@link #build()} refuses a message with more or fewer outcomes. Not
 * thread-safe.
 */
final class DoneBuilder {
    private final Wire.Writer out;
    private final int count;
    private int added;

    DoneBuilder(int worker, long taskId, int count) {
        this.count = count;
        this.out = new Wire.Writer(32 + 16 * count).u8(Wire.DONE).i32(worker).i64(taskId).i32(count);
    }

    /** The DONE that reports that worker {@code worker}'s initializer threw {@code throwable}. */
    static byte[] initializerFailed(int worker, byte[] throwable) {
        return new DoneBuilder(worker, Wire.INITIALIZER_TASK, 1).threw(throwable).build();
    }

    /**
     * Adds a result. It is encoded before anything is written, so a result that cannot be
     * encoded leaves the message as it was (and the caller adds its failure instead).
     *
     * @throws RuntimeException if {@code result} cannot be encoded
     */
    DoneBuilder ok(Object result) {
        if (result instanceof Integer || result instanceof Long) {
            out.u8(Wire.OK).item(result, "the result of a pool task"); // written in place; cannot fail
        } else {
            byte[] encoded = ItemCodec.encodeEmbedded(result, "the result of a pool task");
            out.u8(Wire.OK).bytes(encoded);
        }
        added++;
        return this;
    }

    /** Adds a failure: {@code throwable} Java-serialized. */
    DoneBuilder threw(byte[] throwable) {
        out.u8(Wire.THREW).bytes(throwable);
        added++;
        return this;
    }

    byte[] build() {
        if (added != count) {
            throw new IllegalStateException("a DONE of " + count + " items has " + added + " outcomes");
        }
        return out.toBytes();
    }
}
