package org.multiprocessing4j.internal.pool;

import java.util.Arrays;

/**
 * One message between a pool and its workers, read into a typed record ({@link #read}) or made
 * from one ({@link #toBytes}); the layouts are in {@link Wire}. A CALL is made with
 * {@link CallBuilder} and a DONE with {@link DoneBuilder}, which stream their items into the
 * message; every other kind with its record.
 *
 * <p>{@link #read} checks the whole message before it returns: a message cut short, with an
 * unknown op, a negative length, an impossible count or bytes left over is refused with an
 * {@link IllegalArgumentException} naming what is wrong, never read past or half-used.
 */
sealed interface PoolMessage {
    /** The message in its travelling form. */
    byte[] toBytes();

    /**
     * Reads and checks one message.
     *
     * @throws IllegalArgumentException if it is not a whole, well-formed pool message
     */
    static PoolMessage read(byte[] message) {
        if (message.length == 0) {
            throw new IllegalArgumentException("malformed pool message: it is empty");
        }
        // Each record's fields are read (the arguments, left to right) before end() checks that
        // nothing is left over.
        switch (message[0]) {
            case Wire.DEFINE: {
                Wire.Reader r = new Wire.Reader(message, "DEFINE");
                return r.end(new Define(r.i32("fnId"), r.bytes("code")));
            }
            case Wire.FORGET: {
                Wire.Reader r = new Wire.Reader(message, "FORGET");
                return r.end(new Forget(r.i32("fnId")));
            }
            case Wire.CALL:
                return Call.read(new Wire.Reader(message, "CALL"));
            case Wire.RUN: {
                Wire.Reader r = new Wire.Reader(message, "RUN");
                return r.end(new Run(r.i64("taskId"), r.bytes("callable")));
            }
            case Wire.STOP:
                return new Wire.Reader(message, "STOP").end(new Stop());
            case Wire.DONE:
                return Done.read(new Wire.Reader(message, "DONE"));
            case Wire.READY: {
                Wire.Reader r = new Wire.Reader(message, "READY");
                return r.end(new Ready(r.i32("worker")));
            }
            case Wire.STARTED: {
                Wire.Reader r = new Wire.Reader(message, "STARTED");
                return r.end(new Started(r.i32("worker"), r.i64("taskId")));
            }
            case Wire.ASIDE:
                return new Wire.Reader(message, "ASIDE").end(new Aside());
            case Wire.DIED: {
                Wire.Reader r = new Wire.Reader(message, "DIED");
                return r.end(new Died(r.i32("worker"), r.i32("exitCode")));
            }
            default:
                throw new IllegalArgumentException("malformed pool message (" + message.length + " bytes): unknown op "
                        + message[0]);
        }
    }

    /** To a worker: keep {@code code} (a Java-serialized function) as function {@code functionId}. */
    record Define(int functionId, byte[] code) implements PoolMessage {
        @Override
        public byte[] toBytes() {
            return new Wire.Writer(16 + code.length).u8(Wire.DEFINE).i32(functionId).bytes(code).toBytes();
        }
    }

    /** To a worker: function {@code functionId} is no longer needed. */
    record Forget(int functionId) implements PoolMessage {
        @Override
        public byte[] toBytes() {
            return new Wire.Writer(8).u8(Wire.FORGET).i32(functionId).toBytes();
        }
    }

    /**
     * To a worker: apply function {@code functionId} to each of {@code items()} argument tuples
     * of {@code arity} arguments; made with {@link CallBuilder}.
     *
     * @param arguments {@code arity × items()} encoded arguments, tuple after tuple
     */
    record Call(long taskId, int functionId, int arity, Fields arguments) implements PoolMessage {
        /** The number of argument tuples: the items of the chunk. */
        int items() {
            return arguments.size() / arity;
        }

        @Override
        public byte[] toBytes() {
            return arguments.message();
        }

        private static Call read(Wire.Reader r) {
            long taskId = r.i64("taskId");
            int functionId = r.i32("fnId");
            int arity = r.i32("arity");
            if (arity < 1 || arity > 2) {
                throw r.malformed("arity " + arity + ": a function takes 1 or 2 arguments");
            }
            int count = r.i32("count");
            // Each argument takes at least its 4-byte length: a garbage count fails here, before
            // anything the size of that count is made.
            if (count < 0 || (long) count * arity * 4 > r.remaining()) {
                throw r.malformed("count " + count + " of arity " + arity + " does not fit in the "
                        + r.remaining() + " bytes left");
            }
            int[] at = new int[count * arity];
            for (int k = 0; k < at.length; k++) {
                at[k] = r.field("argument", k);
            }
            return r.end(new Call(taskId, functionId, arity, new Fields(r.buf, at, null)));
        }
    }

