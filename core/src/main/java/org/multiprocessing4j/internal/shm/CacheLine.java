package org.multiprocessing4j.internal.shm;

/**
 * The unit of the shared-memory layouts: words written by different processes sit in different
 * blocks of this many bytes, so that they do not share a cache line. 128, not 64: x86 prefetches
 * lines in adjacent pairs, so two processes writing neighbouring 64-byte lines still interfere.
 */
public final class CacheLine {
    public static final int LENGTH = 128;

    private CacheLine() {
    }

    /** {@code bytes} rounded up to whole cache lines. */
    public static int align(int bytes) {
        return (bytes + LENGTH - 1) / LENGTH * LENGTH;
    }
}
