package org.multiprocessing4j.examples;

import java.util.logging.Level;
import java.util.logging.Logger;
import org.multiprocessing4j.JvmProcess;
import org.multiprocessing4j.Multiprocessing;

/**
 * Configuring the library's {@code java.util.logging} logger directly. Port of
 * {@code multiprocessing_get_logger.py}.
 *
 * <p>{@code logToStderr()} with no level installs the handler only; the level is then set on
 * the logger from {@code getLogger()}. At INFO, standard error shows only the INFO lines of
 * {@link LogToStderrExample}, no DEBUG ones.
 */
public final class GetLoggerExample {
    private GetLoggerExample() {
    }

    static void worker() {
        System.out.println("Doing some work");
    }

    public static void main(String[] args) throws InterruptedException {
        Multiprocessing.logToStderr();
        Logger logger = Multiprocessing.getLogger();
        logger.setLevel(Level.INFO);

        JvmProcess p = new JvmProcess(GetLoggerExample::worker);
        p.start();
        p.join();
    }
}
