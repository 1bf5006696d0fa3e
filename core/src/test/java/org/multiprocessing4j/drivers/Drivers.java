package org.multiprocessing4j.drivers;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import org.multiprocessing4j.JvmProcess;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.ProcessContext;
import org.multiprocessing4j.ProcessPool;
import org.multiprocessing4j.StartMethod;
import org.multiprocessing4j.internal.launch.ForkServerLauncher;
import org.multiprocessing4j.testing.Files2;

/** Small programs that the tests run as real separate JVMs, to see what a user would see. */
public final class Drivers {
    private Drivers() {
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Under FORKSERVER: waits for an idle JVM to be booted and prints its pid. */
    private static void printIdleJvms() {
        if (Multiprocessing.getStartMethod() != StartMethod.FORKSERVER) {
            return;
        }
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (ForkServerLauncher.INSTANCE.idlePids().isEmpty() && System.nanoTime() < deadline) {
            sleep(10);
        }
        for (long pid : ForkServerLauncher.INSTANCE.idlePids()) {
            System.out.println("idle " + pid);
        }
    }

    /** Starts a non-daemon child, a daemon child and a child with a grandchild, all blocking; then blocks. */
    public static final class Orphans {
        public static void main(String[] args) {
            JvmProcess plain = new JvmProcess("plain", Files2::blockForever);
            JvmProcess daemon = new JvmProcess("daemon", Files2::blockForever);
            daemon.setDaemon(true);
            JvmProcess parent = new JvmProcess("parent", () -> {
                JvmProcess grandchild = new JvmProcess("grandchild", Files2::blockForever);
                grandchild.start();
                System.out.println("grandchild " + grandchild.pid());
                Files2.blockForever();
            });
            for (JvmProcess p : List.of(plain, daemon, parent)) {
                p.start();
                System.out.println("child " + p.pid());
            }
            printIdleJvms();
            System.out.println("ready");
            Files2.blockForever();
        }
    }

    /** main returns while a non-daemon child still works and a daemon child blocks. */
    public static final class MainReturns {
        public static void main(String[] args) {
            JvmProcess worker = new JvmProcess("worker", () -> {
                sleep(1000);
                System.out.println("child done");
            });
            JvmProcess daemon = new JvmProcess("daemon", Files2::blockForever);
            daemon.setDaemon(true);
            worker.start();
            daemon.start();
            System.out.println("daemon " + daemon.pid());
            printIdleJvms();
            System.out.println("main returns");
        }
    }

    /** System.exit while a non-daemon child still works: the exit waits for it. */
    public static final class ExitsEarly {
        public static void main(String[] args) {
            new JvmProcess("worker", () -> {
                sleep(500);
                System.out.println("child done");
            }).start();
            System.out.println("main exits");
            System.exit(7);
        }
    }

    /** Logging: args[0] is debug, info-via-logger, twice or default. */
    public static final class Logging {
        public static void main(String[] args) throws InterruptedException {
            switch (args[0]) {
                case "debug":
                    Multiprocessing.logToStderr(Level.FINE);
                    break;
                case "info-via-logger":
                    Multiprocessing.logToStderr();
                    Multiprocessing.getLogger().setLevel(Level.INFO);
                    break;
                case "twice":
                    Multiprocessing.logToStderr(Level.INFO);
                    Multiprocessing.logToStderr(Level.INFO);
                    break;
                default:
                    break;
            }
            JvmProcess p = new JvmProcess(() -> System.out.println("Doing some work"));
            p.start();
            p.join();
        }
    }

    /** FORKSERVER under a burst, then idle: prints the number of idle JVMs at each stage. */
    /**
     * Run with {@code -Dmultiprocessing4j.pool.bootsAtOnce=1}: a SPAWN pool of three starts one
     * worker, the next as each says READY; with an initializer, all three at once. Prints how
     * many workers each pool had right after it was made, and after a map.
     */
    public static final class StaggeredPoolStart {
        public static void main(String[] args) throws InterruptedException {
            ProcessContext spawn = Multiprocessing.getContext(StartMethod.SPAWN);
            try (ProcessPool pool = spawn.pool(3)) {
                System.out.println("plain, at first " + pool.workerPids().size());
                List<Integer> out = pool.map(x -> x + 1, List.of(1, 2, 3, 4, 5, 6), 1);
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (System.nanoTime() < deadline && pool.workerPids().size() < 3) {
                    sleep(10);
                }
                System.out.println("plain, then " + pool.workerPids().size() + " " + out);
            }
            try (ProcessPool pool = spawn.poolBuilder().processes(3).initializer(() -> { }).build()) {
                System.out.println("with an initializer, at first " + pool.workerPids().size());
            }
        }
    }

    public static final class ForkServerDemand {
        public static void main(String[] args) throws InterruptedException {
            ProcessContext ctx = Multiprocessing.getContext(StartMethod.FORKSERVER);
            List<JvmProcess> burst = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                JvmProcess p = ctx.process(() -> { });
                p.start();
                burst.add(p);
            }
            long deadline = System.nanoTime() + 60_000_000_000L;
            int most = 0;
            while (System.nanoTime() < deadline && most < 2) {
                most = Math.max(most, ForkServerLauncher.INSTANCE.idlePids().size());
                sleep(10);
            }
            System.out.println("after the burst " + most);
            for (JvmProcess p : burst) {
                p.join();
            }
            while (System.nanoTime() < deadline && ForkServerLauncher.INSTANCE.idlePids().size() != 1) {
                sleep(10);
            }
            System.out.println("when quiet " + ForkServerLauncher.INSTANCE.idlePids().size());
        }
    }

