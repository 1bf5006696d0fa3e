package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.multiprocessing4j.testing.CapturedLog;
import org.multiprocessing4j.testing.Channels;
import org.multiprocessing4j.testing.Files2;
import org.multiprocessing4j.testing.Messages;
import org.multiprocessing4j.testing.NoLeftovers;

/** Locks, conditions, semaphores, events and shared values across real child JVMs (issue 6). */
@ExtendWith(NoLeftovers.class)
@Timeout(180)
abstract class SyncContract extends StartMethodSuite {
    private static final Duration LONG = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private static void joined(JvmProcess p) throws InterruptedException {
        assertTrue(p.join(LONG), "process " + p.getName() + " did not end within " + LONG.toSeconds() + " s");
        assertEquals(0, p.exitCode().getAsInt(), "exit code of " + p.getName() + ": " + p.exception());
    }

    private static void startAll(List<JvmProcess> ps) {
        for (JvmProcess p : ps) {
            p.start();
        }
    }

    /** The warning a lock's new holder logs when it took the lock over from a dead process. */
    private static String takeOverWarning(JvmProcess deadHolder) {
        return "took over a ProcessLock from process " + deadHolder.pid()
                + ", which died holding it: what it guarded may be half updated";
    }

    /** A read-then-write increment, wrong without the lock: the lock makes it exact. */
    @Test
    void theLockMakesUpdatesFromSeveralChildrenExact() throws Exception {
        ProcessLock lock = Multiprocessing.getContext().lock();
        SharedLong counter = SharedLong.create(0);
        SharedLong atomic = SharedLong.create(0);
        int children = 3;
        int rounds = 3000;
        List<JvmProcess> ps = new ArrayList<>();
        for (int c = 0; c < children; c++) {
            ps.add(new JvmProcess(() -> {
                for (int i = 0; i < rounds; i++) {
                    lock.lock();
                    try {
                        counter.set(counter.get() + 1);
                    } finally {
                        lock.unlock();
                    }
                    atomic.incrementAndGet();
                }
            }));
        }
        startAll(ps);
        for (JvmProcess p : ps) {
            joined(p);
        }
        assertEquals((long) children * rounds, counter.get());
        assertEquals((long) children * rounds, atomic.get());
        assertFalse(lock.isLocked());
    }

    @Test
    void aValuesOwnLockGuardsCompoundUpdates() throws Exception {
        SharedDouble d = Multiprocessing.getContext().sharedDouble(0.5);
        SharedInt i = Multiprocessing.getContext().sharedInt(7);
        JvmProcess p = new JvmProcess(() -> {
            for (int k = 0; k < 1000; k++) {
                d.getLock().lock();
                try {
                    d.set(d.get() + 1.0);
                } finally {
                    d.getLock().unlock();
                }
                i.addAndGet(2);
            }
        });
        p.start();
        for (int k = 0; k < 1000; k++) {
            d.addAndGet(1.0);
            i.decrementAndGet();
        }
        joined(p);
        assertEquals(2000.5, d.get());
        assertEquals(7 + 2000 - 1000, i.get());
        assertTrue(i.compareAndSet(1007, 3));
        assertEquals(3, i.updateAndGet(x -> x * 1));
        assertEquals(6L, SharedLong.create(5).accumulateAndGet(1, Long::sum));
    }

    /** Python's lock stays locked forever when its holder is killed; ours is taken over. */
    @Test
    void aLockWhoseHolderIsKilledIsRecovered() throws Exception {
        ProcessLock lock = ProcessLock.create();
        ProcessQueue<String> ready = ProcessQueue.create();
        JvmProcess holder = new JvmProcess(() -> {
            lock.lock();
            Channels.put(ready, "locked");
            Files2.blockForever();
        });
        holder.start();
        Channels.take(ready, "the child to take the lock");
        assertTrue(lock.isLocked());
        assertFalse(lock.tryLock(Duration.ofMillis(100)), "held by a live process");
        holder.kill();
        assertTrue(holder.join(LONG));
        try (CapturedLog log = CapturedLog.start()) {
            assertTrue(lock.tryLock(LONG), "taken over from the dead holder");
            assertTrue(lock.heldAfterOwnerDied(), "the new holder is told the old one died");
            assertEquals(List.of(takeOverWarning(holder)), log.messages(Level.WARNING), "and so is the log");
        }
        lock.unlock();
        assertTrue(lock.tryLock());
        assertFalse(lock.heldAfterOwnerDied(), "an ordinary hold");
        lock.unlock();
    }

