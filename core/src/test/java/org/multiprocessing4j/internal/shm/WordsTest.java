package org.multiprocessing4j.internal.shm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each accessor of {@link Words} writes and reads back the same value on a direct buffer, in
 * this machine's byte order whatever the buffer's own {@code order()} says, and stays inside
 * its word. Misaligned access: the plain modes work, every other mode throws
 * {@link IllegalStateException} (what {@code MethodHandles.byteBufferViewVarHandle} specifies
 * for a misaligned access in a mode other than plain get and set).
 */
class WordsTest {
    private static final int SIZE = 256;
    /** What every byte around the word under test holds, to see that nothing else was written. */
    private static final byte CANARY = (byte) 0xA5;
    /** A long whose eight bytes all differ, so a byte-order mistake shows. */
    private static final long L1 = 0x0102_0304_0506_0708L;
    private static final long L2 = 0xF1E2_D3C4_B5A6_9788L;
    private static final int I1 = 0x1122_3344;
    private static final int I2 = 0xEEDD_CCBB;

    private ByteBuffer b;
    /** An 8-aligned offset well inside the buffer. */
    private int at;

    @BeforeEach
    void newBuffer() {
        b = ByteBuffer.allocateDirect(SIZE).order(ByteOrder.nativeOrder());
        int misalignment = b.alignmentOffset(64, 8);
        at = misalignment == 0 ? 64 : 64 + 8 - misalignment;
        assertEquals(0, b.alignmentOffset(at, 8), "expected the test's offset to be 8-aligned in memory");
        for (int i = 0; i < SIZE; i++) {
            b.put(i, CANARY);
        }
    }

    /** Every byte outside {@code [from, from + length)} still holds the canary. */
    private void assertOnlyWritten(int from, int length) {
        for (int i = 0; i < SIZE; i++) {
            if (i < from || i >= from + length) {
                assertEquals(CANARY, b.get(i), "expected byte " + i + " (outside the word at " + from
                        + ", " + length + " bytes) to be untouched");
            }
        }
    }

    @Test
    void longAccessorsRoundTripInNativeOrder() {
        Words.setPlain(b, at, L1);
        assertEquals(L1, Words.getPlain(b, at), "expected getPlain to read what setPlain wrote");
        assertEquals(L1, b.getLong(at), "expected setPlain to store in native byte order");
        assertOnlyWritten(at, 8);

        Words.setRelease(b, at, L2);
        assertEquals(L2, Words.getAcquire(b, at), "expected getAcquire to read what setRelease wrote");
        assertEquals(L2, Words.getPlain(b, at), "expected getPlain to read what setRelease wrote");

        Words.setVolatile(b, at, -1L);
        assertEquals(-1L, Words.getVolatile(b, at), "expected getVolatile to read what setVolatile wrote");
        assertEquals(-1L, Words.getAcquire(b, at), "expected getAcquire to read what setVolatile wrote");

        Words.setVolatile(b, at, Long.MIN_VALUE);
        assertEquals(Long.MIN_VALUE, b.getLong(at), "expected setVolatile to store in native byte order");
        assertOnlyWritten(at, 8);
    }

    @Test
    void longReadModifyWritesReturnAndStoreTheRightValues() {
        Words.setPlain(b, at, L1);
        assertFalse(Words.cas(b, at, L2, 5L), "expected cas with the wrong expected value to fail");
        assertEquals(L1, Words.getVolatile(b, at), "expected a failed cas to leave the word as it was");
        assertTrue(Words.cas(b, at, L1, L2), "expected cas with the right expected value to succeed");
        assertEquals(L2, Words.getVolatile(b, at), "expected a successful cas to store the new value");

        Words.setPlain(b, at, 40L);
        assertEquals(40L, Words.getAndAdd(b, at, 2L), "expected getAndAdd to return the old value");
        assertEquals(42L, Words.getPlain(b, at), "expected getAndAdd to store old + delta");
        assertEquals(42L, Words.getAndAdd(b, at, -43L), "expected getAndAdd to return the old value");
        assertEquals(-1L, Words.getPlain(b, at), "expected getAndAdd of a negative delta to subtract");
        Words.setPlain(b, at, Long.MAX_VALUE);
        Words.getAndAdd(b, at, 1L);
        assertEquals(Long.MIN_VALUE, Words.getPlain(b, at), "expected getAndAdd to wrap around as long arithmetic");

        assertEquals(Long.MIN_VALUE, Words.getAndSet(b, at, L1), "expected getAndSet to return the old value");
        assertEquals(L1, Words.getPlain(b, at), "expected getAndSet to store the new value");
        assertOnlyWritten(at, 8);
    }