    /** Prints the pid of an idle FORKSERVER JVM, waits for someone to end it, then runs a process. */
    public static final class IdleJvmEnded {
        public static void main(String[] args) throws InterruptedException {
            ProcessContext ctx = Multiprocessing.getContext(StartMethod.FORKSERVER);
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (ForkServerLauncher.INSTANCE.idlePids().isEmpty() && System.nanoTime() < deadline) {
                sleep(10);
            }
            long idle = ForkServerLauncher.INSTANCE.idlePids().get(0);
            System.out.println("idle " + idle);
            while (ProcessHandle.of(idle).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
                sleep(10);
            }
            JvmProcess p = ctx.process(() -> System.out.println("ran in " + ProcessHandle.current().pid()));
            p.start();
            p.join();
            System.out.println("exit code " + p.exitCode().getAsInt());
        }
    }

    /** Several children print many long lines at once. */
    public static final class ManyLines {
        public static void main(String[] args) throws InterruptedException {
            List<JvmProcess> ps = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                int child = c;
                ps.add(new JvmProcess(() -> {
                    String pad = "x".repeat(200);
                    for (int i = 0; i < 500; i++) {
                        System.out.println("child " + child + " line " + i + " " + pad);
                    }
                }));
            }
            for (JvmProcess p : ps) {
                p.start();
            }
            for (JvmProcess p : ps) {
                p.join();
            }
        }
    }

    /** A child that throws: its report goes to stderr. */
    public static final class Raises {
        public static void main(String[] args) throws InterruptedException {
            JvmProcess p = new JvmProcess("raises", () -> {
                throw new RuntimeException("There was an error!");
            });
            p.start();
            p.join();
            System.out.println("raises.exitcode = " + p.exitCode().getAsInt());
        }
    }

    /**
     * A family that shares a queue and a pipe: the program, a child and a grandchild all attach
     * both and use them; prints the pids and "ready", then blocks until killed.
     */
    public static final class ChannelFamily {
        public static void main(String[] args) throws Exception {
            org.multiprocessing4j.ProcessQueue<String> q = org.multiprocessing4j.ProcessQueue.create();
            org.multiprocessing4j.ProcessPipe pipe = org.multiprocessing4j.ProcessPipe.open();
            org.multiprocessing4j.PipeConnection far = pipe.second();
            JvmProcess child = new JvmProcess("child", () -> {
                JvmProcess grandchild = new JvmProcess("grandchild", () -> {
                    org.multiprocessing4j.testing.Channels.put(q, "grandchild " + ProcessHandle.current().pid());
                    org.multiprocessing4j.testing.Channels.send(far, "through the pipe");
                    Files2.blockForever();
                });
                grandchild.start();
                org.multiprocessing4j.testing.Channels.put(q, "child " + ProcessHandle.current().pid());
                Files2.blockForever();
            });
            child.start();
            System.out.println(org.multiprocessing4j.testing.Channels.take(q, "a pid"));
            System.out.println(org.multiprocessing4j.testing.Channels.take(q, "a pid"));
            System.out.println("pipe " + org.multiprocessing4j.testing.Channels.recv(pipe.first(), "a message"));
            printIdleJvms();
            System.out.println("ready");
            Files2.blockForever();
        }
    }

    /**
     * A pool whose worker JVMs cannot start (an option no JVM knows): prints whether it ended
     * and how its task failed (the exception's simple class name and message). Each JVM that fails prints its complaint on the standard error it
     * inherited from this program.
     */
    public static final class UnstartablePool {
        public static void main(String[] args) throws Exception {
            org.multiprocessing4j.ProcessPool pool = Multiprocessing.getContext().poolBuilder().processes(1)
                    .jvmOptions(List.of("-XX:+ThisOptionDoesNotExist")).build();
            java.util.concurrent.CompletableFuture<Integer> f;
            try {
                f = pool.applyAsync(() -> 1);
            } catch (org.multiprocessing4j.BrokenPoolException alreadyBroken) {
                // Its three workers can fail (in milliseconds) before this submit: then the submit
                // itself says the pool is broken, as a later future would.
                f = java.util.concurrent.CompletableFuture.failedFuture(alreadyBroken);
            }
            pool.shutdown();
            System.out.println("terminated " + pool.awaitTermination(60, java.util.concurrent.TimeUnit.SECONDS));
            try {
                System.out.println("result " + f.get(60, java.util.concurrent.TimeUnit.SECONDS));
            } catch (java.util.concurrent.ExecutionException e) {
                System.out.println("failed: " + e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage());
            }
            pool.close();
        }
    }

    /** Makes a pool of two workers, prints their pids and "ready", then blocks until killed. */
    public static final class PoolOwner {
        public static void main(String[] args) throws Exception {
            org.multiprocessing4j.ProcessPool pool = org.multiprocessing4j.ProcessPool.create(2);
            pool.map(x -> x, java.util.List.of(1, 2, 3, 4), 1);
            for (long pid : pool.workerPids()) {
                System.out.println("worker " + pid);
            }
            printIdleJvms();
            System.out.println("ready");
            Files2.blockForever();
        }
    }
}
