package org.multiprocessing4j.internal.shm;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Reference;
import java.nio.Buffer;
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
 *
 * <p><b>Two implementations, one behaviour.</b> A {@code VarHandle} access costs about a
 * microsecond while its caller is still interpreted (a dozen frames of method-handle glue per
 * word), and a queue's put touches about 18 words: a fresh child's first thousands of puts ran
 * at 15-40 µs each until the JIT had compiled them. So where {@code sun.misc.Unsafe} is there
 * and quiet ({@link QuietUnsafe}: up to JDK 23), a direct buffer's words are read and written
 * through it, a third of the cost when interpreted and the same instructions once compiled; the
 * bounds and, for the atomic modes, the alignment are checked as the {@code VarHandle} checks
 * them, and a read-only or heap buffer goes the {@code VarHandle} way.
 * {@code -Dmultiprocessing4j.unsafeWords=false} (or {@code unsafe=false}) turns it off.
 */
public final class Words {
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final VarHandle DOUBLES = MethodHandles.byteBufferViewVarHandle(double[].class, ByteOrder.nativeOrder());
    /** {@code sun.misc.Unsafe} where its memory access is quiet and allowed ({@link QuietUnsafe}); else null. */
    private static final sun.misc.Unsafe U;
    /** Where {@code Buffer.address} is in a buffer (meaningful only when {@link #U} is not null). */
    private static final long ADDRESS = QuietUnsafe.fieldOffset(Buffer.class, "address");
    /** Where a {@code byte[]}'s first element is, for {@link #U}'s copies. */
    private static final long BYTES_BASE;
    /**
     * The JDK's class of a writable direct buffer (a mapped one too) and of a read-only one: one
     * {@code getClass()} comparison says what {@code isDirect()} and {@code isReadOnly()} would,
     * and costs less while interpreted than those two calls.
     */
    private static final Class<?> DIRECT = ByteBuffer.allocateDirect(1).getClass();
    private static final Class<?> DIRECT_READ_ONLY = ByteBuffer.allocateDirect(1).asReadOnlyBuffer().getClass();

    static {
        boolean words = !"false".equals(System.getProperty("multiprocessing4j.unsafeWords"));
        U = words && ADDRESS >= 0 ? QuietUnsafe.U : null;
        BYTES_BASE = U != null ? U.arrayBaseOffset(byte[].class) : -1;
    }

    private Words() {
    }

    /**
     * The address of {@code size} bytes at {@code offset} of a direct buffer, checked as the
     * {@code VarHandle} checks it: inside the buffer's limit and, for an atomic mode, aligned.
     */
    private static long address(ByteBuffer b, int offset, int size, boolean atomic) {
        if (offset < 0 || offset > b.limit() - size) {
            throw new IndexOutOfBoundsException(size + " bytes at offset " + offset + " are outside a buffer of "
                    + b.limit() + " bytes");
        }
        long a = U.getLong(b, ADDRESS) + offset;
        if (atomic && (a & (size - 1)) != 0) {
            throw new IllegalStateException("misaligned access at offset " + offset);
        }
        return a;
    }

    /** Whether {@code b}'s words are read through {@link #U}. */
    private static boolean direct(ByteBuffer b) {
        Class<?> c = b.getClass();
        return U != null && (c == DIRECT || c == DIRECT_READ_ONLY);
    }

    /** Whether {@code b}'s words are read and written through {@code Unsafe} (for the tests). */
    static boolean throughUnsafe(ByteBuffer b) {
        return directWritable(b);
    }

    /** Whether {@code b}'s words are written through {@link #U}: direct and writable. */
    private static boolean directWritable(ByteBuffer b) {
        return U != null && b.getClass() == DIRECT;
    }

    /**
     * Copies {@code length} bytes of {@code src} from {@code from} into {@code b} at
     * {@code offset}: {@code b.put(offset, src, from, length)}, which copies a short array
     * byte by byte through several frames.
     */
    public static void putBytes(ByteBuffer b, int offset, byte[] src, int from, int length) {
        if (directWritable(b) && from >= 0 && length >= 0 && from <= src.length - length) {
            long a = address(b, offset, length, false);
            U.copyMemory(src, BYTES_BASE + from, null, a, length);
            Reference.reachabilityFence(b);
            return;
        }
        b.put(offset, src, from, length);
    }

    /** Copies {@code length} bytes of {@code b} at {@code offset} into {@code dst} from {@code to}. */
    public static void getBytes(ByteBuffer b, int offset, byte[] dst, int to, int length) {
        if (direct(b) && to >= 0 && length >= 0 && to <= dst.length - length) {
            long a = address(b, offset, length, false);
            U.copyMemory(null, a, dst, BYTES_BASE + to, length);
            Reference.reachabilityFence(b);
            return;
        }
        b.get(offset, dst, to, length);
    }

    public static long getPlain(ByteBuffer b, int offset) {
        if (direct(b)) {
            long a = address(b, offset, 8, false);
            long v = U.getLong(a);
            Reference.reachabilityFence(b);
            return v;
        }
        return (long) LONGS.get(b, offset);
    }

