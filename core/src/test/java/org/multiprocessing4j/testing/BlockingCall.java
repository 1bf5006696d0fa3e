package org.multiprocessing4j.testing;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A call made in a thread of its own, to be interrupted while it blocks: how it ended (what it
 * returned or threw) and whether its thread's interrupt status was set right after it.
 */
public final class BlockingCall {
    /** How long a call is given to block, and then to end after its interrupt. */
    public static final Duration PATIENCE = Duration.ofSeconds(60);

    private final String what;
    private final Thread thread;
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile Object returned;
    private volatile Throwable thrown;
    private volatile boolean interruptedAfter;

    private BlockingCall(String what, Callable<?> call, boolean interruptFirst) {
        this.what = what;
        this.thread = new Thread(() -> {
            if (interruptFirst) {
                Thread.currentThread().interrupt();
            }
            try {
                returned = call.call();
            } catch (Throwable t) {
                thrown = t;
            } finally {
                interruptedAfter = Thread.currentThread().isInterrupted();
                ended.countDown();
            }
        }, "blocking-call " + what);
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts {@code call} in a new thread. */
    public static BlockingCall start(String what, Callable<?> call) {
        return new BlockingCall(what, call, false);
    }

    /** Starts {@code call} in a new thread whose interrupt status is set before the call. */
    public static BlockingCall startInterrupted(String what, Callable<?> call) {
        return new BlockingCall(what, call, true);
    }

    /** Starts {@code call}, waits until it blocks in {@code method}, interrupts it and waits for its end. */
    public static BlockingCall interruptWhileBlocked(String what, String method, Callable<?> call) {
        return start(what, call).awaitBlockedIn(method).interrupt().awaitEnd();
    }

    /** As {@link #startInterrupted}, waiting for the end. */
    public static BlockingCall callInterrupted(String what, Callable<?> call) {
        return startInterrupted(what, call).awaitEnd();
    }

    /**
     * Waits until the thread is inside a method named {@code method} and waiting there (parked,
     * in {@code Object.wait}, or in a native I/O wait such as a selector's), not merely running.
     */
    public BlockingCall awaitBlockedIn(String method) {
        Await.until(PATIENCE, what + " to block in " + method + "; its thread: " + stack(), () -> {
            if (ended.getCount() == 0) {
                throw new AssertionError(what + " ended instead of blocking: " + this);
            }
            StackTraceElement[] s = thread.getStackTrace();
            return s.length > 0 && Arrays.stream(s).anyMatch(f -> f.getMethodName().equals(method))
                    && isWaiting(thread.getState(), s[0]);
        });
        return this;
    }

    /**
     * Parked or waiting, or in a native call that waits for another party: a selector, a poll,
     * a read, an accept, a write to a full pipe. Not the short native calls of the library's own
     * work (writing a shared-memory file, ringing a doorbell), which are no wait.
     */
    private static boolean isWaiting(Thread.State state, StackTraceElement top) {
        if (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING) {
            return true;
        }
        String m = top.getMethodName();
        return top.isNativeMethod() && (m.contains("wait") || m.contains("poll") || m.startsWith("read")
                || m.startsWith("accept") || top.getClassName().equals("java.io.FileOutputStream"));
    }

    public BlockingCall interrupt() {
        thread.interrupt();
        return this;
    }

    /** Waits for the call to end, failing (with the thread's stack) if it does not within {@link #PATIENCE}. */
    public BlockingCall awaitEnd() {
        return awaitEnd(PATIENCE);
    }

    public BlockingCall awaitEnd(Duration timeout) {
        try {
            if (!ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(what + " did not end within " + timeout.toSeconds() + " s; its thread: "
                        + stack());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("the test thread was interrupted", e);
        }
        return this;
    }

    /** Whether the call has ended. */
    public boolean hasEnded() {
        return ended.getCount() == 0;
    }

    public Object returned() {
        return returned;
    }

    public Throwable thrown() {
        return thrown;
    }

    /** Whether the call threw an {@code InterruptedException}. */
    public boolean threwInterruptedException() {
        return thrown instanceof InterruptedException;
    }

    /** Whether the thread's interrupt status was set right after the call. */
    public boolean interruptedAfter() {
        return interruptedAfter;
    }

    /**
     * The call ended with an {@code InterruptedException} and, as Java's convention has it, the
     * interrupt status cleared (the exception carries the interrupt).
     */
    public BlockingCall assertThrewInterruptedException() {
        if (!threwInterruptedException() || interruptedAfter) {
            throw new AssertionError(what + " should have thrown InterruptedException and cleared the interrupt"
                    + " status: " + this, thrown);
        }
        return this;
    }

    /** The call returned (or threw something else) and the thread's interrupt status is still set. */
    public BlockingCall assertEndedKeepingInterrupt() {
        if (threwInterruptedException() || !interruptedAfter) {
            throw new AssertionError(what + " should have kept the interrupt status: " + this, thrown);
        }
        return this;
    }

    /** The call returned normally, with its thread's interrupt status still set. */
    public BlockingCall assertReturnedKeepingInterrupt() {
        if (thrown != null || !interruptedAfter) {
            throw new AssertionError(what + " should have returned keeping the interrupt status: " + this, thrown);
        }
        return this;
    }

    /**
     * The interrupt was kept one way or the other: an {@code InterruptedException} with the
     * status cleared, or a return with the status set. Returns whether it threw.
     */
    public boolean assertInterruptKept() {
        if (threwInterruptedException()) {
            assertThrewInterruptedException();
            return true;
        }
        assertReturnedKeepingInterrupt();
        return false;
    }

    private String stack() {
        return Arrays.stream(thread.getStackTrace()).map(f -> "\n\tat " + f).collect(Collectors.joining());
    }

    @Override
    public String toString() {
        if (!hasEnded()) {
            return what + " still running";
        }
        return what + (thrown != null ? " threw " + thrown : " returned " + returned)
                + ", interrupt status afterwards " + interruptedAfter;
    }
}
