package org.multiprocessing4j.internal.jfr;

/**
 * Whether Flight Recorder runs in this JVM. Asking costs a field read once {@code
 * jdk.jfr.FlightRecorder} is loaded (about 0.1 ms, once), so callers ask where they would
 * record, and call {@link JfrEvents} only if the answer is yes.
 */
public final class Jfr {
    /** Whether the jdk.jfr module is there to ask (an image made with jlink may leave it out). */
    private static final boolean PRESENT = present();

    private Jfr() {
    }

    private static boolean present() {
        try {
            Class.forName("jdk.jfr.FlightRecorder", false, Jfr.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError absent) {
            return false;
        }
    }

    /** Whether Flight Recorder has been started in this JVM (it may record the library's events). */
    public static boolean on() {
        return PRESENT && jdk.jfr.FlightRecorder.isInitialized();
    }
}
