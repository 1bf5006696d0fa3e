package org.multiprocessing4j.internal.shm;

/**
 * What a segment holds, written in its header by its creator and checked by everyone who
 * attaches: a handle decoded into the wrong class, or a descriptor number reused for another
 * segment, is refused instead of misread.
 */
public enum SegmentKind {
    QUEUE(1, "a queue"),
    PIPE(2, "a pipe"),
    SYNC(3, "a lock, condition, semaphore, event, barrier or shared value"),
    MEMORY(4, "a SharedMemory"),
    OVERFLOW(5, "the items of an unbounded queue beyond its ring");

    /** The number in the header. */
    final int code;
    /** How an error message names an object of this kind. */
    public final String description;

    SegmentKind(int code, String description) {
        this.code = code;
        this.description = description;
    }

    /** The kind whose header number is {@code code}, or null. */
    static SegmentKind of(int code) {
        for (SegmentKind k : values()) {
            if (k.code == code) {
                return k;
            }
        }
        return null;
    }
}
