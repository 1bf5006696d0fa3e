package org.multiprocessing4j.internal.launch;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.internal.log.LibraryLog;

/**
 * The FORKSERVER start method: JVMs booted ahead of need, each handed to exactly one process.
 *
 * <p>An idle JVM runs the child bootstrap in warm mode: it has already booted the library and
 * the serialization and lambda machinery, and blocks reading its handshake. Handing it out is
 * writing that handshake. An idle JVM that has died (killed from outside) is dropped, never
 * handed out; one whose parent dies reads end-of-file and halts.
 *
 * <p>How many are kept: one at first; each start that finds none idle raises the number, up to
 * {@code -Dmultiprocessing4j.forkserver.maxIdle} (default 2); after 30 s without such a miss it
 * drops back to one. One background thread boots them
 * one at a time (on a small machine, parallel boots only slow each other and the user's work).
 * It boots a replacement only once starts have paused for
 * {@code -Dmultiprocessing4j.forkserver.bootPauseMillis} (default 100 ms; at most four times
 * that after the first start it waited for): a JVM just handed out is reading its process and
 * running its first code, and on two cores a JVM booting beside it (a boot is a few hundred
 * milliseconds of CPU over several threads) doubled the time a pool of two took to its first
 * result. A start during the pause that finds no idle JVM boots one itself, as it would have
 * if the replacement were still booting.
 * A process with JVM options of its own boots a JVM as SPAWN does.
 *
 * <p>An idle JVM is sent the names of the classes this JVM's children were sent lately
 * ({@link PreloadList}) and loads them at the end of its warm-up.
 *
 * <p>Idle JVMs are booted with one class path: that of the last process started (at first,
 * that of the thread that chose the start method). A process whose classes need another class
 * path retires them and boots a cold JVM; the JVMs booted after it have its class path. An
 * application has one class path almost always, so this costs nothing in practice and keeps
 * one set of idle JVMs, not one per class path.
 *
 * <p>Thread-safety: all state is guarded by {@code lock}.
 */
public final class ForkServerLauncher implements Launcher {
    public static final ForkServerLauncher INSTANCE = new ForkServerLauncher();

    private static final String MAX_IDLE_PROPERTY = "multiprocessing4j.forkserver.maxIdle";
    /** After this long without a start that found no idle JVM, keep only one. */
    private static final long SHRINK_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(
            Long.getLong("multiprocessing4j.forkserver.shrinkAfterMillis", 30_000));
    /** A replacement boots once no start has come for this long... */
    private static final long BOOT_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(
            Math.max(0, Long.getLong("multiprocessing4j.forkserver.bootPauseMillis", 100)));
    /** ...or this long after the first start it waited for, so that a steady stream of starts cannot starve it. */
    private static final long MAX_BOOT_PAUSE_NANOS = 4 * BOOT_PAUSE_NANOS;

    private final Object lock = new Object();
    private final ArrayDeque<Process> idle = new ArrayDeque<>();
    private ChildClassPath classPath; // what idle JVMs are booted with
    private final int maxIdle;
    private int wanted;
    private boolean busy;
    private boolean closed;
    private Thread booter;
    private long lastMissNanos = System.nanoTime();
    private long lastStartNanos = System.nanoTime() - BOOT_PAUSE_NANOS;

    private ForkServerLauncher() {
        int max = 2;
        String configured = System.getProperty(MAX_IDLE_PROPERTY);
        if (configured != null) {
            try {
                max = Math.max(0, Integer.parseInt(configured.trim()));
            } catch (NumberFormatException e) {
                LibraryLog.warning("ignoring -D" + MAX_IDLE_PROPERTY + "=" + configured + ": not a number");
            }
        }
        this.maxIdle = max;
    }

