package org.multiprocessing4j.internal.sync;

import java.io.Serializable;
import org.multiprocessing4j.internal.platform.ProcessToken;
import org.multiprocessing4j.internal.shm.Backoff;
import org.multiprocessing4j.internal.shm.SharedSegment;
import org.multiprocessing4j.internal.shm.SleeperTable;
import org.multiprocessing4j.spi.ConditionStore;
import org.multiprocessing4j.spi.LockStore.Acquisition;

/**
 * A condition variable in shared memory, bound to a {@link LockCell}: one slot per waiting
 * thread (its process, a ticket giving the order of arrival, and a state: waiting or signalled).
 * {@code signal} marks the oldest live waiter signalled; {@code signalAll} marks them all. A
 * signal therefore goes to a thread that was waiting when it was given, never to one that starts
 * waiting afterwards, and no signal is lost to a waiter that timed out: a waiter leaves its slot
 * free only with a CAS from "waiting", and keeps a signal that beat its timeout. A dead waiter's
 * slot is skipped and freed by the next signal.
 */
public final class ConditionCell extends SyncCell implements ConditionStore {
    private static final int TICKETS = SyncLayout.MAIN_OFFSET + SyncLayout.COND_TICKETS_OFFSET;
    private static final long FREE = 0;
    private static final long CLAIMING = 1;
    private static final long WAITING = 2;
    /** A slot's state once signalled (not {@link #SIGNALLED}, which is a bit of what {@link #await} returns). */
    private static final long WOKEN = 3;

    private final LockCell lock;
    private final SleeperTable table;

    private ConditionCell(SharedSegment segment, LockCell lock) {
        super(segment);
        this.lock = lock;
        this.table = new SleeperTable(buffer, SyncLayout.MAIN_OFFSET + SyncLayout.COND_WAITERS_OFFSET);
    }

    /** Makes a condition of {@code lock}. */
    static ConditionCell create(LockCell lock) {
        return newSegment(SyncLayout.TYPE_CONDITION, "a ProcessCondition").channel(s -> new ConditionCell(s, lock));
    }

    /** The condition a handle names, bound to {@code lock} (attached from the handle sent with it). */
    static ConditionCell attach(Serializable handle, LockCell lock) {
        return attached(handle, SyncLayout.TYPE_CONDITION).channel(s -> new ConditionCell(s, lock));
    }

    /** How another process reaches the condition's memory; {@link LockCell#attachCondition} attaches it. */
    @Override
    public Serializable handle() {
        return locator();
    }

    private static int slot(int i) {
        return SyncLayout.COND_SLOTS_OFFSET + i * SyncLayout.COND_SLOT_LENGTH;
    }

    /**
     * Releases the lock, waits for a signal at most {@code timeoutNanos} (negative: no limit),
     * and takes the lock again before it returns, however it returns.
     *
     * @return {@link #SIGNALLED} if signalled, plus {@link #RECOVERED} if the lock was
     *         taken back from a process that died holding it
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock
     * @throws IllegalStateException if {@value SyncLayout#COND_SLOT_COUNT} threads wait already
     * @throws InterruptedException if interrupted while waiting (the lock is held again)
     */
    @Override
    public int await(long timeoutNanos) throws InterruptedException {
        return await(timeoutNanos, true);
    }

