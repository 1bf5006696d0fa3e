package org.multiprocessing4j.internal.manager;

import java.io.Serializable;
import org.multiprocessing4j.SerializableSupplier;

/**
 * What a typeid stands for: the interface its proxies implement, the factory the server calls
 * to make each object, and whether the server runs one call at a time on an object (the
 * built-in list, which is not thread-safe by itself).
 */
public record Registration(String typeid, Class<?> iface, SerializableSupplier<?> factory, boolean oneCallAtATime)
        implements Serializable {
}
