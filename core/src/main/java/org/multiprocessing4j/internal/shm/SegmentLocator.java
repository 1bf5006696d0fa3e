package org.multiprocessing4j.internal.shm;

import java.io.Serializable;

/**
 * How another process of this user finds a segment: its identity, and where to open it.
 * Small, so that handles to queues and pipes stay small.
 */
public final class SegmentLocator implements Serializable {
    private static final long serialVersionUID = 1L;
    private final SegmentId id;
    private final SegmentKind kind;
    private final long size;
    /** "pid:fd pid:fd": a string, not a long[], as a strict jdk.serialFilter may refuse arrays. */
    private final String holders;
    private final String path;

    SegmentLocator(SegmentId id, SegmentKind kind, long size, String holders, String path) {
        this.id = id;
        this.kind = kind;
        this.size = size;
        this.holders = holders;
        this.path = path;
    }

    /**
     * A locator that no process holds, for warm-ups: attaching it goes the way of a real
     * attach (the lambda, the descriptor's link) until it finds that this JVM has no such
     * descriptor, and fails without opening or mapping anything.
     */
    public static SegmentLocator unreachable(SegmentKind kind) {
        return new SegmentLocator(new SegmentId(0, 0), kind, 4096,
                ProcessHandle.current().pid() + ":" + Integer.MAX_VALUE, null);
    }

    SegmentId id() {
        return id;
    }

    SegmentKind kind() {
        return kind;
    }

    long size() {
        return size;
    }

    String path() {
        return path;
    }

    /** The holders as {@code pid, fd} pairs. */
    long[] holderPidsAndFds() {
        if (holders == null || holders.isEmpty()) {
            return new long[0];
        }
        String[] pairs = holders.split(" ");
        long[] out = new long[pairs.length * 2];
        for (int i = 0; i < pairs.length; i++) {
            int colon = pairs[i].indexOf(':');
            out[2 * i] = Long.parseLong(pairs[i].substring(0, colon));
            out[2 * i + 1] = Long.parseLong(pairs[i].substring(colon + 1));
        }
        return out;
    }
}
