package org.multiprocessing4j.internal.launch;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The first and only message a parent sends a child, on the child's standard input: who the
 * child is (name, identity, daemon flag), who its parent is, how to log, where to report how it
 * ended, where to write its Flight Recorder file (if anywhere), and the serialized process object. Plain {@code DataOutput} fields keep the child's
 * class loading small; only the payload needs object serialization.
 */
public final class Handshake {
    private static final int MAGIC = 0x4d50344a; // "MP4J"
    private static final int VERSION = 4;
    private static final int MAX_STRING_BYTES = 64 << 20;

    public final String name;
    public final int[] identity;
    public final boolean daemon;
    public final long parentPid;
    public final String parentName;
    /** The parent's effective logger level, or null if the parent never made its logger. */
    public final String logLevel;
    public final boolean stderrHandler;
    public final String reportPath;
    /** The parent's default start method, which becomes the child's. */
    public final String startMethod;
    /**
     * The prefix of the child's own recording file ({@code <prefix><name>-<pid>.jfr}), or ""
     * for none (see {@code ChildRecordings}).
     */
    public final String recordingPrefix;
    public final byte[] payload;

    public Handshake(String name, int[] identity, boolean daemon, long parentPid, String parentName,
                     String logLevel, boolean stderrHandler, String reportPath, String startMethod,
                     String recordingPrefix, byte[] payload) {
        this.name = name;
        this.identity = identity.clone();
        this.daemon = daemon;
        this.parentPid = parentPid;
        this.parentName = parentName;
        this.logLevel = logLevel;
        this.stderrHandler = stderrHandler;
        this.reportPath = reportPath;
        this.startMethod = startMethod;
        this.recordingPrefix = recordingPrefix;
        this.payload = payload;
    }

    public void writeTo(OutputStream stream) throws IOException {
        DataOutputStream out = new DataOutputStream(stream);
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        writeString(out, name);
        out.writeInt(identity.length);
        for (int i : identity) {
            out.writeInt(i);
        }
        out.writeBoolean(daemon);
        out.writeLong(parentPid);
        writeString(out, parentName);
        writeString(out, logLevel == null ? "" : logLevel);
        out.writeBoolean(stderrHandler);
        writeString(out, reportPath);
        writeString(out, startMethod);
        writeString(out, recordingPrefix);
        out.writeInt(payload.length);
        out.write(payload);
        out.flush();
    }

    // Length-prefixed UTF-8 rather than writeUTF, which refuses strings over 64 KiB (a long
    // process name would otherwise stop the handshake half-written).
    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readString(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > MAX_STRING_BYTES) {
            throw new IOException("corrupt handshake: a string of " + length + " bytes");
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * Reads a handshake.
     *
     * @throws EOFException if the parent closed the pipe first (it died, or retired this JVM)
     */
    public static Handshake readFrom(InputStream stream) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        int magic = in.readInt();
        int version = in.readInt();
        if (magic != MAGIC || version != VERSION) {
            throw new IOException("not a multiprocessing4j handshake (magic " + Integer.toHexString(magic)
                    + ", version " + version + "): parent and child use different library versions?");
        }
        String name = readString(in);
        int[] identity = new int[in.readInt()];
        for (int i = 0; i < identity.length; i++) {
            identity[i] = in.readInt();
        }
        boolean daemon = in.readBoolean();
        long parentPid = in.readLong();
        String parentName = readString(in);
        String logLevel = readString(in);
        boolean stderrHandler = in.readBoolean();
        String reportPath = readString(in);
        String startMethod = readString(in);
        String recordingPrefix = readString(in);
        byte[] payload = new byte[in.readInt()];
        in.readFully(payload);
        return new Handshake(name, identity, daemon, parentPid, parentName,
                logLevel.isEmpty() ? null : logLevel, stderrHandler, reportPath, startMethod,
                recordingPrefix, payload);
    }
}
