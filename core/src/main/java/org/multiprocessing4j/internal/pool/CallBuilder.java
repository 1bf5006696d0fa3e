package org.multiprocessing4j.internal.pool;

/**
 * A CALL message being built: one chunk of a map, as argument tuples for one function. A job
 * gets one from {@link Job#startCall}, adds its items with {@link #add} (arity 1) or
 * {@link #addPair} (arity 2) and makes its task with {@link Job#task(long, long, CallBuilder)}.
 * The builder counts the items and writes the count into the message itself. Not thread-safe:
 * one thread builds one message.
 */
public final class CallBuilder {
    private final Wire.Writer out;
    private final int arity;
    /** Where the item count goes, written as 0 until {@link #build()}. */
    private final int countAt;
    private int items;

    CallBuilder(long taskId, int functionId, int arity, int expectedItems) {
        if (arity < 1 || arity > 2) {
            throw new IllegalArgumentException("a pool function takes 1 or 2 arguments, not " + arity);
        }
        this.arity = arity;
        this.out = new Wire.Writer(32 + 10 * arity * expectedItems).u8(Wire.CALL).i64(taskId).i32(functionId)
                .i32(arity);
        this.countAt = out.size();
        out.i32(0);
    }

    /**
     * Adds the argument of one item (arity 1).
     *
     * @param what names the map in an error message
     * @throws RuntimeException if {@code argument} cannot be encoded; nothing is added then
     */
    public void add(Object argument, String what) {
        expectArity(1);
        out.item(argument, what);
        items++;
    }

    /**
     * Adds the two arguments of one item (arity 2): both, or neither if one cannot be encoded.
     *
     * @param what names the map in an error message
     * @throws RuntimeException if an argument cannot be encoded; nothing is added then
     */
    public void addPair(Object first, Object second, String what) {
        expectArity(2);
        int mark = out.size();
        try {
            out.item(first, what);
            out.item(second, what);
        } catch (RuntimeException e) {
            out.truncate(mark);
            throw e;
        }
        items++;
    }

    private void expectArity(int n) {
        if (arity != n) {
            throw new IllegalStateException("this CALL's function takes " + arity + " arguments, not " + n);
        }
    }

    /** The number of items added so far. */
    public int items() {
        return items;
    }

    /** The message, with its item count. */
    byte[] build() {
        out.patchI32(countAt, items);
        return out.toBytes();
    }
}
