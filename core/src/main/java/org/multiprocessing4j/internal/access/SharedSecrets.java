package org.multiprocessing4j.internal.access;

import org.multiprocessing4j.JvmProcess;
import org.multiprocessing4j.ProcessPool;
import org.multiprocessing4j.ProcessQueue;

/**
 * The one way the library's internals reach what its public classes do not make public (a
 * constructor, a field), in the manner of the JDK's {@code jdk.internal.access.SharedSecrets}.
 *
 * <p>Each public class that has such members implements one small interface here and hands an
 * instance to its setter from its own static initializer. The shared objects, whose constructors
 * are spread over a dozen public classes, share one: {@link SharedObjectAccess}, set by the
 * package-private class of theirs that also rebuilds them from their handles. A getter that
 * finds nothing set yet initializes that class (which runs the setter) and so never returns
 * null. Setters are called once per class, by that class only; getters may be called from any
 * thread.
 */
public final class SharedSecrets {
    // Volatile: a getter may run on another thread than the class initializer that set the
    // field, and reads it without the class-initialization lock when it is already set.
    private static volatile JvmProcessAccess jvmProcessAccess;
    private static volatile PoolAccess poolAccess;
    private static volatile ProcessQueueAccess processQueueAccess;
    private static volatile SharedObjectAccess sharedObjectAccess;
    /** The class that sets {@link #sharedObjectAccess}: package-private, so named here. */
    private static final String SHARED_OBJECT_CLASS = "org.multiprocessing4j.Facade";

    private SharedSecrets() {
    }

    /** Called once, by {@code JvmProcess}'s static initializer. */
    public static void setJvmProcessAccess(JvmProcessAccess access) {
        jvmProcessAccess = access;
    }

    /** The access to {@code JvmProcess}, initializing that class first if need be. */
    public static JvmProcessAccess getJvmProcessAccess() {
        JvmProcessAccess access = jvmProcessAccess;
        if (access == null) {
            ensureInitialized(JvmProcess.class);
            access = notNull(jvmProcessAccess, JvmProcess.class.getName());
        }
        return access;
    }

    /** Called once, by {@code ProcessPool}'s static initializer. */
    public static void setPoolAccess(PoolAccess access) {
        poolAccess = access;
    }

    /** The access to the pool's exceptions, initializing {@code ProcessPool} first if need be. */
    public static PoolAccess getPoolAccess() {
        PoolAccess access = poolAccess;
        if (access == null) {
            ensureInitialized(ProcessPool.class);
            access = notNull(poolAccess, ProcessPool.class.getName());
        }
        return access;
    }

    /** Called once, by {@code ProcessQueue}'s static initializer. */
    public static void setProcessQueueAccess(ProcessQueueAccess access) {
        processQueueAccess = access;
    }

    /** The access to {@code ProcessQueue}, initializing that class first if need be. */
    public static ProcessQueueAccess getProcessQueueAccess() {
        ProcessQueueAccess access = processQueueAccess;
        if (access == null) {
            ensureInitialized(ProcessQueue.class);
            access = notNull(processQueueAccess, ProcessQueue.class.getName());
        }
        return access;
    }

    /** Called once, by the static initializer of {@code org.multiprocessing4j.Facade}. */
    public static void setSharedObjectAccess(SharedObjectAccess access) {
        sharedObjectAccess = access;
    }

    /** The access to the shared objects' constructors, initializing their class first if need be. */
    public static SharedObjectAccess getSharedObjectAccess() {
        SharedObjectAccess access = sharedObjectAccess;
        if (access == null) {
            ensureInitialized(SHARED_OBJECT_CLASS, SharedSecrets.class.getClassLoader());
            access = notNull(sharedObjectAccess, SHARED_OBJECT_CLASS);
        }
        return access;
    }

    /**
     * Runs {@code c}'s static initializer unless it has run. {@code Class.forName} rather than
     * {@code MethodHandles.Lookup.ensureInitialized}: a child takes this path as it starts, and
     * the method-handle machinery would cost it milliseconds to boot.
     */
    private static void ensureInitialized(Class<?> c) {
        ensureInitialized(c.getName(), c.getClassLoader());
    }

    /** Runs the static initializer of the class {@code name} of {@code loader} unless it has run. */
    private static void ensureInitialized(String name, ClassLoader loader) {
        try {
            Class.forName(name, true, loader);
        } catch (ClassNotFoundException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /**
     * Null only if this is called from within {@code owner}'s own static initializer, before
     * it set its access: a bug in the library, said clearly rather than as a later NPE.
     */
    private static <T> T notNull(T access, String owner) {
        if (access == null) {
            throw new IllegalStateException(owner + " has not set its access in SharedSecrets"
                    + " (called from its own static initializer?)");
        }
        return access;
    }
}
