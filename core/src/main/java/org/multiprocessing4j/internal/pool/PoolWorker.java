package org.multiprocessing4j.internal.pool;

import java.util.HashMap;
import java.util.Map;
import org.multiprocessing4j.ProcessQueue;
import org.multiprocessing4j.RemoteThrowable;
import org.multiprocessing4j.SerializableBiFunction;
import org.multiprocessing4j.SerializableFunction;
import org.multiprocessing4j.SerializableRunnable;
import org.multiprocessing4j.internal.codec.Codec;
import org.multiprocessing4j.internal.codec.ItemCodec;

/**
 * What a pool worker process runs: the initializer, then messages from its own inbox
 * ({@link Wire}) until STOP, or until it has run {@code maxTasks} tasks. Every result (or the
 * throwable of a task that threw, or of a result that could not be encoded) goes back on the
 * pool's result queue in one DONE message per CALL.
 */
public final class PoolWorker implements SerializableRunnable {
    private static final long serialVersionUID = 1L;

    private final int id;
    private final ProcessQueue<byte[]> inbox;
    private final ProcessQueue<byte[]> results;
    private final SerializableRunnable initializer;
    private final boolean reportStarts;
    private final int maxTasks;

    PoolWorker(int id, ProcessQueue<byte[]> inbox, ProcessQueue<byte[]> results, SerializableRunnable initializer,
               boolean reportStarts, int maxTasks) {
        this.id = id;
        this.inbox = inbox;
        this.results = results;
        this.initializer = initializer;
        this.reportStarts = reportStarts;
        this.maxTasks = maxTasks;
    }

