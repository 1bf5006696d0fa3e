package org.multiprocessing4j.internal.shm;

import java.io.Serializable;

// A plain class, not a record: a fresh JVM deserializes a record through method handles and
// bootstraps its equals/hashCode, about 40 ms of a pool worker's start.

/** The identity of a segment, unique among all segments ever made. */
public final class SegmentId implements Serializable {
    private static final long serialVersionUID = 1L;
    final long high;
    final long low;

    /** A new identity: 128 random bits. */
    static SegmentId random() {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        return new SegmentId(r.nextLong(), r.nextLong());
    }

    SegmentId(long high, long low) {
        this.high = high;
        this.low = low;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SegmentId && ((SegmentId) o).high == high && ((SegmentId) o).low == low;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(high) * 31 + Long.hashCode(low);
    }

    @Override
    public String toString() {
        return Long.toHexString(high) + Long.toHexString(low);
    }
}