    /** The Lock contract: tryLock() by the holder of a non-reentrant lock says false; only lock() refuses. */
    @Test
    void tryLockByTheHolderOfANonReentrantLockReturnsFalse() throws Exception {
        ProcessLock lock = ProcessLock.create();
        lock.lock();
        try {
            assertFalse(lock.tryLock(), "tryLock() by the holder");
            long start = System.nanoTime();
            assertFalse(lock.tryLock(Duration.ofMillis(50)), "a timed tryLock by the holder");
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(50),
                    "a timed tryLock by the holder waits its time out, as Lock.tryLock(time) says");
            assertThrows(IllegalStateException.class, lock::lock, "lock() would wait for itself forever");
            assertTrue(lock.isLocked());
        } finally {
            lock.unlock();
        }
        assertFalse(lock.isLocked(), "one unlock() frees it: the refused attempts took no hold");
    }

    @Test
    void onlyTheHolderMayUnlock() throws Exception {
        ProcessLock lock = ProcessLock.create();
        assertThrows(IllegalMonitorStateException.class, lock::unlock, "not held at all");
        lock.lock();
        AtomicReference<Throwable> other = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                lock.unlock();
            } catch (Throwable e) {
                other.set(e);
            }
        });
        t.start();
        t.join(LONG.toMillis());
        assertTrue(other.get() instanceof IllegalMonitorStateException, "another thread: " + other.get());
        ProcessQueue<String> result = ProcessQueue.create();
        JvmProcess p = new JvmProcess(() -> {
            try {
                lock.unlock();
                Channels.put(result, "unlocked");
            } catch (IllegalMonitorStateException e) {
                Channels.put(result, "refused");
            }
        });
        p.start();
        assertEquals("refused", Channels.take(result, "the child's attempt"));
        joined(p);
        IllegalStateException twice = assertThrows(IllegalStateException.class, lock::lock);
        assertTrue(twice.getMessage().contains("ProcessReentrantLock"), twice.getMessage());
        lock.unlock();
    }

    @Test
    void aReentrantLockCountsItsHolds() throws Exception {
        ProcessReentrantLock lock = Multiprocessing.getContext().reentrantLock();
        lock.lock();
        lock.lock();
        assertEquals(2, lock.getHoldCount());
        ProcessQueue<Boolean> got = ProcessQueue.create();
        JvmProcess p = new JvmProcess(() -> {
            try {
                Channels.put(got, lock.tryLock(Duration.ofMillis(100)));
                Channels.put(got, lock.tryLock(LONG));
                lock.unlock();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        p.start();
        assertFalse(Channels.take(got, "the child's first try"));
        lock.unlock();
        assertTrue(lock.isHeldByCurrentThread(), "one hold left");
        lock.unlock();
        assertTrue(Channels.take(got, "the child's second try"));
        joined(p);
        assertEquals(0, lock.getHoldCount());
    }

    @Test
    void aConditionWakesAWaiterInAnotherProcess() throws Exception {
        ProcessCondition cond = Multiprocessing.getContext().condition();
        SharedInt stage = SharedInt.create(0);
        ProcessQueue<String> out = ProcessQueue.create();
        JvmProcess waiter = new JvmProcess(() -> {
            ProcessLock lock = cond.getLock();
            lock.lock();
            try {
                stage.set(1);
                while (stage.get() != 2) {
                    cond.await();
                }
                Channels.put(out, "woken at stage " + stage.get());
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            } finally {
                lock.unlock();
            }
        });
        waiter.start();
        org.multiprocessing4j.testing.Await.until(LONG, "the waiter to wait", () -> stage.get() == 1);
        cond.getLock().lock();
        try {
            stage.set(2);
            cond.signalAll();
        } finally {
            cond.getLock().unlock();
        }
        assertEquals("woken at stage 2", Channels.take(out, "the waiter's report"));
        joined(waiter);
        cond.getLock().lock();
        try {
            assertFalse(cond.await(Duration.ofMillis(50)), "no signal: the time runs out");
            assertTrue(cond.getLock().isHeldByCurrentThread(), "the lock is held again");
        } finally {
            cond.getLock().unlock();
        }
        assertThrows(IllegalMonitorStateException.class, cond::signal);
        assertThrows(IllegalMonitorStateException.class, cond::await);
    }

    @Test
    void anEventReleasesEveryWaiter() throws Exception {
        ProcessEvent event = Multiprocessing.getContext().event();
        assertFalse(event.isSet());
        assertFalse(event.await(Duration.ofMillis(50)));
        List<JvmProcess> ps = new ArrayList<>();
        ProcessQueue<String> out = ProcessQueue.create();
        for (int c = 0; c < 2; c++) {
            ps.add(new JvmProcess(() -> {
                try {
                    event.await();
                    Channels.put(out, "through");
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        startAll(ps);
        event.set();
        assertEquals("through", Channels.take(out, "the first waiter"));
        assertEquals("through", Channels.take(out, "the second waiter"));
        for (JvmProcess p : ps) {
            joined(p);
        }
        assertTrue(event.isSet());
        event.clear();
        assertFalse(event.isSet());
    }

    @Test
    void aSemaphoreCountsPermitsAcrossProcesses() throws Exception {
        ProcessSemaphore sem = Multiprocessing.getContext().semaphore(0);
        ProcessQueue<String> out = ProcessQueue.create();
        JvmProcess p = new JvmProcess(() -> {
            try {
                sem.acquire(2);
                Channels.put(out, "got 2");
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        p.start();
        sem.release();
        assertEquals(null, out.poll(Duration.ofMillis(200)), "one permit is not enough");
        sem.release();
        assertEquals("got 2", Channels.take(out, "the child's permits"));
        joined(p);
        assertEquals(0, sem.availablePermits());
        assertFalse(sem.tryAcquire());
        assertFalse(sem.tryAcquire(20, TimeUnit.MILLISECONDS));
        sem.release(3);
        assertTrue(sem.tryAcquire(2));
        assertEquals(1, sem.drainPermits());
        assertFalse(sem.isBounded());
    }

    @Test
    void aBoundedSemaphoreRefusesToGrow() {
        ProcessSemaphore sem = Multiprocessing.getContext().boundedSemaphore(1);
        assertTrue(sem.isBounded());
        assertThrows(IllegalStateException.class, sem::release);
        assertTrue(sem.tryAcquire());
        sem.release();
        assertEquals(1, sem.availablePermits());
    }

    @Test
    void anIdleWaiterUsesNoMeasurableCpu() throws Exception {
        ProcessEvent event = ProcessEvent.create();
        ProcessEvent started = ProcessEvent.create();
        JvmProcess p = new JvmProcess(() -> {
            started.set();
            try {
                event.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        p.start();
        assertTrue(started.await(LONG));
        Thread.sleep(300); // let the waiter reach its sleep
        long before = QueueContract.cpuTicks(p.pid());
        Thread.sleep(2000); // measuring an interval, not waiting for an event
        long used = QueueContract.cpuTicks(p.pid()) - before;
        assertTrue(used <= 10, "an idle waiter used " + used + " CPU ticks (10 ms each) in 2 s");
        event.set();
        joined(p);
    }

    @Test
    void misuseIsRefusedWithClearErrors() {
        ProcessContext ctx = Multiprocessing.getContext();
        assertThrows(IllegalArgumentException.class, () -> ctx.semaphore(-1));
        assertThrows(IllegalArgumentException.class, () -> ctx.boundedSemaphore(-1));
        ProcessSemaphore sem = ctx.semaphore(1);
        assertThrows(IllegalArgumentException.class, () -> sem.acquire(0));
        assertThrows(IllegalArgumentException.class, () -> sem.release(-2));
        assertThrows(IllegalArgumentException.class, () -> sem.tryAcquire(0));
        assertThrows(NullPointerException.class, () -> sem.tryAcquire(1, null));
        assertThrows(NullPointerException.class, () -> sem.tryAcquire(null));
        ProcessLock lock = ctx.lock();
        assertThrows(NullPointerException.class, () -> lock.tryLock(1, null));
        assertThrows(NullPointerException.class, () -> lock.tryLock(null));
        assertThrows(NullPointerException.class, () -> ctx.event().await(null));
        assertThrows(NullPointerException.class, () -> SharedLong.create(1).updateAndGet(null));
    }

    @Test
    void aBarrierTripsRoundAfterRoundAcrossProcesses() throws Exception {
        ProcessBarrier barrier = Multiprocessing.getContext().barrier(3);
        SharedLong sum = SharedLong.create(0);
        List<JvmProcess> ps = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            ps.add(new JvmProcess(() -> {
                try {
                    for (int round = 0; round < 5; round++) {
                        sum.incrementAndGet();
                        barrier.await();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        startAll(ps);
        for (int round = 0; round < 5; round++) {
            sum.incrementAndGet();
            barrier.await(LONG.toSeconds(), TimeUnit.SECONDS);
            assertTrue(sum.get() >= 3L * (round + 1), "every party of round " + round + " arrived first");
        }
        for (JvmProcess p : ps) {
            joined(p);
        }
        assertEquals(15, sum.get());
        assertEquals(3, barrier.getParties());
        assertFalse(barrier.isBroken());
    }

    /**
     * Python's barrier waits forever when a party dies; ours breaks. The child is killed only once
     * its first await has returned: a process is known as a party from the end of its first
     * arrival (ProcessBarrier says one that dies before is not noticed), and under load the
     * parent could otherwise kill it between its arrival and that moment.
     */
    @Test
    void aBarrierBreaksWhenAPartyDies() throws Exception {
        ProcessBarrier barrier = ProcessBarrier.create(2);
        ProcessEvent passed = ProcessEvent.create();
        JvmProcess p = new JvmProcess(() -> {
            try {
                barrier.await(); // round 1, with the parent
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            passed.set();
            Files2.blockForever(); // never comes to round 2
        });
        p.start();
        barrier.await(LONG.toSeconds(), TimeUnit.SECONDS);
        assertTrue(passed.await(LONG), "the child passed round 1");
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                barrier.await(LONG.toSeconds(), TimeUnit.SECONDS);
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        waiter.start();
        org.multiprocessing4j.testing.Await.until(LONG, "the parent to wait at round 2",
                () -> barrier.getNumberWaiting() == 1);
        p.kill();
        assertTrue(p.join(LONG));
        waiter.join(LONG.toMillis());
        assertFalse(waiter.isAlive(), "the waiter was released");
        assertTrue(thrown.get() instanceof java.util.concurrent.BrokenBarrierException, "thrown: " + thrown.get());
        assertTrue(barrier.isBroken());
        barrier.reset();
        assertFalse(barrier.isBroken());
    }

    @Test
    void aBarrierTimeoutBreaksItUntilReset() throws Exception {
        ProcessBarrier barrier = ProcessBarrier.create(2);
        assertThrows(java.util.concurrent.TimeoutException.class, () -> barrier.await(Duration.ofMillis(50)));
        assertTrue(barrier.isBroken());
        assertThrows(java.util.concurrent.BrokenBarrierException.class, barrier::await);
        barrier.reset();
        assertFalse(barrier.isBroken());
        assertEquals(0, barrier.getNumberWaiting());
        assertEquals(0, ProcessBarrier.create(1).await(), "one party trips it alone");
        assertThrows(IllegalArgumentException.class, () -> ProcessBarrier.create(0));
        assertThrows(NullPointerException.class, () -> barrier.await(1, null));
    }

    @Test
    void sharedArraysAreUpdatedAtomicallyByChildren() throws Exception {
        ProcessContext ctx = Multiprocessing.getContext();
        SharedLongArray longs = ctx.sharedLongArray(4);
        SharedIntArray ints = ctx.sharedIntArray(4);
        SharedDoubleArray doubles = ctx.sharedDoubleArray(2);
        SharedByteArray bytes = ctx.sharedByteArray(8);
        List<JvmProcess> ps = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            byte mark = (byte) (c + 1);
            int slot = c;
            ps.add(new JvmProcess(() -> {
                for (int k = 0; k < 2000; k++) {
                    longs.incrementAndGet(k % 4);
                    ints.addAndGet(k % 4, 2);
                    doubles.addAndGet(0, 0.5);
                }
                bytes.set(slot, mark);
            }));
        }
        startAll(ps);
        for (JvmProcess p : ps) {
            joined(p);
        }
        assertEquals(List.of(1000L, 1000L, 1000L, 1000L), java.util.Arrays.stream(longs.toArray()).boxed()
                .collect(java.util.stream.Collectors.toList()));
        assertEquals(8000, java.util.Arrays.stream(ints.toArray()).sum());
        assertEquals(2000.0, doubles.get(0));
        assertEquals(1, bytes.get(0));
        assertEquals(2, bytes.get(1));
        assertTrue(longs.compareAndSet(0, 1000, 5));
        assertEquals(5, longs.get(0));
        assertEquals("[0.0, 1.5]", SharedDoubleArray.of(0.0, 1.5).toString());
        byte[] copy = new byte[3];
        SharedByteArray.of((byte) 7, (byte) 8, (byte) 9).get(0, copy, 0, 3);
        assertEquals(9, copy[2]);
        assertEquals(3, SharedIntArray.of(1, 2, 3).length());
        assertThrows(IndexOutOfBoundsException.class, () -> longs.get(4));
        assertThrows(IndexOutOfBoundsException.class, () -> ints.set(-1, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> bytes.set(6, new byte[4], 0, 4));
        assertThrows(IllegalArgumentException.class, () -> ctx.sharedLongArray(-1));
        longs.getLock().lock();
        longs.getLock().unlock();
    }

    @Test
    void unnamedSharedMemoryIsSeenByAChild() throws Exception {
        SharedMemory shm = SharedMemory.create(1024);
        assertEquals(1024, shm.size());
        assertTrue(shm.name().isEmpty());
        JvmProcess p = new JvmProcess(() -> {
            java.nio.ByteBuffer b = shm.buffer();
            for (int i = 0; i < 1024; i++) {
                b.put(i, (byte) (i * 3));
            }
        });
        p.start();
        joined(p);
        java.nio.ByteBuffer b = shm.buffer();
        assertEquals(1024, b.capacity());
        for (int i = 0; i < 1024; i++) {
            assertEquals((byte) (i * 3), b.get(i));
        }
        assertFalse(shm.unlink(), "an unnamed block has no name to remove");
        shm.close();
        assertThrows(IllegalStateException.class, shm::buffer);
    }

    @Test
    void namedSharedMemoryLivesUntilUnlinked() throws Exception {
        String name = "test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        SharedMemory shm = SharedMemory.create(name, 64);
        try {
            assertEquals(java.util.Optional.of(name), shm.name());
            assertThrows(IllegalStateException.class, () -> SharedMemory.create(name, 64), "the name is taken");
            JvmProcess p = new JvmProcess(() -> {
                SharedMemory mine = SharedMemory.attach(name); // by name, as another program would
                mine.buffer().putLong(0, 42L);
                mine.close();
            });
            p.start();
            joined(p);
            assertEquals(42L, shm.buffer().getLong(0));
            SharedMemory again = SharedMemory.attach(name);
            assertEquals(42L, again.buffer().getLong(0));
        } finally {
            assertTrue(shm.unlink());
        }
        assertFalse(shm.unlink(), "unlinked once");
        assertEquals(42L, shm.buffer().getLong(0), "the memory stays while mapped");
        IllegalStateException gone = assertThrows(IllegalStateException.class, () -> SharedMemory.attach(name));
        assertTrue(gone.getMessage().contains(name), gone.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SharedMemory.create("a/b", 1));
        assertThrows(IllegalArgumentException.class, () -> SharedMemory.create("", 1));
        assertThrows(IllegalArgumentException.class, () -> SharedMemory.create(-1));
        assertThrows(NullPointerException.class, () -> SharedMemory.attach(null));
    }

    /**
     * Two processes hammer the memory-ordering-sensitive paths: lock handover (a plain
     * read-modify-write of two words guarded by the lock must never tear or lose an update) and
     * atomic increments.
     */
    @Test
    void stressTwoProcessesHammeringALockAndACounter() throws Exception {
        ProcessReentrantLock lock = ProcessReentrantLock.create();
        SharedLongArray guarded = SharedLongArray.create(2);
        SharedLong atomic = SharedLong.create(0);
        int rounds = 20_000;
        List<JvmProcess> ps = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            ps.add(new JvmProcess(() -> {
                for (int i = 0; i < rounds; i++) {
                    lock.lock();
                    try {
                        long a = guarded.get(0);
                        long b = guarded.get(1);
                        if (a != b) {
                            throw new IllegalStateException("torn update seen under the lock: " + a + " != " + b);
                        }
                        guarded.set(0, a + 1);
                        guarded.set(1, b + 1);
                    } finally {
                        lock.unlock();
                    }
                    atomic.getAndIncrement();
                }
            }));
        }
        startAll(ps);
        for (JvmProcess p : ps) {
            joined(p);
        }
        assertEquals(2L * rounds, guarded.get(0));
        assertEquals(2L * rounds, guarded.get(1));
        assertEquals(2L * rounds, atomic.get());
    }

    @Test
    void aValuesLockTravelsToAChild() throws Exception {
        SharedLong v = SharedLong.create(0);
        ProcessReentrantLock lock = v.getLock();
        JvmProcess p = new JvmProcess(() -> {
            lock.lock(); // the lock itself captured, not the value
            try {
                v.set(v.get() + 41);
            } finally {
                lock.unlock();
            }
        });
        p.start();
        joined(p);
        assertEquals(41, v.get());
    }

    /** A signal goes to a thread that was waiting, never to one that starts waiting after it. */
    @Test
    void aSignalIsNotStolenByALaterWaiter() throws Exception {
        ProcessCondition cond = ProcessCondition.create();
        ProcessLock lock = cond.getLock();
        AtomicReference<Boolean> firstGotIt = new AtomicReference<>();
        java.util.concurrent.CountDownLatch waiting = new java.util.concurrent.CountDownLatch(1);
        Thread first = new Thread(() -> {
            lock.lock();
            try {
                waiting.countDown();
                firstGotIt.set(cond.await(LONG));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            } finally {
                lock.unlock();
            }
        });
        first.start();
        assertTrue(waiting.await(60, TimeUnit.SECONDS));
        lock.lock();
        try {
            cond.signal();
            assertFalse(cond.await(Duration.ofMillis(100)), "the signal was for the thread already waiting");
        } finally {
            lock.unlock();
        }
        first.join(LONG.toMillis());
        assertEquals(Boolean.TRUE, firstGotIt.get());
    }

    @Test
    void aBarrierReusedByNewChildrenDoesNotBreak() throws Exception {
        ProcessBarrier barrier = ProcessBarrier.create(2);
        for (int generation = 0; generation < 2; generation++) {
            List<JvmProcess> ps = new ArrayList<>();
            for (int c = 0; c < 2; c++) {
                ps.add(new JvmProcess(() -> {
                    try {
                        barrier.await(LONG.toSeconds(), TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            ps.get(0).start();
            Thread.sleep(300); // the second child comes late: the first must wait for it, not break
            ps.get(1).start();
            for (JvmProcess p : ps) {
                joined(p);
            }
        }
        assertFalse(barrier.isBroken());
    }

    @Test
    void tryLockTakesOverFromADeadHolder() throws Exception {
        ProcessLock lock = ProcessLock.create();
        ProcessEvent locked = ProcessEvent.create();
        JvmProcess p = new JvmProcess(() -> {
            lock.lock();
            locked.set();
            Files2.blockForever();
        });
        p.start();
        assertTrue(locked.await(LONG));
        p.kill();
        assertTrue(p.join(LONG));
        try (CapturedLog log = CapturedLog.start()) {
            assertTrue(lock.tryLock(), "tryLock() does not wait, but takes a dead holder's lock");
            assertTrue(lock.heldAfterOwnerDied());
            assertEquals(List.of(takeOverWarning(p)), log.messages(Level.WARNING));
        }
        lock.unlock();
    }

    @Test
    void anEventPulseReleasesWaiters() throws Exception {
        ProcessEvent event = ProcessEvent.create();
        AtomicReference<Boolean> result = new AtomicReference<>();
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        Thread waiter = new Thread(() -> {
            try {
                started.countDown();
                result.set(event.await(LONG));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        waiter.start();
        assertTrue(started.await(60, TimeUnit.SECONDS));
        Thread.sleep(100); // let it go to sleep (an interval, not a synchronization)
        long pulsed = System.nanoTime();
        event.set();
        event.clear();
        waiter.join(LONG.toMillis());
        assertFalse(waiter.isAlive(), "the waiter did not end within " + LONG);
        // A lost pulse would end the wait only at its 60 s timeout: it must end long before.
        long waited = System.nanoTime() - pulsed;
        assertTrue(waited < LONG.toNanos() / 2, "the pulse did not wake the waiter: it woke after "
                + TimeUnit.NANOSECONDS.toMillis(waited) + " ms");
        // It returns the flag as it found it on waking: set, or clear again (usually), as in Python.
        assertTrue(result.get() != null);
    }

    /** Set, wait, clear in lock step between two processes: no round may be missed or doubled. */
    @Test
    void eventPingPongNeverLosesARound() throws Exception {
        ProcessEvent ping = ProcessEvent.create();
        ProcessEvent pong = ProcessEvent.create();
        SharedInt served = SharedInt.create(0);
        int rounds = 20_000;
        JvmProcess p = new JvmProcess(() -> {
            try {
                for (int i = 0; i < rounds; i++) {
                    ping.await();
                    ping.clear();
                    served.incrementAndGet();
                    pong.set();
                }
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        p.start();
        for (int i = 0; i < rounds; i++) {
            ping.set();
            assertTrue(pong.await(LONG), "round " + i + " was answered");
            pong.clear();
        }
        joined(p);
        assertEquals(rounds, served.get());
    }

    @Test
    void aWaiterWhoseRoundWasResetIsToldSoEvenAfterLaterRounds() throws Exception {
        ProcessBarrier barrier = ProcessBarrier.create(2);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                barrier.await(LONG.toSeconds(), TimeUnit.SECONDS);
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        waiter.start();
        org.multiprocessing4j.testing.Await.until(LONG, "the waiter to wait", () -> barrier.getNumberWaiting() == 1);
        barrier.reset();
        barrier.reset();
        waiter.join(LONG.toMillis());
        assertTrue(thrown.get() instanceof java.util.concurrent.BrokenBarrierException, "thrown: " + thrown.get());
    }

    /** A process that only looked at the barrier and ended is not a party that went missing. */
    @Test
    void aBystanderThatEndedDoesNotBreakTheBarrier() throws Exception {
        ProcessBarrier barrier = ProcessBarrier.create(2);
        String parties = dir.resolve("parties").toString();
        JvmProcess bystander = new JvmProcess(() -> Files2.write(parties, Integer.toString(barrier.getParties())));
        bystander.start();
        joined(bystander);
        assertEquals("2", Files2.read(Path.of(parties)), "what the bystander saw of the barrier");
        JvmProcess party = new JvmProcess(() -> {
            try {
                barrier.await(LONG.toSeconds(), TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        party.start();
        org.multiprocessing4j.testing.Await.until(LONG, "the child to wait", () -> barrier.getNumberWaiting() == 1);
        Thread.sleep(2500); // longer than the grace for dead parties: an interval, not a synchronization
        barrier.await(LONG.toSeconds(), TimeUnit.SECONDS);
        joined(party);
        assertFalse(barrier.isBroken());
        assertThrows(IllegalArgumentException.class, () -> ProcessBarrier.create(1 << 22));
    }

    /**
     * Passes {@code rounds} rounds of {@code barrier}, whose action counts in {@code actions} and
     * notes its process in {@code runner}: after each round the action has run once more, in the
     * process of the party that got index 0.
     */
    static void passRounds(ProcessBarrier barrier, SharedLong actions, SharedLong runner, int rounds) {
        try {
            for (int round = 0; round < rounds; round++) {
                int index = barrier.await(LONG.toSeconds(), TimeUnit.SECONDS);
                long ran = actions.get();
                if (ran != round + 1) {
                    throw new IllegalStateException("after round " + round + " the action had run " + ran + " times");
                }
                if (index == 0 && runner.get() != ProcessHandle.current().pid()) {
                    throw new IllegalStateException("round " + round + "'s action ran in process " + runner.get()
                            + ", not in the last arrival's");
                }
            }
        } catch (InterruptedException | java.util.concurrent.BrokenBarrierException
                 | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Python's Barrier(parties, action), CyclicBarrier's action: once per round, before any party leaves. */
    @Test
    void aBarrierActionRunsOncePerRoundInTheLastArrivalBeforeAnyPartyLeaves() throws Exception {
        SharedLong actions = SharedLong.create(0);
        SharedLong runner = SharedLong.create(0);
        ProcessBarrier barrier = Multiprocessing.getContext().barrier(3, () -> {
            actions.incrementAndGet();
            runner.set(ProcessHandle.current().pid());
        });
        List<JvmProcess> ps = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            ps.add(new JvmProcess(() -> passRounds(barrier, actions, runner, 5)));
        }
        startAll(ps);
        passRounds(barrier, actions, runner, 5);
        for (JvmProcess p : ps) {
            joined(p);
        }
        assertEquals(5, actions.get(), "one action per round");
        assertFalse(barrier.isBroken());
    }

    @Test
    void aChildThatArrivesLastRunsItsCopyOfTheBarrierAction() throws Exception {
        SharedLong runner = SharedLong.create(0);
        ProcessBarrier barrier = Multiprocessing.getContext().barrier(2, () -> runner.set(ProcessHandle.current().pid()));
        AtomicReference<Object> parent = new AtomicReference<>();
        Thread waiter = awaitInThread(barrier, parent);
        org.multiprocessing4j.testing.Await.until(LONG, "the parent to wait", () -> barrier.getNumberWaiting() == 1);
        JvmProcess p = new JvmProcess(() -> awaitOnceOrFail(barrier));
        p.start();
        joined(p);
        waiter.join(LONG.toMillis());
        assertEquals(1, parent.get(), "the parent passed the barrier, first to arrive");
        assertEquals(p.pid(), runner.get(), "the child, last to arrive, ran the action (its copy, which travelled with"
                + " the barrier)");
    }

    @Test
    void aBarrierActionThatThrowsBreaksTheBarrierAndTheLastArrivalGetsItsException() throws Exception {
        ProcessBarrier barrier = Multiprocessing.getContext().barrier(2, () -> {
            throw new IllegalStateException("the action failed");
        });
        JvmProcess p = new JvmProcess(() -> {
            try {
                barrier.await(LONG.toSeconds(), TimeUnit.SECONDS);
                System.exit(0);
            } catch (java.util.concurrent.BrokenBarrierException e) {
                System.exit(3);
            } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
                System.exit(4);
            }
        });
        p.start();
        org.multiprocessing4j.testing.Await.until(LONG, "the child to wait", () -> barrier.getNumberWaiting() == 1);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> barrier.await(LONG.toSeconds(), TimeUnit.SECONDS), "the last arrival gets what the action threw");
        assertEquals("the action failed", e.getMessage());
        assertTrue(p.join(LONG), "the child was released");
        assertEquals(3, p.exitCode().getAsInt(), "the child got a BrokenBarrierException");
        assertTrue(barrier.isBroken());
        barrier.reset();
        assertFalse(barrier.isBroken());
    }

    /** The process running the action is killed: the others are not left waiting for it. */
    @Test
    void aBarrierBreaksWhenTheProcessRunningItsActionDies() throws Exception {
        ProcessBarrier barrier = Multiprocessing.getContext().barrier(2, Files2::blockForever);
        AtomicReference<Object> parent = new AtomicReference<>();
        Thread waiter = awaitInThread(barrier, parent);
        org.multiprocessing4j.testing.Await.until(LONG, "the parent to wait", () -> barrier.getNumberWaiting() == 1);
        JvmProcess p = new JvmProcess(() -> awaitOnceOrFail(barrier));
        p.start();
        // While the action runs every party counts as waiting: the child has arrived and runs it.
        org.multiprocessing4j.testing.Await.until(LONG, "the child to run the action",
                () -> barrier.getNumberWaiting() == 2);
        assertTrue(waiter.isAlive(), "the parent waits for the action");
        p.kill();
        assertTrue(p.join(LONG));
        waiter.join(LONG.toMillis());
        assertFalse(waiter.isAlive(), "the parent was released");
        assertTrue(parent.get() instanceof java.util.concurrent.BrokenBarrierException, "the parent got: " + parent.get());
        assertTrue(barrier.isBroken());
    }

    @Test
    void barrierActionMisuseIsRefusedWithClearErrors() throws Exception {
        ProcessContext ctx = Multiprocessing.getContext();
        Object notSerializable = new Object();
        Messages.assertMessage(ProcessSerializationException.class,
                () -> ctx.barrier(2, () -> notSerializable.hashCode()), "the barrier action", "java.lang.Object");
        Messages.assertMessage(IllegalArgumentException.class, () -> ctx.barrier(0, () -> { }), "parties");
        assertEquals(0, ctx.barrier(1, null).await(), "a null action is none, as in CyclicBarrier");
    }

    /** One await of {@code barrier} in a new thread; its index, or what it threw, goes to {@code outcome}. */
    private static Thread awaitInThread(ProcessBarrier barrier, AtomicReference<Object> outcome) {
        Thread t = new Thread(() -> {
            try {
                outcome.set(barrier.await(LONG.toSeconds(), TimeUnit.SECONDS));
            } catch (Throwable e) {
                outcome.set(e);
            }
        }, "SyncContract-barrier-waiter");
        t.start();
        return t;
    }

    /** One await in a child; what it throws ends the child with exit code 1. */
    private static void awaitOnceOrFail(ProcessBarrier barrier) {
        try {
            barrier.await(LONG.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException | java.util.concurrent.BrokenBarrierException
                 | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }
}
