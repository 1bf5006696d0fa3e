package org.multiprocessing4j.internal.jfr;

import java.io.IOException;
import java.nio.file.Path;
import java.text.ParseException;
import jdk.jfr.Configuration;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import jdk.jfr.RecordingState;

/**
 * Recordings of child JVMs, one file per child next to the parent's
 * ({@code -Dmultiprocessing4j.jfr.children=true} in the parent): the parent works out a prefix
 * and sends it in the handshake; the child starts a recording of its own that is written to
 * {@code <prefix><name>-<pid>.jfr} when it exits.
 */
public final class ChildRecordings {
    /** The parent's switch. */
    public static final String PROPERTY = "multiprocessing4j.jfr.children";

    private ChildRecordings() {
    }

    /**
     * The prefix of the files of this JVM's children, or "" if they are not to record: the
     * switch is off, or this JVM records nothing. Next to the file of this JVM's first running
     * recording that has one ({@code app.jfr} gives {@code app-<name>-<pid>.jfr}); otherwise in
     * the working directory, named after this JVM's pid.
     */
    public static String prefixForChildren() {
        if (!Boolean.getBoolean(PROPERTY) || !Jfr.on()) {
            return "";
        }
        for (Recording r : FlightRecorder.getFlightRecorder().getRecordings()) {
            Path destination = r.getDestination();
            if (r.getState() == RecordingState.RUNNING && destination != null) {
                String file = destination.toAbsolutePath().toString();
                return (file.endsWith(".jfr") ? file.substring(0, file.length() - 4) : file) + "-";
            }
        }
        return Path.of("multiprocessing4j-" + ProcessHandle.current().pid()).toAbsolutePath() + "-";
    }

    /**
     * Starts this child's own recording (the JDK's "default" settings), written to
     * {@code <prefix><name>-<pid>.jfr} when the JVM exits.
     *
     * @throws IOException if the recording cannot be set up; the child runs on without one
     */
    public static Path startInChild(String prefix, String processName) throws IOException {
        Path file = Path.of(prefix + fileSafe(processName) + "-" + ProcessHandle.current().pid() + ".jfr");
        Configuration settings;
        try {
            settings = Configuration.getConfiguration("default");
        } catch (ParseException e) {
            throw new IOException("the JDK's default recording settings could not be read: " + e, e);
        }
        Recording recording = new Recording(settings);
        recording.setName("multiprocessing4j child " + processName);
        recording.setDestination(file);
        recording.setDumpOnExit(true);
        recording.start();
        return file;
    }

    private static String fileSafe(String name) {
        StringBuilder b = new StringBuilder(Math.min(name.length(), 64));
        for (int i = 0; i < name.length() && b.length() < 64; i++) {
            char c = name.charAt(i);
            b.append(Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.' ? c : '_');
        }
        return b.toString();
    }
}
