package org.multiprocessing4j.internal.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Pipe;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sleeper table over a direct buffer, with real doorbells of this JVM: arming, re-arming and
 * releasing slots, the armed count, which slots {@code wakeOne}/{@code wakeAll} disarm and ring,
 * a full table, and slots whose doorbell is gone. Whether a doorbell was rung is read from its
 * pipe (non-blocking), so no test waits for anything.
 *
 * <p>The slot layout used to forge slots of other processes is the one in the class comment:
 * the armed count (long) at {@code at}, then {@link SleeperTable#SLOTS} slots of 16 bytes from
 * {@code at + 16}, each a state word ({@code pid | writeFd << 32 | ARMED}, ARMED = bit 62) and
 * the pipe's inode.
 */
class SleeperTableTest {
    /** The table's offset in its buffer: not 0, to see that it keeps to its own bytes. */
    private static final int AT = 128;
    private static final int BUFFER_BYTES = AT + SleeperTable.LENGTH + 128;
    private static final byte CANARY = (byte) 0x5A;
    private static final long ARMED = 1L << 62;
    /** A pid above Linux's highest possible pid_max: never a process. */
    private static final long NO_SUCH_PID = 4_999_999L;

    private ByteBuffer buffer;
    private SleeperTable table;
    private final List<Doorbell> bells = new ArrayList<>();

    @BeforeEach
    void newTable() {
        buffer = ByteBuffer.allocateDirect(BUFFER_BYTES).order(ByteOrder.nativeOrder());
        for (int i = 0; i < BUFFER_BYTES; i++) {
            if (i < AT || i >= AT + SleeperTable.LENGTH) {
                buffer.put(i, CANARY);
            }
        }
        table = new SleeperTable(buffer, AT);
    }

    @AfterEach
    void closeBells() {
        for (int i = 0; i < BUFFER_BYTES; i++) {
            if (i < AT || i >= AT + SleeperTable.LENGTH) {
                assertEquals(CANARY, buffer.get(i), "expected byte " + i + ", outside the table, to be untouched");
            }
        }
        // Closed, not given back: the pool must not hand out a closed doorbell.
        for (Doorbell b : bells) {
            b.close();
        }
    }

    /** A doorbell of this JVM, with nothing pending; closed after the test. */
    private Doorbell bell() {
        Doorbell b = Doorbell.borrow();
        assumeTrue(b != null, "this JVM has no doorbells (no /proc): nothing to test");
        bells.add(b);
        b.drain();
        return b;
    }

    private long armedCount() {
        return Words.getVolatile(buffer, AT);
    }

    private long state(int slot) {
        return Words.getVolatile(buffer, AT + 16 + slot * 16);
    }

    private long inode(int slot) {
        return Words.getVolatile(buffer, AT + 16 + slot * 16 + 8);
    }

    /** Writes an armed slot as another process's arm() would have. */
    private void forgeArmed(int slot, long pid, int fd, long inode) {
        Words.setVolatile(buffer, AT + 16 + slot * 16 + 8, inode);
        Words.setVolatile(buffer, AT + 16 + slot * 16, pid | (long) fd << 32 | ARMED);
        Words.getAndAdd(buffer, AT, 1L);
    }

    /** How many bytes are waiting in {@code bell}'s pipe (reads them). */
    private static int rings(Doorbell bell) throws IOException, ReflectiveOperationException {
        Field f = Doorbell.class.getDeclaredField("pipe");
        f.setAccessible(true);
        Pipe.SourceChannel source = ((Pipe) f.get(bell)).source();
        ByteBuffer b = ByteBuffer.allocate(64);
        int n = 0;
        for (int r = source.read(b); r > 0; r = source.read(b.clear())) {
            n += r;
        }
        return n;
    }

    @Test
    void armTakesTheFirstFreeSlotArmedAndCountsIt() throws Exception {
        Doorbell a = bell();
        Doorbell b = bell();
        assertEquals(0, armedCount(), "expected a new table to count no armed slot");
        assertEquals(0, table.arm(a), "expected the first arm to take slot 0");
        assertEquals(1, table.arm(b), "expected the second arm to take slot 1");
        assertEquals(2, armedCount(), "expected two armed slots counted");
        assertTrue(table.isArmed(0) && table.isArmed(1), "expected both slots armed");
        assertFalse(table.isArmed(2), "expected slot 2 to be free, not armed");
        assertEquals(a.pid | (long) a.writeFd << 32 | ARMED, state(0), "expected slot 0 to name a's pid and write descriptor, armed");
        assertEquals(a.inode, inode(0), "expected slot 0 to hold a's pipe inode");
        assertEquals(b.inode, inode(1), "expected slot 1 to hold b's pipe inode");
        assertEquals(0, rings(a) + rings(b), "expected arming to ring nothing");
    }

    @Test
    void releaseFreesArmedAndRungSlotsAndCountsOnlyArmedOnes() throws Exception {
        Doorbell a = bell();
        Doorbell b = bell();
        int sa = table.arm(a);
        int sb = table.arm(b);
        table.release(sa, a);
        assertEquals(0L, state(sa), "expected a released armed slot to be free (0)");
        assertEquals(1, armedCount(), "expected releasing an armed slot to take it off the count");
        assertEquals(sa, table.arm(a), "expected the freed slot to be the first taken again");
        assertEquals(2, armedCount(), "expected the re-armed slot counted again");

        table.wakeAll();
        assertEquals(0, armedCount(), "expected wakeAll to disarm both");
        table.release(sb, b);
        assertEquals(0L, state(sb), "expected a released rung (disarmed) slot to be free");
        assertEquals(0, armedCount(), "expected releasing a disarmed slot not to change the count");

        // Releasing with the wrong doorbell leaves someone else's slot alone.
        table.release(sa, b);
        assertTrue(state(sa) != 0L, "expected release with another doorbell to leave slot " + sa + " taken");
        table.release(sa, a);
        assertEquals(0L, state(sa), "expected release with its own doorbell to free slot " + sa);
        assertEquals(0, armedCount(), "expected the count back at 0");
    }

    @Test
    void wakeOneDisarmsAndRingsOnlyTheFirstArmedSlot() throws Exception {
        Doorbell a = bell();
        Doorbell b = bell();
        Doorbell c = bell();
        int sa = table.arm(a);
        int sb = table.arm(b);
        int sc = table.arm(c);

        table.wakeOne();
        assertFalse(table.isArmed(sa), "expected wakeOne to disarm the first armed slot");
        assertTrue(table.isArmed(sb) && table.isArmed(sc), "expected wakeOne to leave the other slots armed");
        assertEquals(2, armedCount(), "expected wakeOne to take one slot off the count");
        assertEquals(1, rings(a), "expected wakeOne to write exactly one byte to the first sleeper's doorbell");
        assertEquals(0, rings(b) + rings(c), "expected wakeOne to ring nobody else");
        assertTrue(state(sa) != 0L, "expected a rung slot to stay taken (its sleeper releases it)");

        table.wakeOne();
        assertFalse(table.isArmed(sb), "expected the second wakeOne to disarm the next armed slot");
        assertEquals(1, rings(b), "expected the second wakeOne to ring b once");
        assertEquals(0, rings(a), "expected a, already rung and not re-armed, not to be rung again");

        table.wakeOne();
        table.wakeOne(); // nobody armed: nothing
        table.wakeAll();
        assertEquals(1, rings(c), "expected c rung once");
        assertEquals(0, rings(a) + rings(b) + rings(c), "expected no ring of a disarmed slot");
        assertEquals(0, armedCount(), "expected nothing armed");
    }

    @Test
    void rearmArmsOnlyARungSlot() throws Exception {
        Doorbell a = bell();
        int s = table.arm(a);
        table.rearm(s, a);
        assertEquals(1, armedCount(), "expected rearm of an armed slot to change nothing");

        table.wakeOne();
        assertEquals(1, rings(a), "expected the armed slot rung once");
        assertEquals(0, armedCount(), "expected the rung slot off the count");
        table.rearm(s, a);
        assertTrue(table.isArmed(s), "expected rearm to arm the rung slot again");
        assertEquals(1, armedCount(), "expected the re-armed slot counted");

        table.wakeOne();
        assertEquals(1, rings(a), "expected a re-armed slot to be rung once more");
        table.release(s, a);
        assertEquals(0L, state(s), "expected release to free the slot");
        table.rearm(s, a);
        assertEquals(0L, state(s), "expected rearm of a released slot not to take it back");
        assertEquals(0, armedCount(), "expected rearm of a released slot not to count it");
    }

    @Test
    void wakeAllRingsEveryArmedSlotAndOnlyThose() throws Exception {
        Doorbell[] b = {bell(), bell(), bell(), bell()};
        int[] slot = new int[4];
        for (int i = 0; i < 4; i++) {
            slot[i] = table.arm(b[i]);
        }
        table.release(slot[1], b[1]); // gone before the wake
        table.wakeOne();              // rings b[0], which does not re-arm
        assertEquals(1, rings(b[0]), "expected wakeOne to ring the first armed slot");

        table.wakeAll();
        assertEquals(0, rings(b[0]), "expected wakeAll not to ring a slot already rung");
        assertEquals(0, rings(b[1]), "expected wakeAll not to ring a released slot");
        assertEquals(1, rings(b[2]), "expected wakeAll to ring b[2] once");
        assertEquals(1, rings(b[3]), "expected wakeAll to ring b[3] once");
        for (int i : new int[] {0, 2, 3}) {
            assertFalse(table.isArmed(slot[i]), "expected slot " + slot[i] + " disarmed after wakeAll");
        }
        assertEquals(0, armedCount(), "expected no armed slot counted after wakeAll");
    }

    @Test
    void aFullTableRefusesToArmAndAFreedSlotIsTakenAgain() throws Exception {
        Doorbell a = bell();
        for (int i = 0; i < SleeperTable.SLOTS; i++) {
            assertEquals(i, table.arm(a), "expected arm #" + (i + 1) + " to take slot " + i);
        }
        assertEquals(SleeperTable.SLOTS, armedCount(), "expected every slot counted armed");
        assertTrue(table.arm(a) < 0, "expected arm on a full table to return a negative slot");
        assertEquals(SleeperTable.SLOTS, armedCount(), "expected a refused arm not to change the count");

        table.release(7, a);
        assertEquals(7, table.arm(a), "expected the one freed slot (7) to be taken by the next arm");
        assertTrue(table.arm(a) < 0, "expected the table full again");

        table.wakeAll();
        assertEquals(SleeperTable.SLOTS, rings(a), "expected wakeAll to ring each of the " + SleeperTable.SLOTS + " slots once");
        assertEquals(0, armedCount(), "expected no armed slot after wakeAll");
        for (int i = 0; i < SleeperTable.SLOTS; i++) {
            table.release(i, a);
        }
        assertEquals(0, table.arm(a), "expected an emptied table to give slot 0 again");
    }

    @Test
    void aSlotOfAProcessThatIsGoneIsClearedAndTheNextSleeperIsRung() throws Exception {
        Doorbell a = bell();
        forgeArmed(0, NO_SUCH_PID, 5, 12345L);
        int sa = table.arm(a);
        assertEquals(1, sa, "expected the live sleeper to take slot 1 after the forged one");
        assertEquals(2, armedCount(), "expected two armed slots");

        table.wakeOne();
        assertEquals(0L, state(0), "expected the slot of a process that does not exist to be cleared");
        assertFalse(table.isArmed(sa), "expected wakeOne to go on to the next armed slot and disarm it");
        assertEquals(1, rings(a), "expected wakeOne to ring the live sleeper once");
        assertEquals(0, armedCount(), "expected both slots off the count");
        assertEquals(0, table.arm(a), "expected the cleared slot to be free for the next arm");
    }

    @Test
    void aSlotWhoseDescriptorIsGoneOrReusedIsCleared() throws Exception {
        Doorbell a = bell();
        long me = ProcessHandle.current().pid();
        forgeArmed(0, me, 999_999, a.inode);        // this process, a descriptor it does not have
        forgeArmed(1, me, a.writeFd, a.inode + 1);  // a's descriptor, but another pipe's inode (reused)
        table.wakeAll();
        assertEquals(0L, state(0), "expected a slot naming a descriptor that does not exist to be cleared");
        assertEquals(0L, state(1), "expected a slot whose descriptor now is another pipe to be cleared");
        assertEquals(0, rings(a), "expected nothing written to a descriptor whose inode does not match");
        assertEquals(0, armedCount(), "expected the cleared slots off the count");
    }

    @Test
    void aClosedDoorbellIsClearedByTheWaker() throws Exception {
        Doorbell gone = Doorbell.borrow();
        assumeTrue(gone != null, "this JVM has no doorbells (no /proc): nothing to test");
        Doorbell a = bell();
        assertEquals(0, table.arm(gone), "expected the doomed doorbell in slot 0");
        assertEquals(1, table.arm(a), "expected the live doorbell in slot 1");
        gone.close(); // as when its process ends: the pipe is no more
        table.wakeOne();
        assertEquals(0L, state(0), "expected the slot of a closed doorbell to be cleared");
        assertEquals(1, rings(a), "expected wakeOne to go on and ring the live doorbell");
        assertEquals(0, armedCount(), "expected no armed slot left");
    }

    /**
     * Two sleepers arming at once (issue found by this test): in an earlier version both saw slot
     * 0 free, both stored their inode into it, and only then did each try its CAS. The winner's
     * slot could end up with the loser's inode, and a waker then took the winner's doorbell for gone (the link names another pipe), clears
     * the slot without ringing it, and the wake-up is lost: the sleeper sleeps until it wakes by
     * itself (20 to 200 ms, or 5 s for events, semaphores and conditions). The interleaving is
     * replayed step by step. Fixed: {@code arm} claims the slot disarmed before it writes the
     * inode, so a loser writes nothing into a slot it did not win.
     */
    @Test
    void aConcurrentArmMustNotOverwriteTheWinnersInode() throws Exception {
        Doorbell winner = bell();
        Doorbell loser = bell();
        // Loser: reads slot 0's state, sees it free (0) ...
        assertEquals(0L, state(0), "expected slot 0 free when the loser looks");
        // ... winner: the whole arm(), taking slot 0 ...
        assertEquals(0, table.arm(winner), "expected the winner in slot 0");
        // ... loser: its claim of slot 0 fails, and it has written nothing there: arm() claims
        // a slot (disarmed) before it writes the slot's inode.
        assertFalse(Words.cas(buffer, AT + 16, 0L, 1L), "expected slot 0 claimed by the winner");
        assertEquals(winner.inode, Words.getVolatile(buffer, AT + 16 + 8), "expected the winner's inode in slot 0");
        assertEquals(1, table.arm(loser), "expected the loser's retry to take slot 1");

        table.wakeOne();
        assertEquals(1, rings(winner), "expected the winner, armed in slot 0, to be rung by wakeOne");
        assertTrue(table.isArmed(1), "expected the loser, the second sleeper, still armed after one wakeOne");
    }
}
