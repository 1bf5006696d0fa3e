package org.multiprocessing4j.internal.manager;

import java.io.Serializable;
import org.multiprocessing4j.SerializableSupplier;

/**
 * What a typeid stands for: the interface its proxies implement, the factory the server calls
 * to make each object, whether the server runs one call at a time on an object (the built-in
 * list, which is not thread-safe by itself), and whether it is built in (the results of a
 * custom type's methods that are of a registered interface stay in the server as proxies; a
 * built-in type's results, such as a list's {@code subList}, travel as copies).
 */
public record Registration(String typeid, Class<?> iface, SerializableSupplier<?> factory, boolean oneCallAtATime,
                           boolean builtIn)
        implements Serializable {
}
