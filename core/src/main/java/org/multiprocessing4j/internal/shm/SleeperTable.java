package org.multiprocessing4j.internal.shm;

import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;

/**
 * Who is asleep waiting for one thing in shared memory (data in a ring, room in it, a lock),
 * and how to wake them: a table in the segment of {@link #SLOTS} slots, each naming a
 * {@link Doorbell} ({@code pid}, write descriptor, pipe inode) and whether it is armed, plus
 * a count of armed slots so that a process that changes the state pays one fence and one read
 * when nobody sleeps.
 *
 * <p>The handshake is Dekker's: a sleeper arms its slot (a full fence), checks its condition
 * again, and only then blocks; a waker changes the state, runs a full fence, and if the count
 * is not zero disarms armed slots with a CAS and rings their doorbells. Either the sleeper sees
 * the new state or the waker sees the armed slot, so no wake-up is lost. Only the waker that
 * disarmed a slot rings it, so at most one byte is pending per arming and the write never
 * blocks. A slot whose process has died is cleared by the waker that finds its doorbell gone.
 */
public final class SleeperTable {
    static final int SLOTS = 32;
    public static final int LENGTH = 16 + SLOTS * 16;
    private static final long ARMED = 1L << 62;
    private static final long PID_MASK = 0xffff_ffffL;

    private final ByteBuffer buffer;
    private final int at;

    public SleeperTable(ByteBuffer buffer, int at) {
        this.buffer = buffer;
        this.at = at;
    }

    private int stateAt(int slot) {
        return at + 16 + slot * 16;
    }

    private static long encode(Doorbell bell) {
        return bell.pid | ((long) bell.writeFd << 32);
    }

    /**
     * Takes a free slot for {@code bell}, armed.
     *
     * @return the slot, or -1 if every slot is taken
     */
    int arm(Doorbell bell) {
        long disarmed = encode(bell);
        for (int i = 0; i < SLOTS; i++) {
            int s = stateAt(i);
            // Claim the slot (disarmed, so no waker looks at it yet), then write its inode, then
            // arm it: writing the inode before the claim let a sleeper that lost the race for the
            // slot overwrite the winner's inode, and a waker then took the winner's doorbell for
            // gone and cleared its slot without ringing it (a lost wake-up).
            if (Words.getVolatile(buffer, s) == 0L && Words.cas(buffer, s, 0L, disarmed)) {
                Words.setVolatile(buffer, s + 8, bell.inode);
                Words.setVolatile(buffer, s, disarmed | ARMED);
                Words.getAndAdd(buffer, at, 1L); // a full fence before the re-check
                return i;
            }
        }
        return -1;
    }

    /** Whether {@code slot} is still armed (false once a waker has rung it). */
    boolean isArmed(int slot) {
        return (Words.getVolatile(buffer, stateAt(slot)) & ARMED) != 0;
    }

    /** Arms {@code slot} again after it was rung. */
    void rearm(int slot, Doorbell bell) {
        int s = stateAt(slot);
        long disarmed = encode(bell);
        if (Words.cas(buffer, s, disarmed, disarmed | ARMED)) {
            Words.getAndAdd(buffer, at, 1L);
        }
    }

    /** Frees {@code slot} at the end of a wait. */
    void release(int slot, Doorbell bell) {
        int s = stateAt(slot);
        long armed = encode(bell) | ARMED;
        if (Words.cas(buffer, s, armed, 0L)) {
            Words.getAndAdd(buffer, at, -1L);
        } else {
            Words.cas(buffer, s, encode(bell), 0L);
        }
    }

    /** Wakes one sleeper, if any; call after changing the state it waits for. */
    public void wakeOne() {
        wake(false);
    }

    /** Wakes every sleeper. */
    public void wakeAll() {
        wake(true);
    }

    private void wake(boolean all) {
        VarHandle.fullFence();
        if (Words.getVolatile(buffer, at) <= 0) {
            return;
        }
        for (int i = 0; i < SLOTS; i++) {
            int s = stateAt(i);
            long state = Words.getVolatile(buffer, s);
            if ((state & ARMED) == 0
                    || !Words.cas(buffer, s, state, state & ~ARMED)) {
                continue;
            }
            Words.getAndAdd(buffer, at, -1L);
            long inode = Words.getVolatile(buffer, s + 8);
            if (!Doorbell.ring(state & PID_MASK, (int) ((state >>> 32) & 0xffffff), inode)) {
                // Its process is gone: the slot is free again, and the next sleeper is tried.
                Words.cas(buffer, s, state & ~ARMED, 0L);
                continue;
            }
            if (!all) {
                return;
            }
        }
    }
}
