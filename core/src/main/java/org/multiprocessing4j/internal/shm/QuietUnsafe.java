package org.multiprocessing4j.internal.shm;

import java.lang.reflect.Field;

/**
 * {@code sun.misc.Unsafe}, where using it is quiet: up to JDK 23. JDK 24 prints a warning on
 * the first use of its memory access (JEP 498) and later releases remove it, so from JDK 24 on
 * {@link #U} is null and its users take their portable way ({@code VarHandle}s, {@code /proc}).
 * {@code -Dmultiprocessing4j.unsafe=false} makes it null anywhere, to compare the two ways.
 *
 * <p>Why at all: a {@code VarHandle} access costs about a microsecond while its caller is still
 * interpreted, which is how a fresh child runs its first thousands of queue operations (see
 * {@link Words}); and the JDK does not tell the descriptor number behind a {@code FileChannel},
 * which {@code /proc/self/fd} then has to be searched for (see {@link ProcFds#fdOf}).
 */
final class QuietUnsafe {
    /** The instance, or null where it is not used. */
    static final sun.misc.Unsafe U = find();

    private QuietUnsafe() {
    }

    private static sun.misc.Unsafe find() {
        if (Runtime.version().feature() > 23 || "false".equals(System.getProperty("multiprocessing4j.unsafe"))) {
            return null;
        }
        try {
            Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            return (sun.misc.Unsafe) f.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // no such field, or access refused: the portable ways
        }
    }

    /** Where {@code c}'s instance field {@code name} is, or -1 if there is no such field or no {@link #U}. */
    static long fieldOffset(Class<?> c, String name) {
        if (U == null) {
            return -1;
        }
        try {
            return U.objectFieldOffset(c.getDeclaredField(name));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return -1;
        }
    }
}
