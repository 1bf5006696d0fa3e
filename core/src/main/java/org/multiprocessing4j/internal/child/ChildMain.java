package org.multiprocessing4j.internal.child;

import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.multiprocessing4j.JvmProcess;
import org.multiprocessing4j.ProcessSerializationException;
import org.multiprocessing4j.SerializableRunnable;
import org.multiprocessing4j.internal.codec.Codec;
import org.multiprocessing4j.internal.jfr.ChildRecordings;
import org.multiprocessing4j.internal.launch.ChildCommand;
import org.multiprocessing4j.internal.launch.Handshake;
import org.multiprocessing4j.internal.launch.PreloadList;
import org.multiprocessing4j.internal.log.LibraryLog;
import org.multiprocessing4j.internal.runtime.ChildBootstrap;

/**
 * The main class of every child JVM. Reads the handshake from standard input (the control pipe
 * from the parent), becomes the process it describes, runs it, waits for the non-daemon threads
 * it started (as a JVM's {@code main} would), reports how it ended and exits.
 *
 * <p>An uncaught throwable from {@code run()} is printed as Python prints it, a header naming
 * the process and then the stack trace, and makes the exit code 1.
 */
public final class ChildMain {
    private static final int WARM_UP_ROUNDS = Integer.getInteger("multiprocessing4j.warmUpRounds", 300);

    private ChildMain() {
    }

    public static void main(String[] args) {
        FileInputStream controlPipe = new FileInputStream(FileDescriptor.in);
        if (args.length > 0 && args[0].equals(ChildCommand.WARM)) {
            List<String> preload;
            try {
                preload = PreloadList.readFrame(controlPipe);
            } catch (IOException e) {
                // The parent is gone (or wrote no frame): there will be no handshake either.
                Runtime.getRuntime().halt(0);
                return;
            }
            if (handshakeWaiting(controlPipe)) {
                // Handed out while it was still booting (a burst): its process is waiting, and
                // warming up now would only delay it.
                ChildBootstrap.prepareChild(controlPipe);
            } else {
                warmUp(controlPipe, false, preload);
            }
        } else if (args.length > 0 && args[0].equals(ChildCommand.TRAIN)) {
            warmUp(controlPipe, true, List.of());
            train();
            System.exit(0);
        }
        Handshake handshake;
        try {
            handshake = Handshake.readFrom(controlPipe);
        } catch (EOFException parentGone) {
            // The parent closed the pipe before handing over any work: it died, or this JVM was
            // started ahead of need and is no longer wanted.
            Runtime.getRuntime().halt(0);
            return;
        } catch (IOException e) {
            if (ChildBootstrap.isExiting()) {
                return; // an idle JVM was signalled, and its exit closed the pipe: nothing to say
            }
            System.err.println("multiprocessing4j: this child JVM could not read its start-up"
                    + " handshake from its parent: " + e.getMessage());
            Runtime.getRuntime().halt(1);
            return;
        }
        // User code in the child must not read the control pipe: give it an empty standard
        // input, as Python gives its children /dev/null.
        System.setIn(InputStream.nullInputStream());
        ChildBootstrap.enterChild(handshake, controlPipe);
        if (!handshake.recordingPrefix.isEmpty()) {
            startRecording(handshake);
        }

        JvmProcess process;
        try {
            process = (JvmProcess) Codec.defaultCodec().decode(handshake.payload);
        } catch (Exception | LinkageError | StackOverflowError e) {
            Throwable failure = new ProcessSerializationException("process '" + handshake.name
                    + "' could not be recreated in its child JVM: " + e
                    + " (are its classes on the child's class path?)", e);
            printFailure(handshake.name, failure);
            ChildBootstrap.exitChild(1, failure);
            return;
        }
        ChildBootstrap.adoptCurrent(process);

        LibraryLog.info("child process calling run()");
        int exitCode = 0;
        Throwable failure = null;
        try {
            process.run();
        } catch (Throwable t) {
            failure = t;
            exitCode = 1;
            printFailure(process.getName(), t);
        }
        awaitNonDaemonThreads();
        ChildBootstrap.exitChild(exitCode, failure);
    }

    /** The parent records its children too (-Dmultiprocessing4j.jfr.children=true). */
    private static void startRecording(Handshake handshake) {
        try {
            Path file = ChildRecordings.startInChild(handshake.recordingPrefix, handshake.name);
            LibraryLog.debug("recording this process to " + file);
        } catch (IOException | RuntimeException | LinkageError e) {
            LibraryLog.warning("could not start this process's Flight Recorder recording: " + e);
        }
    }

