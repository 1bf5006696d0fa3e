package org.multiprocessing4j.internal.runtime;

import java.util.Arrays;
import java.util.Optional;
import java.util.function.Supplier;
import org.multiprocessing4j.JvmProcess;
import org.multiprocessing4j.internal.access.SharedSecrets;
import org.multiprocessing4j.internal.launch.Handshake;
import org.multiprocessing4j.internal.log.LibraryLog;
import org.multiprocessing4j.spi.ProcessControl;

/**
 * Who this JVM is: its process object ({@code MainProcess} in a program's own JVM, the object
 * received from the parent in a child), its identity, name and daemon flag, and its parent.
 * {@link ChildBootstrap} sets these as the JVM becomes a child, before any user code runs;
 * anyone may read them, from any thread.
 */
public final class CurrentProcess {
    private static volatile int[] identity = new int[0];
    private static volatile boolean isChild;
    private static volatile boolean daemon;
    private static volatile String childName;
    private static volatile JvmProcess current;
    private static volatile JvmProcess parent;

    static {
        LibraryLog.setProcessNameSource(new CurrentName());
    }

    /** Names log lines after this process. A named class, not a lambda (see {@link ChildBootstrap}). */
    private static final class CurrentName implements Supplier<String> {
        @Override
        public String get() {
            return name();
        }
    }

    private CurrentProcess() {
    }

    /** Loads this class, which names the library's log lines after this process; otherwise does nothing. */
    static void install() {
        // Class initialization did the work.
    }

    /** The process object for this JVM: {@code MainProcess} unless this JVM is a child. */
    public static JvmProcess get() {
        JvmProcess c = current;
        if (c == null) {
            synchronized (CurrentProcess.class) {
                if (current == null) {
                    // In a child, only while its process object is being received.
                    current = SharedSecrets.getJvmProcessAccess().newView(name(), identity, daemon,
                            CurrentProcessControl.INSTANCE);
                }
                c = current;
            }
        }
        return c;
    }

    /** This process's name, as its process object gives it once there is one. */
    static String name() {
        JvmProcess c = current;
        if (c != null) {
            return c.getName();
        }
        return isChild ? childName : "MainProcess";
    }

    /** This JVM's parent process, in a child. */
    public static Optional<JvmProcess> parent() {
        return Optional.ofNullable(parent);
    }

    /** This process's identity: its parent's, then its own count there; empty in a program's own JVM. */
    static int[] identity() {
        return identity;
    }

    /** Whether this JVM is a daemon child, which may not have children. */
    static boolean isDaemon() {
        return daemon;
    }

    /** Marks this JVM as a child; false if it was already marked. */
    static boolean markChild() {
        if (isChild) {
            return false;
        }
        isChild = true;
        return true;
    }

    static boolean isChild() {
        return isChild;
    }

    /** Takes on who the handshake says this child is; {@code parentControl} stands for its parent. */
    static void enter(Handshake handshake, ProcessControl parentControl) {
        childName = handshake.name;
        identity = handshake.identity.clone();
        daemon = handshake.daemon;
        int[] parentIdentity = Arrays.copyOf(handshake.identity, Math.max(0, handshake.identity.length - 1));
        parent = SharedSecrets.getJvmProcessAccess().newView(handshake.parentName, parentIdentity, false,
                parentControl);
    }

    /** Makes the process object received from the parent the current process. */
    static void adopt(JvmProcess process) {
        SharedSecrets.getJvmProcessAccess().adoptAsCurrent(process, CurrentProcessControl.INSTANCE);
        current = process;
    }
}