    @Test
    void intAccessorsRoundTripInNativeOrder() {
        int i = at + 4; // 4-aligned, not 8-aligned: ints need only 4
        Words.setIntPlain(b, i, I1);
        assertEquals(I1, Words.getIntPlain(b, i), "expected getIntPlain to read what setIntPlain wrote");
        assertEquals(I1, b.getInt(i), "expected setIntPlain to store in native byte order");
        Words.setIntRelease(b, i, I2);
        assertEquals(I2, Words.getIntAcquire(b, i), "expected getIntAcquire to read what setIntRelease wrote");
        Words.setIntVolatile(b, i, -7);
        assertEquals(-7, Words.getIntVolatile(b, i), "expected getIntVolatile to read what setIntVolatile wrote");
        assertOnlyWritten(i, 4);

        assertFalse(Words.casInt(b, i, 0, 1), "expected casInt with the wrong expected value to fail");
        assertEquals(-7, Words.getIntVolatile(b, i), "expected a failed casInt to leave the word as it was");
        assertTrue(Words.casInt(b, i, -7, I1), "expected casInt with the right expected value to succeed");
        assertEquals(I1, Words.getIntVolatile(b, i), "expected a successful casInt to store the new value");
        assertEquals(I1, Words.getAndAddInt(b, i, 1), "expected getAndAddInt to return the old value");
        assertEquals(I1 + 1, Words.getIntPlain(b, i), "expected getAndAddInt to store old + delta");
        Words.setIntPlain(b, i, Integer.MAX_VALUE);
        Words.getAndAddInt(b, i, 1);
        assertEquals(Integer.MIN_VALUE, Words.getIntPlain(b, i), "expected getAndAddInt to wrap around as int arithmetic");
        assertEquals(Integer.MIN_VALUE, Words.getAndSetInt(b, i, I2), "expected getAndSetInt to return the old value");
        assertEquals(I2, Words.getIntPlain(b, i), "expected getAndSetInt to store the new value");
        assertOnlyWritten(i, 4);
    }

    @Test
    void doubleAccessorsRoundTripAndCompareBits() {
        Words.setDoubleVolatile(b, at, Math.PI);
        assertEquals(Math.PI, Words.getDoubleVolatile(b, at), "expected getDoubleVolatile to read what setDoubleVolatile wrote");
        assertEquals(Double.doubleToRawLongBits(Math.PI), Words.getPlain(b, at),
                "expected a double to be stored as its raw bits in the same long word");
        assertOnlyWritten(at, 8);

        assertTrue(Words.casDouble(b, at, Math.PI, Math.E), "expected casDouble with the right expected value to succeed");
        assertEquals(Math.E, Words.getDoubleVolatile(b, at), "expected casDouble to store the new value");
        assertFalse(Words.casDouble(b, at, Math.PI, 1.0), "expected casDouble with the wrong expected value to fail");

        // compareAndSet on doubles compares raw bits: NaN matches NaN, 0.0 does not match -0.0.
        Words.setDoubleVolatile(b, at, Double.NaN);
        assertTrue(Words.casDouble(b, at, Double.NaN, 1.5), "expected casDouble to match NaN by its bits");
        Words.setDoubleVolatile(b, at, -0.0);
        assertFalse(Words.casDouble(b, at, 0.0, 2.5), "expected casDouble not to take 0.0 for -0.0 (bits differ)");
        assertEquals(Double.doubleToRawLongBits(-0.0), Words.getPlain(b, at), "expected the failed casDouble to leave -0.0");
    }

