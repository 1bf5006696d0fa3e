package org.multiprocessing4j.internal.jfr;

import java.util.Optional;

/**
 * Records the library's events. The only class that names them: call it only when {@link
 * Jfr#on()} said yes. Events that span a wait are handed out as {@code Object}, so that callers
 * name no event class either.
 */
public final class JfrEvents {
    private static final String API_PACKAGE = "org.multiprocessing4j";
    private static final String INTERNAL_PREFIX = "org.multiprocessing4j.internal.";
    private static final StackWalker WALKER = StackWalker.getInstance();

    private JfrEvents() {
    }

    /** A process start begins; pass the result to {@link #processStarted}. */
    public static Object processStarting() {
        ProcessStartEvent e = new ProcessStartEvent();
        e.begin();
        return e;
    }

    /** The start that {@link #processStarting} began has handed the child its process. */
    public static void processStarted(Object starting, String name, long pid, String startMethod) {
        ProcessStartEvent e = (ProcessStartEvent) starting;
        e.end();
        if (e.shouldCommit()) {
            e.processName = name;
            e.pid = pid;
            e.startMethod = startMethod;
            e.commit();
        }
    }

    /** A child has ended, {@code runNanos} after its start, with {@code exitCode} (-N: signal N). */
    public static void processEnded(String name, long pid, int exitCode, String signal, long runNanos) {
        ProcessEndEvent e = new ProcessEndEvent();
        if (e.shouldCommit()) {
            e.processName = name;
            e.pid = pid;
            e.exitCode = exitCode;
            e.signal = signal;
            e.runTime = runNanos;
            e.commit();
        }
    }

    /** A pool task's result came back. */
    public static void poolTask(String task, int items, int failed, long workerPid, long queueWaitNanos,
                                long runNanos) {
        PoolTaskEvent e = new PoolTaskEvent();
        if (e.shouldCommit()) {
            e.task = task;
            e.items = items;
            e.failed = failed;
            e.outcome = failed == 0 ? "completed" : failed + " of " + items + " threw";
            e.workerPid = workerPid;
            e.queueWait = queueWaitNanos;
            e.runTime = runNanos;
            e.commit();
        }
    }

    /** A pool's worker died; {@code task} is what it was running, or null. */
    public static void workerDied(long pid, int exitCode, String task, boolean timedOut) {
        WorkerDeathEvent e = new WorkerDeathEvent();
        if (e.shouldCommit()) {
            e.workerPid = pid;
            e.exitCode = exitCode;
            e.task = task;
            e.timedOut = timedOut;
            e.commit();
        }
    }

    /** A thread took {@code lock} over from the process {@code deadHolderPid}, which died holding it. */
    public static void lockTakenOver(String lock, long deadHolderPid) {
        LockTakenOverEvent e = new LockTakenOverEvent();
        if (e.shouldCommit()) {
            e.lock = lock;
            e.deadHolderPid = deadHolderPid;
            e.commit();
        }
    }

    /** A thread begins to sleep in a wait; pass the result to {@link #waitEnded}. */
    public static Object waitBegins() {
        WaitEvent e = new WaitEvent();
        e.begin();
        return e;
    }

    /**
     * The wait that {@link #waitBegins} began is over: recorded if it passed the threshold and
     * the application waited, not one of the library's own threads.
     */
    public static void waitEnded(Object waiting) {
        WaitEvent e = (WaitEvent) waiting;
        e.end();
        if (!e.shouldCommit()) {
            return;
        }
        String operation = applicationsOperation();
        if (operation != null) {
            e.operation = operation;
            e.commit();
        }
    }

    /**
     * The public method the wait is in ({@code ProcessQueue.take}), if the application called it;
     * null if the library did (its pool workers and collectors wait on queues too).
     */
    private static String applicationsOperation() {
        Optional<String> op = WALKER.walk(frames -> {
            StackWalker.StackFrame[] api = new StackWalker.StackFrame[1];
            return frames.dropWhile(f -> !isApi(f.getClassName()))
                    .peek(f -> {
                        if (isApi(f.getClassName())) {
                            api[0] = f; // the outermost: JoinableProcessQueue.take, not what it calls
                        }
                    })
                    .dropWhile(f -> isApi(f.getClassName()))
                    .findFirst()
                    .filter(caller -> !caller.getClassName().startsWith(INTERNAL_PREFIX))
                    .map(caller -> simpleName(api[0].getClassName()) + "." + api[0].getMethodName());
        });
        return op.orElse(null);
    }

    private static boolean isApi(String className) {
        int dot = className.lastIndexOf('.');
        return dot > 0 && className.substring(0, dot).equals(API_PACKAGE);
    }

    private static String simpleName(String className) {
        String simple = className.substring(className.lastIndexOf('.') + 1);
        int nested = simple.indexOf('$');
        return nested < 0 ? simple : simple.substring(0, nested);
    }
}