    /**
     * As {@link #await(long)} with no limit, except that an interrupt neither ends the wait nor
     * frees the slot, so a signal given while the thread notices its interrupt still reaches it;
     * the interrupt status is set again on return.
     */
    @Override
    public int awaitUninterruptibly() {
        try {
            return await(-1, false);
        } catch (InterruptedException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private int await(long timeoutNanos, boolean interruptible) throws InterruptedException {
        if (!lock.isHeldByCurrentThread()) {
            throw new IllegalMonitorStateException("await() needs the condition's lock held by the calling thread");
        }
        int at = claimSlot();
        int holds = lock.releaseFully();
        boolean signalled = false;
        InterruptedException interrupted = null;
        boolean interruptNoted = false; // uninterruptible: set again at the end
        try (Backoff b = (timeoutNanos < 0 ? Backoff.untimed() : Backoff.timed(timeoutNanos)).on(table).quiet()) {
            while (true) {
                if (getVolatile(at + 16) == WOKEN) {
                    signalled = true;
                    break;
                }
                try {
                    if (!b.idle()) {
                        break;
                    }
                } catch (InterruptedException e) {
                    if (interruptible) {
                        throw e;
                    }
                    interruptNoted = true; // idle() cleared the status, so the next idle() sleeps again
                }
            }
        } catch (InterruptedException e) {
            interrupted = e;
        } finally {
            if (!signalled && !cas(at + 16, WAITING, FREE)) {
                signalled = true; // a signal arrived as the wait ended: keep it, or it would be lost
            }
            if (signalled) {
                setVolatile(at + 16, FREE);
            }
            Acquisition how = lock.reacquire(holds);
            lastRecovered.set(how == Acquisition.TAKEN_OVER);
            if (interruptNoted) {
                Thread.currentThread().interrupt();
            }
        }
        if (interrupted != null) {
            if (signalled) {
                // This thread will not act on the signal it got: pass it on (to a later waiter,
                // after a signalAll: a spurious wake-up, which Condition allows).
                signal();
            }
            throw interrupted;
        }
        return (signalled ? SIGNALLED : 0) | (lastRecovered.get() ? RECOVERED : 0);
    }

    private final ThreadLocal<Boolean> lastRecovered = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private int claimSlot() {
        for (int pass = 0; pass < 2; pass++) {
            long me = ProcessToken.current();
            for (int i = 0; i < SyncLayout.COND_SLOT_COUNT; i++) {
                int at = slot(i);
                if (getVolatile(at + 16) == FREE && cas(at + 16, FREE, CLAIMING)) {
                    setVolatile(at, me);
                    setVolatile(at + 8, getAndAdd(TICKETS, 1));
                    setVolatile(at + 16, WAITING);
                    return at;
                }
            }
            reclaimDeadSlots();
        }
        throw new IllegalStateException("more than " + SyncLayout.COND_SLOT_COUNT
                + " threads wait on this ProcessCondition at once");
    }

    /**
     * Frees the slots of waiters whose process died, whatever state they were left in. Called
     * holding the lock, so a slot being claimed belongs to a thread of a process that died
     * (a claimer holds the lock until its slot says it waits).
     */
    private void reclaimDeadSlots() {
        for (int i = 0; i < SyncLayout.COND_SLOT_COUNT; i++) {
            int at = slot(i);
            long state = getVolatile(at + 16);
            if (state != FREE && !ProcessToken.isAlive(getVolatile(at))) {
                cas(at + 16, state, FREE);
            }
        }
    }

    /** Wakes the longest-waiting live waiter. @throws IllegalMonitorStateException if the lock is not held */
    @Override
    public void signal() {
        requireHeld();
        while (true) {
            int oldest = -1;
            long oldestTicket = Long.MAX_VALUE;
            for (int i = 0; i < SyncLayout.COND_SLOT_COUNT; i++) {
                int at = slot(i);
                if (getVolatile(at + 16) == WAITING && getVolatile(at + 8) < oldestTicket) {
                    oldest = at;
                    oldestTicket = getVolatile(at + 8);
                }
            }
            if (oldest < 0) {
                return; // nobody waits
            }
            if (!ProcessToken.isAlive(getVolatile(oldest))) {
                cas(oldest + 16, WAITING, FREE); // a waiter that died: its slot is free again
                continue;
            }
            if (cas(oldest + 16, WAITING, WOKEN)) {
                table.wakeAll();
                return;
            }
        }
    }

    /** Wakes every waiter. @throws IllegalMonitorStateException if the lock is not held */
    @Override
    public void signalAll() {
        requireHeld();
        for (int i = 0; i < SyncLayout.COND_SLOT_COUNT; i++) {
            int at = slot(i);
            if (getVolatile(at + 16) == WAITING) {
                // A dead waiter's slot is freed, not signalled: nobody would ever free it.
                cas(at + 16, WAITING, ProcessToken.isAlive(getVolatile(at)) ? WOKEN : FREE);
            }
        }
        table.wakeAll();
    }

    /** Whether the calling thread's last await took the lock back from a process that died. */
    @Override
    public boolean lastAwaitRecovered() {
        return lastRecovered.get();
    }

    private void requireHeld() {
        if (!lock.isHeldByCurrentThread()) {
            throw new IllegalMonitorStateException("signal() needs the condition's lock held by the calling thread");
        }
    }
}