    @Test
    void wordsIgnoreTheBufferOrderAndAlwaysUseNativeOrder() {
        ByteOrder other = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        b.order(other);
        Words.setVolatile(b, at, L1);
        assertEquals(Long.reverseBytes(L1), b.getLong(at),
                "expected Words to store in native order even in a buffer set to " + other);
        assertEquals(L1, Words.getVolatile(b, at), "expected Words to read its own native-order value back");
        Words.setIntVolatile(b, at, I1);
        assertEquals(Integer.reverseBytes(I1), b.getInt(at),
                "expected Words to store ints in native order even in a buffer set to " + other);
    }

    @Test
    void offsetsAreAbsoluteNotRelativeToThePosition() {
        b.position(32);
        Words.setVolatile(b, at, L1);
        assertEquals(L1, b.getLong(at), "expected the offset to be absolute, whatever the buffer's position");
        assertEquals(32, b.position(), "expected Words not to move the buffer's position");
    }

    @Test
    void plainAccessMayBeMisaligned() {
        int odd = at + 1;
        Words.setPlain(b, odd, L1);
        assertEquals(L1, Words.getPlain(b, odd), "expected a misaligned plain long to round-trip");
        assertOnlyWritten(odd, 8);
        Words.setIntPlain(b, odd + 8, I1);
        assertEquals(I1, Words.getIntPlain(b, odd + 8), "expected a misaligned plain int to round-trip");
    }

    @Test
    void misalignedAtomicLongAccessThrowsIllegalStateException() {
        for (int off : new int[] {at + 1, at + 4, at + 7}) {
            int o = off;
            assertMisaligned(x -> Words.getAcquire(x, o), "getAcquire", o);
            assertMisaligned(x -> Words.setRelease(x, o, 1L), "setRelease", o);
            assertMisaligned(x -> Words.getVolatile(x, o), "getVolatile", o);
            assertMisaligned(x -> Words.setVolatile(x, o, 1L), "setVolatile", o);
            assertMisaligned(x -> Words.cas(x, o, 0L, 1L), "cas", o);
            assertMisaligned(x -> Words.getAndAdd(x, o, 1L), "getAndAdd", o);
            assertMisaligned(x -> Words.getAndSet(x, o, 1L), "getAndSet", o);
            assertMisaligned(x -> Words.getDoubleVolatile(x, o), "getDoubleVolatile", o);
            assertMisaligned(x -> Words.setDoubleVolatile(x, o, 1.0), "setDoubleVolatile", o);
            assertMisaligned(x -> Words.casDouble(x, o, 0.0, 1.0), "casDouble", o);
        }
        assertOnlyWritten(0, 0);
    }

    @Test
    void misalignedAtomicIntAccessThrowsIllegalStateException() {
        for (int off : new int[] {at + 1, at + 2, at + 3}) {
            int o = off;
            assertMisaligned(x -> Words.getIntAcquire(x, o), "getIntAcquire", o);
            assertMisaligned(x -> Words.setIntRelease(x, o, 1), "setIntRelease", o);
            assertMisaligned(x -> Words.getIntVolatile(x, o), "getIntVolatile", o);
            assertMisaligned(x -> Words.setIntVolatile(x, o, 1), "setIntVolatile", o);
            assertMisaligned(x -> Words.casInt(x, o, 0, 1), "casInt", o);
            assertMisaligned(x -> Words.getAndAddInt(x, o, 1), "getAndAddInt", o);
            assertMisaligned(x -> Words.getAndSetInt(x, o, 1), "getAndSetInt", o);
        }
        assertOnlyWritten(0, 0);
    }

