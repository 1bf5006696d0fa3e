package org.multiprocessing4j.internal.shm;

import java.nio.ByteBuffer;

/**
 * The layout of the header every segment starts with, and its reads and writes.
 *
 * <pre>
 *   0  MAGIC_OFFSET  long  "mp4j_seg", stored last with a release store: a header whose magic
 *                          is there is whole
 *   8  ID_OFFSET     2 longs  the segment's {@link SegmentId}
 *  24  KIND_OFFSET   int   the {@link SegmentKind} code
 *  64  LENGTH              where the owner's layout starts
 * </pre>
 */
public final class SegmentHeader {
    static final long MAGIC = 0x6d70346a5f736567L; // "mp4j_seg"
    static final int MAGIC_OFFSET = 0;
    static final int ID_OFFSET = MAGIC_OFFSET + Long.BYTES;
    static final int KIND_OFFSET = ID_OFFSET + 2 * Long.BYTES;
    /** Bytes of the header; a segment's own layout starts here. */
    public static final int LENGTH = 64;

    private SegmentHeader() {
    }

    static void write(ByteBuffer map, SegmentId id, SegmentKind kind) {
        Words.setPlain(map, ID_OFFSET, id.high);
        Words.setPlain(map, ID_OFFSET + Long.BYTES, id.low);
        Words.setIntPlain(map, KIND_OFFSET, kind.code);
        Words.setRelease(map, MAGIC_OFFSET, MAGIC);
    }

    static boolean isWhole(ByteBuffer map) {
        return Words.getAcquire(map, MAGIC_OFFSET) == MAGIC;
    }

    static SegmentId id(ByteBuffer map) {
        return new SegmentId(Words.getPlain(map, ID_OFFSET), Words.getPlain(map, ID_OFFSET + Long.BYTES));
    }

    static SegmentKind kind(ByteBuffer map) {
        return SegmentKind.of(Words.getIntPlain(map, KIND_OFFSET));
    }
}
