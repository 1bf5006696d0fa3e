package org.multiprocessing4j.internal.sync;

import java.io.Serializable;
import java.nio.ByteBuffer;
import org.multiprocessing4j.internal.shm.SegmentKind;
import org.multiprocessing4j.internal.shm.SegmentLocator;
import org.multiprocessing4j.internal.shm.SharedSegment;
import org.multiprocessing4j.internal.shm.Words;

/**
 * The shared memory of one lock, condition, semaphore, event or shared value: a
 * {@link SyncLayout} segment, made by one process and attached by the others through a small
 * handle. Subclasses give the primitive's operations; every process uses the same words.
 */
public abstract class SyncCell {
    final SharedSegment segment;
    final ByteBuffer buffer;

    SyncCell(SharedSegment segment) {
        this.segment = segment;
        this.buffer = segment.buffer;
    }

    /** A new zeroed segment of {@code type}. */
    static SharedSegment newSegment(int type, String what) {
        SharedSegment s = SharedSegment.create(SegmentKind.SYNC, SyncLayout.SEGMENT_LENGTH, what);
        Words.setIntRelease(s.buffer, SyncLayout.TYPE_OFFSET, type);
        return s;
    }

    /** The segment a handle names, checked to be of {@code type}. */
    static SharedSegment attached(Serializable handle, int type) {
        SharedSegment s = SharedSegment.attach((SegmentLocator) handle);
        s.checkKind(SegmentKind.SYNC);
        int actual = Words.getIntAcquire(s.buffer, SyncLayout.TYPE_OFFSET);
        if (actual != type) {
            throw new IllegalStateException("shared object " + s.id + " is of type " + actual + ", not " + type);
        }
        return s;
    }

    /** How another process reaches this object's memory (for its handle). */
    Serializable locator() {
        return segment.locator();
    }

    long getVolatile(int at) {
        return Words.getVolatile(buffer, at);
    }

    boolean cas(int at, long expected, long value) {
        return Words.cas(buffer, at, expected, value);
    }

    long getAndAdd(int at, long delta) {
        return Words.getAndAdd(buffer, at, delta);
    }

    void setVolatile(int at, long value) {
        Words.setVolatile(buffer, at, value);
    }

    @Override
    public String toString() {
        return segment.toString();
    }
}