    @Override
    public void run() {
        try {
            serve();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void serve() throws InterruptedException {
        if (initializer != null) {
            try {
                initializer.run();
            } catch (Throwable t) {
                results.put(new Wire.Writer(64).op(Wire.DONE).i32(id).i64(PoolEngine.INITIALIZER_TASK).i32(1)
                        .status(Wire.THREW).bytes(encodeThrowable(t)).toBytes());
                return;
            }
        }
        results.put(new Wire.Writer(8).op(Wire.READY).i32(id).toBytes());
        Map<Integer, Object> functions = new HashMap<>();
        Map<java.nio.ByteBuffer, Object> stateless = new java.util.LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<java.nio.ByteBuffer, Object> eldest) {
                return size() > 64;
            }
        };
        Map<Integer, Throwable> undecodable = new HashMap<>();
        long done = 0;
        while (true) {
            Wire.Reader r = new Wire.Reader(inbox.take());
            switch (r.op()) {
                case Wire.DEFINE: {
                    int fnId = r.i32();
                    byte[] bytes = r.bytes();
                    try {
                        functions.put(fnId, Codec.defaultCodec().decode(bytes));
                    } catch (Exception | LinkageError e) {
                        undecodable.put(fnId, new IllegalStateException("the pool worker could not decode the task's"
                                + " code (is its class on the worker's class path?): " + e, e));
                    }
                    break;
                }
                case Wire.FORGET: {
                    int fnId = r.i32();
                    functions.remove(fnId);
                    undecodable.remove(fnId);
                    break;
                }
                case Wire.STOP:
                    return;
                case Wire.RUN: {
                    long taskId = r.i64();
                    byte[] code = r.bytes();
                    if (reportStarts) {
                        results.put(new Wire.Writer(24).op(Wire.STARTED).i32(id).i64(taskId).toBytes());
                    }
                    Wire.Writer out = new Wire.Writer(48).op(Wire.DONE).i32(id).i64(taskId).i32(1);
                    byte[] encoded;
                    byte status = Wire.OK;
                    try {
                        Object task = stateless.get(java.nio.ByteBuffer.wrap(code));
                        if (task == null) {
                            try {
                                task = Codec.defaultCodec().decode(code);
                            } catch (Exception | LinkageError e) {
                                throw new IllegalStateException("the pool worker could not decode the task (is its"
                                        + " class on the worker's class path?): " + e, e);
                            }
                            if (hasNoState(task)) {
                                // The same bytes make the same object, and one without fields cannot
                                // change: decode it once (a lambda decodes in microseconds, not nanoseconds).
                                stateless.put(java.nio.ByteBuffer.wrap(code), task);
                            }
                        }
                        encoded = ItemCodec.encodeEmbedded(invoke(task, 0, null, null), "the result of a pool task");
                    } catch (Throwable t) {
                        status = Wire.THREW;
                        encoded = encodeThrowable(t);
                    }
                    results.put(out.status(status).bytes(encoded).toBytes());
                    done++;
                    if (maxTasks > 0 && done >= maxTasks) {
                        return;
                    }
                    break;
                }
                case Wire.CALL: {
                    long taskId = r.i64();
                    int fnId = r.i32();
                    int arity = r.i32();
                    int count = r.i32();
                    if (reportStarts) {
                        results.put(new Wire.Writer(24).op(Wire.STARTED).i32(id).i64(taskId).toBytes());
                    }
                    Object fn = functions.get(fnId);
                    Throwable missing = fn != null ? null : undecodable.getOrDefault(fnId,
                            new IllegalStateException("the pool worker has no function " + fnId));
                    Wire.Writer out = new Wire.Writer(32 + 16 * count).op(Wire.DONE).i32(id).i64(taskId).i32(count);
                    for (int k = 0; k < count; k++) {
                        // Read both fields first: whatever happens to this item, the next starts after them.
                        int aAt = arity >= 1 ? r.field() : 0;
                        int aLength = r.lastLength;
                        int bAt = arity >= 2 ? r.field() : 0;
                        int bLength = r.lastLength;
                        if (missing != null) {
                            out.status(Wire.THREW).bytes(encodeThrowable(missing));
                            continue;
                        }
                        try {
                            Object a = arity >= 1 ? ItemCodec.decodeEmbedded(r.buf, aAt, aLength) : null;
                            Object b = arity >= 2 ? ItemCodec.decodeEmbedded(r.buf, bAt, bLength) : null;
                            Object result = invoke(fn, arity, a, b);
                            if (result instanceof Integer || result instanceof Long) {
                                out.status(Wire.OK).item(result, "the result of a pool task");
                            } else {
                                // Encoded before anything is written: a result that fails is wholly absent.
                                byte[] encoded = ItemCodec.encodeEmbedded(result, "the result of a pool task");
                                out.status(Wire.OK).bytes(encoded);
                            }
                        } catch (Throwable t) {
                            out.status(Wire.THREW).bytes(encodeThrowable(t));
                        }
                    }
                    results.put(out.toBytes());
                    done += count;
                    if (maxTasks > 0 && done >= maxTasks) {
                        return;
                    }
                    break;
                }
                default:
                    throw new IllegalStateException("pool worker got an unknown message " + r.buf[0]);
            }
        }
    }

    /** Whether {@code o}'s class and its superclasses have no instance fields. */
    private static boolean hasNoState(Object o) {
        for (Class<?> c = o.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (java.lang.reflect.Field f : c.getDeclaredFields()) {
                if (!java.lang.reflect.Modifier.isStatic(f.getModifiers())) {
                    return false;
                }
            }
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    private static Object invoke(Object fn, int arity, Object a, Object b) throws Exception {
        switch (arity) {
            case 0:
                return ((java.util.concurrent.Callable<Object>) fn).call();
            case 1:
                return ((SerializableFunction<Object, Object>) fn).apply(a);
            default:
                return ((SerializableBiFunction<Object, Object, Object>) fn).apply(a, b);
        }
    }

    /** The throwable itself if it serializes (stack trace included), else a stand-in. */
    static byte[] encodeThrowable(Throwable t) {
        byte[] bytes;
        try {
            bytes = Codec.defaultCodec().encode(t, "an exception");
        } catch (RuntimeException notSerializable) {
            bytes = Codec.defaultCodec().encode(RemoteThrowable.of(t), "an exception");
        }
        return bytes;
    }
}