    public static void setPlain(ByteBuffer b, int offset, long value) {
        if (directWritable(b)) {
            long a = address(b, offset, 8, false);
            U.putLong(a, value);
            Reference.reachabilityFence(b); // the mapping lives while the buffer does
            return;
        }
        LONGS.set(b, offset, value);
    }

    public static long getAcquire(ByteBuffer b, int offset) {
        if (direct(b)) {
            long a = address(b, offset, 8, true);
            long v = U.getLongVolatile(null, a);
            Reference.reachabilityFence(b);
            return v;
        }
        return (long) LONGS.getAcquire(b, offset);
    }

    public static void setRelease(ByteBuffer b, int offset, long value) {
        if (directWritable(b)) {
            long a = address(b, offset, 8, true);
            U.putOrderedLong(null, a, value);
            Reference.reachabilityFence(b);
            return;
        }
        LONGS.setRelease(b, offset, value);
    }

    public static long getVolatile(ByteBuffer b, int offset) {
        if (direct(b)) {
            long a = address(b, offset, 8, true);
            long v = U.getLongVolatile(null, a);
            Reference.reachabilityFence(b);
            return v;
        }
        return (long) LONGS.getVolatile(b, offset);
    }

    public static void setVolatile(ByteBuffer b, int offset, long value) {
        if (directWritable(b)) {
            long a = address(b, offset, 8, true);
            U.putLongVolatile(null, a, value);
            Reference.reachabilityFence(b);
            return;
        }
        LONGS.setVolatile(b, offset, value);
    }

    public static boolean cas(ByteBuffer b, int offset, long expected, long value) {
        if (directWritable(b)) {
            long a = address(b, offset, 8, true);
            boolean v = U.compareAndSwapLong(null, a, expected, value);
            Reference.reachabilityFence(b);
            return v;
        }
        return LONGS.compareAndSet(b, offset, expected, value);
    }

    public static long getAndAdd(ByteBuffer b, int offset, long delta) {
        if (directWritable(b)) {
            long a = address(b, offset, 8, true);
            long v = U.getAndAddLong(null, a, delta);
            Reference.reachabilityFence(b);
            return v;
        }
        return (long) LONGS.getAndAdd(b, offset, delta);
    }

    public static long getAndSet(ByteBuffer b, int offset, long value) {
        if (directWritable(b)) {
            long a = address(b, offset, 8, true);
            long v = U.getAndSetLong(null, a, value);
            Reference.reachabilityFence(b);
            return v;
        }
        return (long) LONGS.getAndSet(b, offset, value);
    }

    public static int getIntPlain(ByteBuffer b, int offset) {
        if (direct(b)) {
            long a = address(b, offset, 4, false);
            int v = U.getInt(a);
            Reference.reachabilityFence(b);
            return v;
        }
        return (int) INTS.get(b, offset);
    }

    public static void setIntPlain(ByteBuffer b, int offset, int value) {
        if (directWritable(b)) {
            long a = address(b, offset, 4, false);
            U.putInt(a, value);
            Reference.reachabilityFence(b);
            return;
        }
        INTS.set(b, offset, value);
    }

    public static int getIntAcquire(ByteBuffer b, int offset) {
        if (direct(b)) {
            long a = address(b, offset, 4, true);
            int v = U.getIntVolatile(null, a);
            Reference.reachabilityFence(b);
            return v;
        }
        return (int) INTS.getAcquire(b, offset);
    }

    public static void setIntRelease(ByteBuffer b, int offset, int value) {
        if (directWritable(b)) {
            long a = address(b, offset, 4, true);
            U.putOrderedInt(null, a, value);
            Reference.reachabilityFence(b);
            return;
        }
        INTS.setRelease(b, offset, value);
    }

    public static int getIntVolatile(ByteBuffer b, int offset) {
        if (direct(b)) {
            long a = address(b, offset, 4, true);
            int v = U.getIntVolatile(null, a);
            Reference.reachabilityFence(b);
            return v;
        }
        return (int) INTS.getVolatile(b, offset);
    }

    public static void setIntVolatile(ByteBuffer b, int offset, int value) {
        if (directWritable(b)) {
            long a = address(b, offset, 4, true);
            U.putIntVolatile(null, a, value);
            Reference.reachabilityFence(b);
            return;
        }
        INTS.setVolatile(b, offset, value);
    }

    public static boolean casInt(ByteBuffer b, int offset, int expected, int value) {
        if (directWritable(b)) {
            long a = address(b, offset, 4, true);
            boolean v = U.compareAndSwapInt(null, a, expected, value);
            Reference.reachabilityFence(b);
            return v;
        }
        return INTS.compareAndSet(b, offset, expected, value);
    }

    public static int getAndAddInt(ByteBuffer b, int offset, int delta) {
        if (directWritable(b)) {
            long a = address(b, offset, 4, true);
            int v = U.getAndAddInt(null, a, delta);
            Reference.reachabilityFence(b);
            return v;
        }
        return (int) INTS.getAndAdd(b, offset, delta);
    }

    public static int getAndSetInt(ByteBuffer b, int offset, int value) {
        if (directWritable(b)) {
            long a = address(b, offset, 4, true);
            int v = U.getAndSetInt(null, a, value);
            Reference.reachabilityFence(b);
            return v;
        }
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
