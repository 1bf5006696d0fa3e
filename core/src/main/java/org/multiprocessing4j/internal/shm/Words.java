package org.multiprocessing4j.internal.shm;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads and writes of the words that processes share, one small method per memory-ordering
 * mode, so that code over shared memory says which ordering it means ({@code getAcquire},
 * {@code setRelease}, {@code cas}) instead of casting {@code VarHandle} results inline. Offsets
 * are bytes into the buffer; longs must be 8-aligned and ints 4-aligned (the layouts guarantee
 * it), or the atomic modes throw.
 *
 * <p>The modes are those of {@link VarHandle}: <em>plain</em> for words only one process writes
 * and others read after an acquire of something published later; <em>acquire/release</em> for
 * publishing (a release store makes every earlier write visible to a process whose acquire load
 * sees it); <em>volatile</em> and the read-modify-write operations for words several processes
 * race on (each is a full fence on the platforms we run on).
 */
public final class Words {
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final VarHandle DOUBLES = MethodHandles.byteBufferViewVarHandle(double[].class, ByteOrder.nativeOrder());

    private Words() {
    }

    public static long getPlain(ByteBuffer b, int offset) {
        return (long) LONGS.get(b, offset);
    }

    public static void setPlain(ByteBuffer b, int offset, long value) {
        LONGS.set(b, offset, value);
    }

    public static long getAcquire(ByteBuffer b, int offset) {
        return (long) LONGS.getAcquire(b, offset);
    }

    public static void setRelease(ByteBuffer b, int offset, long value) {
        LONGS.setRelease(b, offset, value);
    }

    public static long getVolatile(ByteBuffer b, int offset) {
        return (long) LONGS.getVolatile(b, offset);
    }

    public static void setVolatile(ByteBuffer b, int offset, long value) {
        LONGS.setVolatile(b, offset, value);
    }

    public static boolean cas(ByteBuffer b, int offset, long expected, long value) {
        return LONGS.compareAndSet(b, offset, expected, value);
    }

    public static long getAndAdd(ByteBuffer b, int offset, long delta) {
        return (long) LONGS.getAndAdd(b, offset, delta);
    }

    public static long getAndSet(ByteBuffer b, int offset, long value) {
        return (long) LONGS.getAndSet(b, offset, value);
    }

    public static int getIntPlain(ByteBuffer b, int offset) {
        return (int) INTS.get(b, offset);
    }

    public static void setIntPlain(ByteBuffer b, int offset, int value) {
        INTS.set(b, offset, value);
    }

    public static int getIntAcquire(ByteBuffer b, int offset) {
        return (int) INTS.getAcquire(b, offset);
    }

    public static void setIntRelease(ByteBuffer b, int offset, int value) {
        INTS.setRelease(b, offset, value);
    }

    public static int getIntVolatile(ByteBuffer b, int offset) {
        return (int) INTS.getVolatile(b, offset);
    }

    public static void setIntVolatile(ByteBuffer b, int offset, int value) {
        INTS.setVolatile(b, offset, value);
    }

    public static boolean casInt(ByteBuffer b, int offset, int expected, int value) {
        return INTS.compareAndSet(b, offset, expected, value);
    }

    public static int getAndAddInt(ByteBuffer b, int offset, int delta) {
        return (int) INTS.getAndAdd(b, offset, delta);
    }

    public static int getAndSetInt(ByteBuffer b, int offset, int value) {
        return (int) INTS.getAndSet(b, offset, value);
    }

    public static double getDoubleVolatile(ByteBuffer b, int offset) {
        return (double) DOUBLES.getVolatile(b, offset);
    }

    public static void setDoubleVolatile(ByteBuffer b, int offset, double value) {
        DOUBLES.setVolatile(b, offset, value);
    }

    public static boolean casDouble(ByteBuffer b, int offset, double expected, double value) {
        return DOUBLES.compareAndSet(b, offset, expected, value);
    }
}
