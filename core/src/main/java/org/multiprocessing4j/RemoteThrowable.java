package org.multiprocessing4j;

import java.util.Objects;

/**
 * A stand-in for a throwable that was thrown in another process and could not be recreated
 * here with its own class: its class is missing from this JVM, or it (or its cause) is not
 * serializable.
 *
 * <p>It carries the original class name ({@link #getRemoteClassName()}), message, stack trace
 * and cause chain, so {@code printStackTrace()} reads like the original:
 * {@code com.example.NativeError: boom} followed by the child's frames.
 */
public final class RemoteThrowable extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private static final int MAX_CAUSE_DEPTH = 16;

    /** The binary name of the class of the throwable this stands for. */
    private final String remoteClassName;

    /**
     * Creates a stand-in.
     *
     * @param remoteClassName the binary name of the original throwable's class
     * @param message the original message, may be {@code null}
     * @param stackTrace the original stack trace
     * @param cause a stand-in for the original cause, may be {@code null}
     */
    public RemoteThrowable(String remoteClassName, String message, StackTraceElement[] stackTrace,
                           RemoteThrowable cause) {
        super(message, cause);
        this.remoteClassName = Objects.requireNonNull(remoteClassName, "remoteClassName");
        setStackTrace(Objects.requireNonNull(stackTrace, "stackTrace"));
    }

    /**
     * Makes a stand-in for {@code original}, its cause chain and its suppressed throwables.
     * Safe to call from any thread; it only reads the throwable.
     *
     * @param original the throwable to describe
     * @return a stand-in carrying the original's class name, message and stack trace
     */
    public static RemoteThrowable of(Throwable original) {
        return of(Objects.requireNonNull(original, "original"), 0);
    }

    private static RemoteThrowable of(Throwable t, int depth) {
        if (t instanceof RemoteThrowable) {
            return (RemoteThrowable) t;
        }
        Throwable cause = t.getCause();
        RemoteThrowable causeStandIn = cause == null || cause == t || depth >= MAX_CAUSE_DEPTH
                ? null : of(cause, depth + 1);
        RemoteThrowable standIn = new RemoteThrowable(t.getClass().getName(), t.getMessage(),
                t.getStackTrace(), causeStandIn);
        for (Throwable suppressed : t.getSuppressed()) {
            if (depth < MAX_CAUSE_DEPTH) {
                standIn.addSuppressed(of(suppressed, depth + 1));
            }
        }
        return standIn;
    }

    /**
     * The binary class name of the throwable this stands for, for example
     * {@code com.example.NativeError}.
     *
     * @return the original class name
     */
    public String getRemoteClassName() {
        return remoteClassName;
    }

    /** Reads like the original: its class name, then its message. */
    @Override
    public String toString() {
        String message = getLocalizedMessage();
        return message == null ? remoteClassName : remoteClassName + ": " + message;
    }
}
