package org.multiprocessing4j;

/**
 * The worker process of a {@link ProcessPool} ended while it held this task (it had taken it
 * from its inbox and not answered): killed from outside, {@code System.exit}, a crash of the JVM
 * or of native code. Only this task fails; the pool starts a replacement worker and goes on with
 * the others. The cause, if any, is what ended the worker's thread.
 */
public final class WorkerDiedException extends TaskFailedException {
    private static final long serialVersionUID = 1L;

    private final long pid;
    private final int exitCode;

    WorkerDiedException(String task, long pid, int exitCode, Throwable cause) {
        super(task, "the worker process (pid " + pid + ") ended with " + describe(exitCode) + " while it held " + task
                + (cause != null ? ", after its thread threw " + cause : ""), cause);
        this.pid = pid;
        this.exitCode = exitCode;
    }

    /** A worker elsewhere (on a cluster node) was lost while it held {@code task}, as {@code cause} says. */
    WorkerDiedException(String task, Throwable cause) {
        super(task, "the worker that held " + task + " was lost: " + cause.getMessage(), cause);
        this.pid = -1;
        this.exitCode = -9;
    }

    private static String describe(int exitCode) {
        return exitCode < 0 ? "signal " + -exitCode + " (exit code " + exitCode + ")" : "exit code " + exitCode;
    }

    /** The pid of the worker that died; -1 if it ran on another machine and was lost with it. */
    public long pid() {
        return pid;
    }

    /** The worker's exit code as {@link JvmProcess#exitCode()} gives it: −N for death by signal N. */
    public int exitCode() {
        return exitCode;
    }
}
