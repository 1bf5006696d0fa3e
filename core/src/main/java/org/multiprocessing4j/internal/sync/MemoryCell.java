package org.multiprocessing4j.internal.sync;

import java.io.Serializable;
import java.nio.ByteBuffer;
import org.multiprocessing4j.internal.shm.NamedSegments;
import org.multiprocessing4j.internal.shm.SegmentKind;
import org.multiprocessing4j.internal.shm.SegmentLocator;
import org.multiprocessing4j.internal.shm.SharedSegment;

/**
 * The segment behind a {@code SharedMemory}: a page of header (the segment's identity), then the
 * user's bytes. Unnamed ones are unlinked at once like every library-made segment; named ones
 * keep their name until {@link #unlink()}.
 */
public final class MemoryCell {
    private static final int DATA_OFFSET = 4096;

    private final SharedSegment segment;
    public final int size;
    public final String name;

    private MemoryCell(SharedSegment segment, String name) {
        this.segment = segment;
        this.size = segment.buffer.capacity() - DATA_OFFSET;
        this.name = name;
    }

    public static MemoryCell create(int size) {
        return new MemoryCell(SharedSegment.create(SegmentKind.MEMORY, DATA_OFFSET + (long) size, "a SharedMemory"), null);
    }

    public static MemoryCell createNamed(String name, int size) {
        return new MemoryCell(NamedSegments.create(name, SegmentKind.MEMORY, DATA_OFFSET + (long) size, "a SharedMemory"), name);
    }

    public static MemoryCell attachNamed(String name) {
        return new MemoryCell(NamedSegments.attach(name, SegmentKind.MEMORY, "SharedMemory"), name);
    }

    public static MemoryCell attach(Serializable handle, String name) {
        SharedSegment s = SharedSegment.attach((SegmentLocator) handle);
        s.checkKind(SegmentKind.MEMORY);
        return new MemoryCell(s, name);
    }

    public Serializable handle() {
        return segment.locator();
    }

    /** A new view of the user's bytes: position 0, limit and capacity {@link #size}, big-endian. */
    public ByteBuffer view() {
        ByteBuffer b = segment.buffer.duplicate();
        b.position(DATA_OFFSET);
        return b.slice();
    }

    /** This JVM's handle is closed: its memory may go once nothing refers to it. */
    public void closedHere() {
        segment.unpin();
    }

    /** Removes the name; false if it had none or was removed already. */
    public boolean unlink() {
        return segment.unlinkName();
    }
}
