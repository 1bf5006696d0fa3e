package org.multiprocessing4j.examples;

import java.util.logging.Level;
import org.multiprocessing4j.JvmProcess;
import org.multiprocessing4j.Multiprocessing;

/**
 * The library's lifecycle log on standard error, at DEBUG ({@link Level#FINE}). Port of
 * {@code multiprocessing_log_to_stderr.py}.
 *
 * <p>The child inherits the level and the handler without code of its own. Standard error
 * shows, each line as {@code [LEVEL/ProcessName] message}, the child calling {@code run()},
 * shutting down, running its shutdown hooks and exiting with exit code 0, then the main process
 * shutting down and running its shutdown hooks; standard output shows {@code Doing some work}.
 */
public final class LogToStderrExample {
    private LogToStderrExample() {
    }

    static void worker() {
        System.out.println("Doing some work");
    }

    public static void main(String[] args) throws InterruptedException {
        Multiprocessing.logToStderr(Level.FINE);
        JvmProcess p = new JvmProcess(LogToStderrExample::worker);
        p.start();
        p.join();
    }
}
