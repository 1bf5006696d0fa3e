package org.multiprocessing4j.internal.launch;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The classes this JVM's children were sent lately (a process's target and what it captures, a
 * pool's tasks), for an idle FORKSERVER JVM to load ahead: the next process of this application
 * most likely carries the same ones, and in a warm JVM loading a new class (reading, parsing and
 * verifying it) was most of what remained between the handshake and the target.
 *
 * <p>The parent writes the list as the first frame on an idle JVM's control pipe, right after
 * booting it ({@link #writeFrame}); the JVM reads it before anything else ({@link #readFrame})
 * and loads and links the classes at the end of its warm-up ({@link #load}) without initializing
 * them: no code of the application runs before its process does, and a class the process does
 * not carry after all has cost only memory. Only names travel, and only on the
 * pipe, which nobody else can read.
 *
 * <p>Thread-safe.
 */
public final class PreloadList {
    /** The most names an idle JVM is sent. */
    static final int MAX_NAMES = 256;
    /** Names kept here before the oldest are forgotten. */
    private static final int MAX_KEPT = 4 * MAX_NAMES;
    private static final Map<String, Long> LAST_SENT = new ConcurrentHashMap<>();
    private static final AtomicLong SENDS = new AtomicLong();

    private PreloadList() {
    }

    /** Notes the classes of something just sent to a child (the JDK's own, always at hand, are left out). */
    public static void note(Collection<Class<?>> classes) {
        long now = SENDS.incrementAndGet();
        for (Class<?> c : classes) {
            while (c.isArray()) {
                c = c.getComponentType();
            }
            if (c.getClassLoader() == null || c.isHidden() || c.isPrimitive()) {
                continue;
            }
            LAST_SENT.put(c.getName(), now);
        }
        if (LAST_SENT.size() > MAX_KEPT) {
            forgetOldest();
        }
    }

    private static synchronized void forgetOldest() {
        List<String> newest = names(MAX_NAMES);
        LAST_SENT.keySet().retainAll(newest);
    }

    /** Up to {@code max} names, the most lately sent first. */
    static List<String> names(int max) {
        List<Map.Entry<String, Long>> entries = new ArrayList<>(LAST_SENT.entrySet());
        entries.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
        List<String> names = new ArrayList<>(Math.min(max, entries.size()));
        for (int i = 0; i < entries.size() && i < max; i++) {
            names.add(entries.get(i).getKey());
        }
        return names;
    }

    /**
     * Writes the frame an idle JVM reads first: the byte length of the rest, the number of
     * names, the names (each as {@code DataOutput.writeUTF}).
     */
    static void writeFrame(OutputStream pipe) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(body);
        List<String> names = names(MAX_NAMES);
        out.writeInt(names.size());
        for (String n : names) {
            out.writeUTF(n);
        }
        ByteArrayOutputStream frame = new ByteArrayOutputStream(4 + body.size());
        new DataOutputStream(frame).writeInt(body.size());
        body.writeTo(frame);
        frame.writeTo(pipe); // one write: the frame is on the pipe whole before the handshake
        pipe.flush();
    }

    /**
     * Reads the frame {@link #writeFrame} wrote, taking exactly its bytes from {@code pipe}
     * (the handshake follows on the same pipe).
     *
     * @throws EOFException if the pipe ends first: the parent is gone
     */
    public static List<String> readFrame(InputStream pipe) throws IOException {
        DataInputStream in = new DataInputStream(pipe);
        int length = in.readInt();
        if (length < 4 || length > 64 * MAX_NAMES * 1024) {
            throw new IOException("a preload frame of " + length + " bytes");
        }
        byte[] body = in.readNBytes(length);
        if (body.length != length) {
            throw new EOFException("the preload frame ended early");
        }
        DataInputStream names = new DataInputStream(new ByteArrayInputStream(body));
        int count = names.readInt();
        if (count < 0 || count > MAX_NAMES) {
            throw new IOException("a preload frame of " + count + " names");
        }
        List<String> result = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            result.add(names.readUTF());
        }
        return result;
    }

    /**
     * Loads and links each class by name from the application class loader without initializing
     * it; stops as soon as {@code stop} says so (the JVM's process has come). A name that does
     * not load is skipped.
     *
     * @return how many classes were loaded
     */
    public static int load(List<String> names, BooleanSupplier stop) {
        ClassLoader loader = ClassLoader.getSystemClassLoader();
        int loaded = 0;
        for (String name : names) {
            if (stop.getAsBoolean()) {
                break;
            }
            try {
                Class<?> c = Class.forName(name, false, loader);
                // Reflection links (verifies) the class; it initializes nothing. Not
                // ObjectStreamClass.lookup: it reads serialVersionUID, and reading a static
                // field runs the class's static initializer.
                c.getDeclaredFields();
                loaded++;
            } catch (ClassNotFoundException | LinkageError | RuntimeException e) {
                // Not on this JVM's class path (it was booted with another), or not loadable.
            }
        }
        return loaded;
    }
}