    /**
     * For a JVM booted ahead of need: pays now what receiving its first process would cost
     * (the first deserialized lambda alone boots serialization and the lambda machinery, tens
     * of milliseconds). Touches no counter and starts no thread, so the process it later
     * becomes cannot tell.
     */
    private static void warmUp(FileInputStream controlPipe, boolean training, List<String> preload) {
        try {
            int captured = 42;
            SerializableRunnable probe = () -> {
                if (captured != 42) {
                    throw new AssertionError();
                }
            };
            Codec codec = Codec.defaultCodec();
            byte[] lambda = codec.encode(probe, "warm-up");
            byte[] process = codec.encode(ChildBootstrap.warmUpSample(), "warm-up");
            // Enough rounds for the JIT to compile the decoding paths, which a fresh JVM
            // would otherwise interpret while it receives its process.
            // A JVM handed out while still warming up stops at once: its process is waiting.
            for (int i = 0; i < WARM_UP_ROUNDS && !handshakeWaiting(controlPipe); i++) {
                ((Runnable) codec.decode(lambda)).run();
                codec.decode(process);
            }
            if (!handshakeWaiting(controlPipe)) {
                if (training) {
                    // The archive's training JVM, which nobody kills: a real queue, so that
                    // every class of the queue path goes into the archive.
                    org.multiprocessing4j.internal.channel.ChannelWarmUp.run();
                } else {
                    org.multiprocessing4j.internal.channel.ChannelWarmUp.loadClasses();
                }
            }
            if (!handshakeWaiting(controlPipe)) {
                // Pools are what most children run; and what becoming a child loads.
                org.multiprocessing4j.internal.pool.PoolWarmUp.run();
                loadChildClasses();
            }
            // The classes of this application's recent processes, which the next one most
            // likely carries too (loaded, not initialized: no code of the application runs).
            PreloadList.load(preload, () -> handshakeWaiting(controlPipe));
            ChildBootstrap.prepareChild(controlPipe);
            // Loads the file-system classes that becoming a child needs (its report path).
            Path.of(System.getProperty("java.io.tmpdir")).resolve("warm-up").getFileName();
            if (!handshakeWaiting(controlPipe)) {
                // Give back the heap the warm-up touched: an idle JVM should be small.
                System.gc();
            }
        } catch (Exception | LinkageError e) {
            // Only a warm-up: the real work will report any real problem.
        }
    }

    private static boolean handshakeWaiting(FileInputStream controlPipe) {
        try {
            return controlPipe.available() > 0;
        } catch (IOException e) {
            return true; // let the handshake read find out what is wrong
        }
    }

    /**
     * The training run of the class-data archive: loads what a child loads between its handshake
     * and its exit, so that the archive holds it.
     */
    private static void train() {
        try {
            Handshake sample = new Handshake("train", new int[] {1}, false, 1L, "train", "INFO", false,
                    "/dev/null", "SPAWN", "", new byte[0]);
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            sample.writeTo(bytes);
            Handshake.readFrom(new java.io.ByteArrayInputStream(bytes.toByteArray()));
        } catch (Exception | LinkageError e) {
            // A smaller archive, nothing worse.
        }
        loadChildClasses();
    }

    /**
     * Loads and initializes what becoming a child loads between its handshake and its exit
     * (the parent watcher's future and latch among them): into the archive when training, and
     * ahead of the handshake in a JVM booted ahead of need. None of them starts a thread or
     * touches a file when initialized.
     */
    private static void loadChildClasses() {
        try {
            for (String name : new String[] {
                    "org.multiprocessing4j.internal.runtime.ExitReport",
                    "org.multiprocessing4j.internal.runtime.ExitReport$Outcome",
                    "org.multiprocessing4j.internal.runtime.ParentProcessControl",
                    "org.multiprocessing4j.internal.runtime.CurrentProcessControl",
                    "org.multiprocessing4j.internal.runtime.ChildBootstrap$ParentWatcher",
                    "org.multiprocessing4j.internal.runtime.JvmShutdown$EndReason",
                    "org.multiprocessing4j.internal.runtime.StartMethodSetting",
                    "org.multiprocessing4j.internal.runtime.LaunchedChild",
                    "org.multiprocessing4j.internal.platform.RuntimeDirectory",
                    "org.multiprocessing4j.internal.platform.ExitStatus",
                    "org.multiprocessing4j.RemoteThrowable",
                    "org.multiprocessing4j.StartMethod",
                    "org.multiprocessing4j.ProcessSerializationException",
                    "java.nio.channels.AsynchronousCloseException",
                    "java.io.DataOutputStream",
                    "java.io.BufferedOutputStream",
                    "java.util.concurrent.CompletableFuture",
                    "java.util.concurrent.CountDownLatch"}) {
                Class.forName(name, true, ChildMain.class.getClassLoader());
            }
        } catch (Exception | LinkageError e) {
            // A smaller archive, nothing worse.
        }
    }

    private static void printFailure(String name, Throwable failure) {
        StringWriter text = new StringWriter();
        try (PrintWriter out = new PrintWriter(text)) {
            out.println("Process " + name + ":");
            failure.printStackTrace(out);
        }
        // One write, so it is not interleaved with other processes' lines.
        System.err.print(text);
        System.err.flush();
    }

    /** Waits, as the JVM does after {@code main} returns, for every non-daemon thread to end. */
    private static void awaitNonDaemonThreads() {
        Thread self = Thread.currentThread();
        ThreadGroup root = self.getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        while (true) {
            Thread[] threads = new Thread[root.activeCount() + 16];
            int n = root.enumerate(threads, true);
            Thread pending = null;
            for (int i = 0; i < n && pending == null; i++) {
                Thread t = threads[i];
                if (t != self && !t.isDaemon() && t.isAlive() && !"DestroyJavaVM".equals(t.getName())) {
                    pending = t;
                }
            }
            if (pending == null) {
                return;
            }
            try {
                pending.join();
            } catch (InterruptedException e) {
                // Keep waiting, as the JVM would; nothing here is meant to be interrupted.
            }
        }
    }
}