    /** To a worker: run {@code callable}, a Java-serialized {@code SerializableCallable}. */
    record Run(long taskId, byte[] callable) implements PoolMessage {
        @Override
        public byte[] toBytes() {
            return new Wire.Writer(16 + callable.length).u8(Wire.RUN).i64(taskId).bytes(callable).toBytes();
        }
    }

    /** To a worker: finish and exit. */
    record Stop() implements PoolMessage {
        @Override
        public byte[] toBytes() {
            return new byte[] {Wire.STOP};
        }
    }

    /**
     * To the pool's collector, from the pool itself: a caller waiting for a result reads the
     * result queue now, so step aside (see {@code PoolEngine.collectWhileWaiting}).
     */
    record Aside() implements PoolMessage {
        @Override
        public byte[] toBytes() {
            return new byte[] {Wire.ASIDE};
        }
    }

    /**
     * To the pool: the outcomes of task {@code taskId}, one per item, each with a status
     * ({@link Wire#OK}: an encoded result; {@link Wire#THREW}: a Java-serialized throwable); made
     * with {@link DoneBuilder}. Task {@link Wire#INITIALIZER_TASK} reports the initializer's
     * failure.
     */
    record Done(int worker, long taskId, Fields outcomes) implements PoolMessage {
        @Override
        public byte[] toBytes() {
            return outcomes.message();
        }

        private static Done read(Wire.Reader r) {
            int worker = r.i32("worker");
            long taskId = r.i64("taskId");
            int count = r.i32("count");
            // Each outcome takes at least a status byte and a 4-byte length.
            if (count < 0 || (long) count * 5 > r.remaining()) {
                throw r.malformed("count " + count + " does not fit in the " + r.remaining() + " bytes left");
            }
            int[] at = new int[count];
            byte[] status = new byte[count];
            for (int k = 0; k < count; k++) {
                status[k] = r.u8("status", k);
                if (status[k] != Wire.OK && status[k] != Wire.THREW) {
                    throw r.malformed("status " + k + " is " + status[k] + ", neither OK nor THREW");
                }
                at[k] = r.field("outcome", k);
            }
            return r.end(new Done(worker, taskId, new Fields(r.buf, at, status)));
        }
    }

    /** To the pool: worker {@code worker} ran its initializer; its tasks from now on are really run. */
    record Ready(int worker) implements PoolMessage {
        @Override
        public byte[] toBytes() {
            return new Wire.Writer(8).u8(Wire.READY).i32(worker).toBytes();
        }
    }

    /** To the pool: worker {@code worker} starts task {@code taskId} (sent only when tasks have a time limit). */
    record Started(int worker, long taskId) implements PoolMessage {
        @Override
        public byte[] toBytes() {
            return new Wire.Writer(16).u8(Wire.STARTED).i32(worker).i64(taskId).toBytes();
        }
    }

    /** To the pool, from its own watcher thread: worker {@code worker}'s JVM ended with {@code exitCode}. */
    record Died(int worker, int exitCode) implements PoolMessage {
        @Override
        public byte[] toBytes() {
            return new Wire.Writer(16).u8(Wire.DIED).i32(worker).i32(exitCode).toBytes();
        }
    }

    /**
     * The length-prefixed fields of a CALL (its arguments) or a DONE (its outcomes, each with a
     * status), found and bounds-checked when the message was read. A field is used in place, as
     * {@code (message(), at(k), length(k))}: no array per item.
     */
    final class Fields {
        private final byte[] message;
        private final int[] at;
        private final byte[] status;

        Fields(byte[] message, int[] at, byte[] status) {
            this.message = message;
            this.at = at;
            this.status = status;
        }

        /** The whole message the fields are in. */
        byte[] message() {
            return message;
        }

        int size() {
            return at.length;
        }

        /** The offset of field {@code k}'s first byte in {@link #message()}. */
        int at(int k) {
            return at[k];
        }

        int length(int k) {
            return Wire.lengthOfFieldAt(message, at[k]);
        }

        /** The status of outcome {@code k} of a DONE. */
        byte status(int k) {
            return status[k];
        }

        /** A copy of field {@code k}'s bytes. */
        byte[] copy(int k) {
            return Arrays.copyOfRange(message, at[k], at[k] + length(k));
        }
    }
}
