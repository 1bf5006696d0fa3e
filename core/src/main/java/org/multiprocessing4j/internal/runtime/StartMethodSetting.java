package org.multiprocessing4j.internal.runtime;

import org.multiprocessing4j.StartMethod;
import java.util.Collections;
import org.multiprocessing4j.internal.launch.ChildClassPath;
import org.multiprocessing4j.internal.launch.ForkServerLauncher;

/**
 * This JVM's default start method: {@code -Dmultiprocessing4j.startMethod}, or what
 * {@code setStartMethod} set, or (in a child) the parent's. As in Python, it is fixed once a
 * process has been started or the method asked for: from then on only a forced set changes it.
 * Thread-safe.
 */
public final class StartMethodSetting {
    private static final String PROPERTY = "multiprocessing4j.startMethod";
    private static final Object LOCK = new Object();
    private static StartMethod method; // guarded by LOCK; null until set or fixed

    private StartMethodSetting() {
    }

    /**
     * The default start method. {@code fix}: from now on it can only be changed by force.
     *
     * @throws IllegalArgumentException if the system property names no start method
     */
    public static StartMethod get(boolean fix) {
        synchronized (LOCK) {
            if (method != null) {
                return method;
            }
            String configured = System.getProperty(PROPERTY);
            StartMethod m;
            try {
                m = configured == null || configured.isBlank() ? StartMethod.SPAWN : StartMethod.fromName(configured);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("bad -D" + PROPERTY + ": " + e.getMessage(), e);
            }
            if (fix) {
                method = m;
            }
            return m;
        }
    }

    /**
     * Sets the default start method.
     *
     * @throws IllegalStateException if it was set or fixed before and {@code force} is false
     */
    public static void set(StartMethod m, boolean force) {
        synchronized (LOCK) {
            if (method != null && !force) {
                throw new IllegalStateException("the start method has already been set (to " + method
                        + ", by an earlier setStartMethod, getStartMethod or start()):"
                        + " use setStartMethod(method, true) to change it anyway");
            }
            method = m;
        }
    }

    /**
     * Gets {@code m} ready for a first start: boots an idle JVM for the forkserver, unless this
     * JVM may not start children (it is a daemon, or shutting down).
     */
    public static void prepare(StartMethod m) {
        if (m == StartMethod.FORKSERVER && JvmShutdown.acceptsChildren() && !CurrentProcess.isDaemon()) {
            JvmShutdown.noteForkServerUsed();
            ForkServerLauncher.INSTANCE.prestart(
                    ChildClassPath.of(Collections.singleton(Thread.currentThread().getContextClassLoader())));
        }
    }
}
