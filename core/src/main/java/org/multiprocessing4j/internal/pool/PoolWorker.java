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
 * ({@link PoolMessage}) until STOP, or until it has run {@code maxTasks} tasks. Every result (or the
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
                results.put(DoneBuilder.initializerFailed(id, encodeThrowable(t)));
                return;
            }
        }
        results.put(new PoolMessage.Ready(id).toBytes());
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
            PoolMessage message = PoolMessage.read(inbox.take());
            if (message instanceof PoolMessage.Define define) {
                try {
                    functions.put(define.functionId(), Codec.defaultCodec().decode(define.code()));
                } catch (Exception | LinkageError e) {
                    undecodable.put(define.functionId(), new IllegalStateException("the pool worker could not decode"
                            + " the task's code (is its class on the worker's class path?): " + e, e));
                }
            } else if (message instanceof PoolMessage.Forget forget) {
                functions.remove(forget.functionId());
                undecodable.remove(forget.functionId());
            } else if (message instanceof PoolMessage.Stop) {
                return;
            } else if (message instanceof PoolMessage.Run run) {
                reportStart(run.taskId());
                results.put(runRun(id, run, stateless));
                done++;
            } else if (message instanceof PoolMessage.Call call) {
                reportStart(call.taskId());
                Object fn = functions.get(call.functionId());
                Throwable missing = fn != null ? null : undecodable.getOrDefault(call.functionId(),
                        new IllegalStateException("the pool worker has no function " + call.functionId()));
                results.put(runCall(id, call, fn, missing));
                done += call.items();
            } else {
                throw new IllegalStateException("pool worker got a message for the pool: " + message);
            }
            if (maxTasks > 0 && done >= maxTasks) {
                return;
            }
        }
    }

    /**
     * Runs a CALL: {@code fn} on each of its items, or {@code missing} as the failure of each
     * when the function could not be had. Returns the DONE message.
     */
    static byte[] runCall(int workerId, PoolMessage.Call call, Object fn, Throwable missing) {
        int arity = call.arity();
        int count = call.items();
        PoolMessage.Fields args = call.arguments();
        DoneBuilder out = new DoneBuilder(workerId, call.taskId(), count);
        for (int k = 0; k < count; k++) {
            if (missing != null) {
                out.threw(encodeThrowable(missing));
                continue;
            }
            try {
                int first = k * arity;
                Object a = ItemCodec.decodeEmbedded(args.message(), args.at(first), args.length(first));
                Object b = arity >= 2
                        ? ItemCodec.decodeEmbedded(args.message(), args.at(first + 1), args.length(first + 1))
                        : null;
                // A result that cannot be encoded adds nothing: its failure is added instead.
                out.ok(invoke(fn, arity, a, b));
            } catch (Throwable t) {
                out.threw(encodeThrowable(t));
            }
        }
        return out.build();
    }

    /** Runs a RUN: its callable. Returns the DONE message. */
    static byte[] runRun(int workerId, PoolMessage.Run run, Map<java.nio.ByteBuffer, Object> stateless) {
        DoneBuilder out = new DoneBuilder(workerId, run.taskId(), 1);
        try {
            out.ok(invoke(callable(run.callable(), stateless), 0, null, null));
        } catch (Throwable t) {
            out.threw(encodeThrowable(t));
        }
        return out.build();
    }

    /** Tells the pool that a task starts now, when tasks have a time limit (the clock starts here). */
    private void reportStart(long taskId) throws InterruptedException {
        if (reportStarts) {
            results.put(new PoolMessage.Started(id, taskId).toBytes());
        }
    }

    /**
     * The callable of a RUN. One without fields is kept by its bytes: the same bytes make the
     * same object, and one without fields cannot change, so it is decoded once (a lambda
     * decodes in microseconds, not nanoseconds).
     */
    static Object callable(byte[] code, Map<java.nio.ByteBuffer, Object> stateless) {
        Object task = stateless.get(java.nio.ByteBuffer.wrap(code));
        if (task == null) {
            try {
                task = Codec.defaultCodec().decode(code);
            } catch (Exception | LinkageError e) {
                throw new IllegalStateException("the pool worker" + ChunkCall.where() + " could not decode the task"
                        + " (is its class on the worker's class path?): " + e, e);
            }
            if (hasNoState(task)) {
                stateless.put(java.nio.ByteBuffer.wrap(code), task);
            }
        }
        return task;
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
