package org.multiprocessing4j.internal.pool;

import org.multiprocessing4j.SerializableRunnable;
import org.multiprocessing4j.internal.codec.Codec;

/**
 * A pool initializer encoded by a driver, decoded and run by the worker of a pool on another
 * machine: the node that relays it never decodes it.
 */
public final class EncodedRunnable implements SerializableRunnable {
    private static final long serialVersionUID = 1L;
    private final byte[] code;

    public EncodedRunnable(byte[] code) {
        this.code = code;
    }

    @Override
    public void run() {
        Object r;
        try {
            r = Codec.defaultCodec().decode(code);
        } catch (Exception | LinkageError e) {
            throw new IllegalStateException("the pool worker could not decode the pool's initializer (is its class on"
                    + " the node's class path?): " + e, e);
        }
        ((SerializableRunnable) r).run();
    }
}