    private void assertMisaligned(Consumer<ByteBuffer> access, String name, int offset) {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> access.accept(b),
                "expected " + name + " at misaligned offset " + offset + " to throw IllegalStateException");
        assertNotEquals(null, e.getMessage(), "expected the misaligned-access exception to say why");
    }

    @Test
    void accessPastTheEndThrowsIndexOutOfBounds() {
        assertThrows(IndexOutOfBoundsException.class, () -> Words.getVolatile(b, SIZE - 4),
                "expected a long that would end past the buffer to throw IndexOutOfBoundsException");
        assertThrows(IndexOutOfBoundsException.class, () -> Words.setIntPlain(b, SIZE, 1),
                "expected an int at the buffer's end to throw IndexOutOfBoundsException");
        assertThrows(IndexOutOfBoundsException.class, () -> Words.getPlain(b, -8),
                "expected a negative offset to throw IndexOutOfBoundsException");
    }

    @Test
    void writesToAReadOnlyBufferThrowAndReadsWork() {
        Words.setVolatile(b, at, L1);
        ByteBuffer ro = b.asReadOnlyBuffer();
        assertEquals(L1, Words.getVolatile(ro, at), "expected a read-only view to be readable");
        assertThrows(ReadOnlyBufferException.class, () -> Words.setVolatile(ro, at, 0L),
                "expected a store to a read-only buffer to throw ReadOnlyBufferException");
        assertThrows(ReadOnlyBufferException.class, () -> Words.cas(ro, at, L1, 0L),
                "expected a cas on a read-only buffer to throw ReadOnlyBufferException");
        assertEquals(L1, Words.getVolatile(b, at), "expected the refused stores to leave the word as it was");
    }

    @Test
    void bulkCopiesMoveExactlyTheirBytesAndCheckBounds() {
        byte[] src = {1, 2, 3, 4, 5, 6, 7};
        Words.putBytes(b, at + 1, src, 2, 5);
        for (int k = 0; k < 5; k++) {
            assertEquals(src[2 + k], b.get(at + 1 + k), "expected putBytes to copy byte " + k);
        }
        assertOnlyWritten(at + 1, 5);
        byte[] dst = new byte[9];
        Words.getBytes(b, at + 1, dst, 3, 5);
        assertArrayEquals(new byte[] {0, 0, 0, 3, 4, 5, 6, 7, 0}, dst, "expected getBytes to fill exactly its range");
        assertThrows(IndexOutOfBoundsException.class, () -> Words.putBytes(b, SIZE - 2, src, 0, 3),
                "expected a copy that would end past the buffer to throw IndexOutOfBoundsException");
        assertThrows(IndexOutOfBoundsException.class, () -> Words.getBytes(b, 0, dst, 7, 3),
                "expected a copy that would end past the array to throw IndexOutOfBoundsException");
        assertThrows(ReadOnlyBufferException.class, () -> Words.putBytes(b.asReadOnlyBuffer(), at, src, 0, 1),
                "expected a copy into a read-only buffer to throw ReadOnlyBufferException");
    }

    /**
     * The segments processes share are file mappings; up to JDK 23 their words go through
     * {@code Unsafe} (a fraction of a {@code VarHandle}'s cost while the caller is interpreted),
     * and from JDK 24 on through the {@code VarHandle}, whose {@code Unsafe} warns. The other
     * tests here run whichever this JDK takes, on a direct buffer of the same class.
     */
    @Test
    void mappedSegmentsTakeTheUnsafePathExactlyUpToJdk23(@TempDir Path dir) throws IOException {
        try (FileChannel f = FileChannel.open(dir.resolve("words"), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MappedByteBuffer m = f.map(FileChannel.MapMode.READ_WRITE, 0, 64);
            boolean expected = Runtime.version().feature() <= 23
                    && !"false".equals(System.getProperty("multiprocessing4j.unsafeWords"))
                    && !"false".equals(System.getProperty("multiprocessing4j.unsafe"));
            assertEquals(expected, Words.throughUnsafe(m), "expected a mapped segment's words to go through Unsafe"
                    + " exactly when this JDK (" + Runtime.version().feature() + ") is 23 or older");
            assertEquals(expected, Words.throughUnsafe(b), "expected a direct buffer to go the way a mapped one does");
            Words.setRelease(m, 8, L1);
            assertEquals(L1, Words.getAcquire(m, 8), "expected a mapped segment's word to round-trip");
        }
    }
}