    @Override
    public Process start(ChildClassPath path, List<String> extraJvmOptions) throws IOException {
        if (!extraJvmOptions.isEmpty()) {
            return SpawnLauncher.INSTANCE.start(path, extraJvmOptions);
        }
        Process warm = null;
        List<Process> unfit = List.of();
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the forkserver is shut down: this JVM is exiting");
            }
            if (!path.equals(classPath)) {
                classPath = path;
                unfit = new ArrayList<>(idle);
                idle.clear();
            }
            while (warm == null && !idle.isEmpty()) {
                Process p = idle.poll();
                if (p.isAlive()) {
                    warm = p;
                }
            }
            lastStartNanos = System.nanoTime();
            if (warm == null) {
                lastMissNanos = lastStartNanos;
            }
            wanted = Math.min(maxIdle, warm == null ? Math.max(1, wanted + 1) : Math.max(1, wanted));
            startBooter();
            lock.notifyAll();
        }
        if (!unfit.isEmpty()) {
            retire(unfit);
        }
        return warm != null ? warm : SpawnLauncher.INSTANCE.start(path, List.of());
    }

    /** The pids of the idle JVMs, for tests and benchmarks. */
    public List<Long> idlePids() {
        synchronized (lock) {
            List<Long> pids = new ArrayList<>();
            for (Process p : idle) {
                pids.add(p.pid());
            }
            return pids;
        }
    }

    /**
     * Warms up in the background, so that the first FORKSERVER start finds a JVM ready; with
     * {@code path} unless a process has been started already.
     */
    public void prestart(ChildClassPath path) {
        synchronized (lock) {
            if (classPath == null) {
                classPath = path;
            }
            if (!closed) {
                wanted = Math.min(maxIdle, Math.max(1, wanted));
                startBooter();
                lock.notifyAll();
            }
        }
    }

    private void startBooter() {
        if (booter == null && maxIdle > 0) {
            booter = new Thread(this::bootLoop, "multiprocessing4j-forkserver");
            booter.setDaemon(true);
            booter.start();
        }
    }

    private void bootLoop() {
        while (true) {
            List<Process> surplus = new ArrayList<>();
            ChildClassPath bootedWith;
            synchronized (lock) {
                long pauseBegan = 0;
                boolean pausing = false;
                while (!closed && surplus.isEmpty()) {
                    long waitMillis;
                    if (idle.size() >= wanted) {
                        long quietNanos = System.nanoTime() - lastMissNanos;
                        if (wanted > 1 && quietNanos >= SHRINK_AFTER_NANOS) {
                            // Demand has dropped: keep one idle JVM, not a burst's worth.
                            wanted = 1;
                            while (idle.size() > wanted) {
                                surplus.add(idle.pollLast());
                            }
                            continue;
                        }
                        waitMillis = wanted > 1
                                ? Math.max(1, TimeUnit.NANOSECONDS.toMillis(SHRINK_AFTER_NANOS - quietNanos)) : 0;
                    } else {
                        // A boot is wanted: not while the JVMs just handed out start their processes.
                        long now = System.nanoTime();
                        if (!pausing) {
                            pausing = true;
                            pauseBegan = now;
                        }
                        long pauseLeft = Math.min(lastStartNanos + BOOT_PAUSE_NANOS - now,
                                pauseBegan + MAX_BOOT_PAUSE_NANOS - now);
                        if (pauseLeft <= 0) {
                            break;
                        }
                        waitMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(pauseLeft + 999_999));
                    }
                    try {
                        lock.wait(waitMillis);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed && surplus.isEmpty()) {
                    return;
                }
                busy = true; // retireIdle waits while this thread boots or retires JVMs
                bootedWith = classPath;
            }
            Process booted = null;
            if (surplus.isEmpty()) {
                try {
                    booted = SpawnLauncher.INSTANCE.startWarm(bootedWith);
                    PreloadList.writeFrame(booted.getOutputStream());
                } catch (IOException | RuntimeException e) {
                    LibraryLog.debug("could not boot an idle JVM for the forkserver: " + e);
                    if (booted != null) {
                        retire(List.of(booted));
                        booted = null;
                    }
                }
            } else {
                retire(surplus);
            }
            boolean keep;
            synchronized (lock) {
                busy = false;
                lock.notifyAll();
                keep = booted != null && !closed && bootedWith.equals(classPath);
                if (keep) {
                    idle.add(booted);
                } else if (booted == null && surplus.isEmpty()) {
                    wanted = 0; // booting failed: the next start boots cold, and tries again
                }
            }
            if (booted != null && !keep) {
                retire(List.of(booted));
            }
        }
    }

    /**
     * Ends the idle JVMs and waits for them; new ones boot again at the next start. Called at
     * JVM shutdown (with {@code close}) and by tests that check nothing is left behind.
     */
    public void retireIdle(boolean close) {
        List<Process> retiring;
        synchronized (lock) {
            closed |= close;
            wanted = 0;
            while (busy) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            retiring = new ArrayList<>(idle);
            idle.clear();
            lock.notifyAll();
        }
        retire(retiring);
    }

    private static void retire(List<Process> jvms) {
        // An idle JVM holds no one's state: end it at once, even in the middle of its warm-up.
        for (Process p : jvms) {
            p.destroyForcibly();
        }
        for (Process p : jvms) {
            try {
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
