package org.multiprocessing4j.examples;

import java.util.logging.Level;
import org.multiprocessing4j.JvmProcess;
import org.multiprocessing4j.Multiprocessing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * The library's log through SLF4J (here Logback, configured by {@code logback.xml}). The library
 * logs through {@code java.util.logging}; {@code jul-to-slf4j} hands those records to SLF4J.
 *
 * <p>Every JVM routes its own records, so the bridge is installed in this class's static
 * initializer: it runs in the main JVM when {@code main} starts, and in the child when the child
 * decodes its target (a method of this class), before the library's first record there. Standard
 * output shows, as Logback formats them, the child's {@code child process calling run()}, the
 * worker's own line, the child's exit, and the main process's line about it. The main process's
 * own {@code process shutting down} comes from a shutdown hook, and may be missing: the JDK's
 * {@code LogManager} takes every handler off (the bridge too) in a shutdown hook of its own, and
 * hooks run in no set order.
 */
public final class Slf4jLoggingExample {
    private static final Logger LOG = LoggerFactory.getLogger(Slf4jLoggingExample.class);

    static {
        SLF4JBridgeHandler.removeHandlersForRootLogger(); // no second copy from the JDK's console handler
        SLF4JBridgeHandler.install();
    }

    private Slf4jLoggingExample() {
    }

    static void work() {
        LOG.info("hello from {}", Multiprocessing.currentProcess().getName());
    }

    public static void main(String[] args) throws InterruptedException {
        // The library's lifecycle records are INFO; the bridge passes on what the logger lets through.
        Multiprocessing.getLogger().setLevel(Level.INFO);
        JvmProcess p = new JvmProcess("worker", Slf4jLoggingExample::work);
        p.start();
        p.join();
        LOG.info("{} ended with exit code {}", p.getName(), p.exitCode().orElseThrow());
    }
}
