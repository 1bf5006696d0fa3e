package org.multiprocessing4j.internal.pool;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.multiprocessing4j.SerializableCallable;
import org.multiprocessing4j.internal.codec.Codec;

/**
 * One task of a pool whose chunks run elsewhere ({@link RemoteEngine}): the task's message (a
 * RUN, or a CALL with the job's function) as the driver's engine made it, run by a worker of a
 * pool on another machine as an ordinary callable, returning the DONE message the driver's
 * engine decodes. The function is decoded in that worker, never by the node that relays it.
 */
public final class ChunkCall implements SerializableCallable<byte[]> {
    private static final long serialVersionUID = 1L;
    /** Functions decoded in this worker, by their bytes: a map's chunks share one function. */
    private static final Map<ByteBuffer, Object> FUNCTIONS = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteBuffer, Object> eldest) {
            return size() > 16;
        }
    };

    private final byte[] function;
    private final byte[] message;

    /** A chunk: {@code message} (RUN or CALL) and, for a CALL, the job's encoded {@code function}. */
    public ChunkCall(byte[] function, byte[] message) {
        this.function = function;
        this.message = message;
    }

    /** {@value #NODE_PROPERTY}: the name of the node whose pool this worker is in, set by its agent. */
    public static final String NODE_PROPERTY = "multiprocessing4j.cluster.node";

    static String where() {
        String node = System.getProperty(NODE_PROPERTY);
        return node == null ? "" : " on node '" + node + "'";
    }

    @Override
    public byte[] call() {
        PoolMessage m = PoolMessage.read(message);
        if (m instanceof PoolMessage.Run run) {
            synchronized (FUNCTIONS) {
                return PoolWorker.runRun(0, run, FUNCTIONS);
            }
        }
        PoolMessage.Call call = (PoolMessage.Call) m;
        Object fn;
        Throwable missing = null;
        synchronized (FUNCTIONS) {
            ByteBuffer key = ByteBuffer.wrap(function);
            fn = FUNCTIONS.get(key);
            if (fn == null) {
                try {
                    fn = Codec.defaultCodec().decode(function);
                    FUNCTIONS.put(key, fn);
                } catch (Exception | LinkageError e) {
                    missing = new IllegalStateException("the pool worker" + where() + " could not decode the task's code"
                            + " (every node needs the application's classes on its class path): " + e, e);
                }
            }
        }
        return PoolWorker.runCall(0, call, fn, missing);
    }
}
