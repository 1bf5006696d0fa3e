package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiprocessing4j.testing.Await;
import org.multiprocessing4j.testing.BlockingCall;
import org.multiprocessing4j.testing.Channels;
import org.multiprocessing4j.testing.NoLeftovers;
import org.multiprocessing4j.testing.OsSignals;

/**
 * A thread interrupted in every blocking call of every type (issue 16 part 4): the call either
 * completes or has no effect (checked by the state afterwards: the item is still there, the
 * permit count unchanged, the lock free), and the interrupt is kept, as an
 * {@code InterruptedException} (the status then cleared, as Java's convention has it) or, where
 * the call is documented to go on or to throw something else, as the thread's interrupt status.
 * The other side of each wait is a child process where one is needed to make it a wait.
 */
@ExtendWith(NoLeftovers.class)
@Timeout(240)
abstract class InterruptContract extends StartMethodSuite {
    private static final Duration LONG = Duration.ofSeconds(60);

    private static void joined(JvmProcess p) throws InterruptedException {
        assertTrue(p.join(LONG), "process " + p.getName() + " did not end within " + LONG.toSeconds() + " s");
        assertEquals(0, p.exitCode().getAsInt(), "exit code of " + p.getName() + ": " + p.exception());
    }

    /** For targets, which cannot throw {@code InterruptedException}: waits until {@code event} is set. */
    private static void awaitSet(ProcessEvent event) {
        try {
            event.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] numbered(int n, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i += 4096) {
            b[i] = (byte) (i / 4096 + n);
        }
        ByteBuffer.wrap(b).putInt(n);
        return b;
    }

    private static void assertNumbered(int n, int length, byte[] got) {
        assertEquals(length, got.length, "length of item " + n);
        assertArrayEquals(numbered(n, length), got, "item " + n + " is whole");
    }

    // ---- queues ------------------------------------------------------------------------------

    @Test
    void takeAndPollOfAnEmptyQueueThrowAndTakeNothing() throws Exception {
        ProcessQueue<Integer> q = ProcessQueue.create();
        BlockingCall.interruptWhileBlocked("take()", "take", q::take).assertThrewInterruptedException();
        BlockingCall.interruptWhileBlocked("poll(Duration)", "poll", () -> q.poll(LONG))
                .assertThrewInterruptedException();
        BlockingCall.interruptWhileBlocked("poll(long, TimeUnit)", "poll", () -> q.poll(60, TimeUnit.SECONDS))
                .assertThrewInterruptedException();
        BlockingCall.callInterrupted("take() with the interrupt status set", q::take).assertThrewInterruptedException();
        // The waiters left nothing behind: an item a child puts now wakes the next taker.
        BlockingCall taker = BlockingCall.start("take() after the interrupted ones", q::take).awaitBlockedIn("take");
        JvmProcess producer = new JvmProcess(() -> Channels.put(q, 7));
        producer.start();
        assertEquals(7, taker.awaitEnd().returned(), taker.toString());
        joined(producer);
        assertTrue(q.isEmpty());
    }

    /** With an item there, an interrupted take may take it (keeping the interrupt) or leave it. */
    @Test
    void aTakeWithTheInterruptStatusSetEitherTakesTheItemOrLeavesIt() throws Exception {
        ProcessQueue<String> q = ProcessQueue.create();
        q.put("there");
        BlockingCall take = BlockingCall.callInterrupted("take() of an item that is there", q::take);
        if (take.assertInterruptKept()) {
            assertEquals("there", q.poll(), "the interrupted take left the item");
        } else {
            assertEquals("there", take.returned());
        }
        q.put("again");
        BlockingCall poll = BlockingCall.callInterrupted("poll() of an item that is there", q::poll);
        assertEquals("again", poll.returned(), "poll() does not wait: " + poll);
        assertTrue(poll.interruptedAfter(), "poll() kept the interrupt status");
        assertNull(q.poll());
    }

    @Test
    void putAndOfferOnAFullBoundedQueueThrowAndPutNothing() throws Exception {
        ProcessQueue<Integer> q = ProcessQueue.create(1);
        JvmProcess filler = new JvmProcess(() -> Channels.put(q, 1));
        filler.start();
        joined(filler);
        BlockingCall.interruptWhileBlocked("put() on a full queue", "put", () -> {
            q.put(2);
            return null;
        }).assertThrewInterruptedException();
        BlockingCall.interruptWhileBlocked("offer(long, TimeUnit) on a full queue", "offer",
                () -> q.offer(3, 60, TimeUnit.SECONDS)).assertThrewInterruptedException();
        BlockingCall.interruptWhileBlocked("offer(Duration) on a full queue", "offer",
                () -> q.offer(4, LONG)).assertThrewInterruptedException();
        BlockingCall.callInterrupted("put() on a full queue with the interrupt status set", () -> {
            q.put(5);
            return null;
        }).assertThrewInterruptedException();
        BlockingCall offer = BlockingCall.callInterrupted("offer() on a full queue", () -> q.offer(6));
        assertEquals(false, offer.returned(), offer.toString());
        assertTrue(offer.interruptedAfter(), "offer() kept the interrupt status");
        assertEquals(1, q.size(), "nothing of the interrupted puts is in the queue");
        assertEquals(1, q.poll());
        assertNull(q.poll());
    }

    /**
     * A put of an item larger than the ring, interrupted while it waits for room with part of
     * the item written: the part is dropped, the item is not counted, and the next item comes
     * whole.
     */
    @Test
    void aPutInterruptedInTheMiddleOfAStreamedItemPutsNothing() throws Exception {
        JoinableProcessQueue<byte[]> q = JoinableProcessQueue.create(10);
        int size = 6 << 20; // the ring is 4 MiB
        BlockingCall put = BlockingCall.start("put() of 6 MiB with nobody reading", () -> {
            q.put(numbered(1, size));
            return null;
        });
        Await.until(LONG, "the producer to start writing", () -> !q.isEmpty());
        put.awaitBlockedIn("put").interrupt().awaitEnd().assertThrewInterruptedException();
        assertEquals(0, q.unfinishedTasks(), "the abandoned item is not counted");
        ProcessQueue<String> verdict = ProcessQueue.create();
        JvmProcess consumer = new JvmProcess(() -> {
            byte[] got = Channels.take(q, "the item after the abandoned one");
            Channels.put(verdict, got.length + " " + ByteBuffer.wrap(got).getInt());
            q.taskDone();
        });
        consumer.start();
        // The pieces written were taken back (see anInterruptedStreamedPutLeavesRoomInABoundedQueue):
        // this put needs no consumer, and the child takes this item first.
        assertTrue(q.offer(numbered(2, 1000)), "the interrupted put left room");
        assertEquals("1000 2", Channels.take(verdict, "what the consumer took"));
        joined(consumer);
        assertTrue(q.join(LONG));
        assertNull(q.poll());
    }

    /**
     * After the only put into a bounded queue was interrupted in the middle of an item larger
     * than the ring, the queue is empty ({@code size()} 0, {@code remainingCapacity()} its
     * maxsize), and "nothing is put" says its javadoc: so a small item fits without a consumer.
     * (The pieces written are taken back, as no consumer has begun the item.)
     */
    @Test
    void anInterruptedStreamedPutLeavesRoomInABoundedQueue() throws Exception {
        ProcessQueue<byte[]> q = ProcessQueue.create(10);
        BlockingCall put = BlockingCall.start("put() of 6 MiB with nobody reading", () -> {
            q.put(numbered(1, 6 << 20));
            return null;
        });
        Await.until(LONG, "the producer to start writing", () -> !q.isEmpty());
        put.awaitBlockedIn("put").interrupt().awaitEnd().assertThrewInterruptedException();
        assertEquals(0, q.size());
        assertEquals(10, q.remainingCapacity());
        assertTrue(q.offer(numbered(2, 100), Duration.ofSeconds(10)), "an empty bounded queue takes a small item");
        assertNumbered(2, 100, q.poll());
    }

    /**
     * A consumer that has read part of a streamed item when it is interrupted finishes the item
     * (its producer, stopped meanwhile with SIGSTOP, is waiting for the room it makes) and keeps
     * the interrupt; a second consumer waiting for the consumer lock, and a producer waiting for
     * the stopped producer's lock, throw and change nothing.
     */
    @Test
    void aTakeInterruptedInTheMiddleOfAStreamedItemFinishesIt() throws Exception {
        ProcessQueue<byte[]> q = ProcessQueue.create(1);
        int size = 12 << 20;
        JvmProcess producer = new JvmProcess(() -> Channels.put(q, numbered(1, size)));
        producer.start();
        Await.until(LONG, "the producer to start writing", () -> !q.isEmpty());
        OsSignals.send(producer.pid(), "STOP");
        try {
            Await.until(LONG, "the producer to stop", () -> OsSignals.isStopped(producer.pid()));
            BlockingCall take = BlockingCall.start("take() of a streamed item", q::take).awaitBlockedIn("take");
            BlockingCall secondTaker = BlockingCall.interruptWhileBlocked("poll(Duration) while another thread reads",
                    "poll", () -> q.poll(LONG));
            secondTaker.assertThrewInterruptedException();
            BlockingCall.interruptWhileBlocked("offer(Duration) while the stopped producer writes", "offer",
                    () -> q.offer(numbered(2, 10), LONG)).assertThrewInterruptedException();
            take.interrupt();
            OsSignals.send(producer.pid(), "CONT");
            take.awaitEnd().assertReturnedKeepingInterrupt();
            assertNumbered(1, size, (byte[]) take.returned());
        } finally {
            OsSignals.sendIfAlive(producer.pid(), "CONT"); // a failed assertion must not leave it stopped
        }
        joined(producer);
        assertNull(q.poll(), "nothing of the interrupted offer is there");
        assertEquals(0, q.size());
    }

    @Test
    void joinOfAJoinableQueueThrowsAndChangesNoCount() throws Exception {
        JoinableProcessQueue<Integer> q = JoinableProcessQueue.create();
        q.put(1);
        BlockingCall.interruptWhileBlocked("join()", "join", () -> {
            q.join();
            return null;
        }).assertThrewInterruptedException();
        BlockingCall.interruptWhileBlocked("join(Duration)", "join", () -> q.join(LONG))
                .assertThrewInterruptedException();
        assertEquals(1, q.unfinishedTasks());
        BlockingCall join = BlockingCall.start("join() after the interrupted ones", () -> {
            q.join();
            return null;
        }).awaitBlockedIn("join");
        JvmProcess worker = new JvmProcess(() -> {
            Channels.take(q, "the item");
            q.taskDone();
        });
        worker.start();
        join.awaitEnd();
        assertNull(join.thrown(), join.toString());
        joined(worker);
    }

    // ---- pipes -------------------------------------------------------------------------------

    @Test
    void receivingFromAnEmptyPipeThrowsAndReceivesNothing() throws Exception {
        ProcessPipe pipe = ProcessPipe.open();
        PipeConnection mine = pipe.first();
        PipeConnection theirs = pipe.second();
        BlockingCall.interruptWhileBlocked("recv()", "recv", mine::recv).assertThrewInterruptedException();
        BlockingCall.interruptWhileBlocked("recvBytes()", "recvBytes", mine::recvBytes)
                .assertThrewInterruptedException();
        BlockingCall.interruptWhileBlocked("recvBytesInto()", "recvBytesInto", () -> mine.recvBytesInto(new byte[8]))
                .assertThrewInterruptedException();
        BlockingCall.interruptWhileBlocked("poll(Duration)", "poll", () -> mine.poll(LONG))
                .assertThrewInterruptedException();
        BlockingCall.callInterrupted("recv() with the interrupt status set", mine::recv)
                .assertThrewInterruptedException();
        JvmProcess sender = new JvmProcess(() -> Channels.send(theirs, "after"));
        sender.start();
        theirs.close();
        assertTrue(mine.poll(LONG), "the child's message came");
        BlockingCall poll = BlockingCall.callInterrupted("poll() with a message there", mine::poll);
        assertEquals(true, poll.returned(), "poll() does not wait, so the interrupt status changes nothing: " + poll);
        assertTrue(poll.interruptedAfter(), "poll() kept the interrupt status");
        assertEquals("after", Channels.recv(mine, "the message sent after the interrupted receives"));
        joined(sender);
        assertThrows(PipeClosedException.class, mine::recv, "nothing else is there, and the other end is gone");
        pipe.close();
    }

    /**
     * Sends into a full pipe, interrupted: a message streamed in pieces is dropped whole, and a
     * small one is not sent; the receiver gets exactly what was sent before.
     */
    @Test
    void sendingIntoAFullPipeThrowsAndSendsNothing() throws Exception {
        ProcessPipe pipe = ProcessPipe.open();
        PipeConnection mine = pipe.first();
        PipeConnection theirs = pipe.second();
        int big = 3 << 20; // the pipe holds 1 MiB each way
        BlockingCall streamed = BlockingCall.start("send() of 3 MiB with nobody reading", () -> {
            mine.send(numbered(1, big));
            return null;
        });
        Await.until(LONG, "the first part of the message to arrive", theirs::poll);
        streamed.awaitBlockedIn("send").interrupt().awaitEnd().assertThrewInterruptedException();
        ProcessQueue<String> verdict = ProcessQueue.create();
        JvmProcess receiver = new JvmProcess(() -> Channels.put(verdict, Channels.recv(theirs, "the next message")));
        receiver.start();
        mine.send("after"); // once the child has dropped the pieces of the abandoned message
        assertEquals("after", Channels.take(verdict, "what the child received"));
        joined(receiver);

        // The other way: small messages until a send waits for room.
        AtomicInteger sent = new AtomicInteger();
        BlockingCall filler = BlockingCall.start("sendBytes() until the pipe is full", () -> {
            for (int i = 0; ; i++) {
                theirs.sendBytes(numbered(100 + i, 64 << 10));
                sent.incrementAndGet();
            }
        });
        filler.awaitBlockedIn("sendBytes").interrupt().awaitEnd().assertThrewInterruptedException();
        BlockingCall.callInterrupted("sendBytes() into a full pipe with the interrupt status set", () -> {
            theirs.sendBytes(new byte[64 << 10]);
            return null;
        }).assertThrewInterruptedException();
        int n = sent.get();
        assertTrue(n > 0, "some messages fit");
        for (int i = 0; i < n; i++) {
            assertTrue(mine.poll(), "message " + i + " of " + n + " is there");
            assertNumbered(100 + i, 64 << 10, mine.recvBytes());
        }
        assertFalse(mine.poll(), "nothing of the interrupted sends is there");
        pipe.close();
    }

    // ---- locks, conditions -------------------------------------------------------------------

    /**
     * A child holds a lock of each kind until told to let go: every interruptible way of taking
     * them throws and leaves them the child's; {@code lock()} keeps waiting, gets the lock once
     * the child lets go, and keeps the interrupt.
     */
    @Test
    void takingALockAChildHoldsIsInterruptibleExceptByLock() throws Exception {
        ProcessLock plain = ProcessLock.create();
        ProcessReentrantLock reentrant = ProcessReentrantLock.create();
        SharedLong value = SharedLong.create(0);
        ProcessEvent holding = ProcessEvent.create();
        ProcessEvent letGo = ProcessEvent.create();
        JvmProcess holder = new JvmProcess(() -> {
            List<ProcessLock> all = List.of(plain, reentrant, value.getLock());
            all.forEach(Lock::lock);
            holding.set();
            awaitSet(letGo);
            all.forEach(Lock::unlock);
        });
        holder.start();
        assertTrue(holding.await(LONG), "the child took the locks");
        List<ProcessLock> locks = List.of(plain, reentrant, value.getLock());
        List<BlockingCall> lockCalls = new ArrayList<>();
        for (ProcessLock lock : locks) {
            String kind = lock.getClass().getSimpleName() + (lock == value.getLock() ? " of a SharedLong" : "");
            BlockingCall.interruptWhileBlocked("lockInterruptibly() of a " + kind, "lockInterruptibly", () -> {
                lock.lockInterruptibly();
                return "locked";
            }).assertThrewInterruptedException();
            BlockingCall.interruptWhileBlocked("tryLock(long, TimeUnit) of a " + kind, "tryLock",
                    () -> lock.tryLock(60, TimeUnit.SECONDS)).assertThrewInterruptedException();
            BlockingCall.interruptWhileBlocked("tryLock(Duration) of a " + kind, "tryLock",
                    () -> lock.tryLock(LONG)).assertThrewInterruptedException();
            BlockingCall.callInterrupted("lockInterruptibly() of a " + kind + " with the interrupt status set", () -> {
                lock.lockInterruptibly();
                return "locked";
            }).assertThrewInterruptedException();
            BlockingCall tryLock = BlockingCall.callInterrupted("tryLock() of a " + kind, lock::tryLock);
            assertEquals(false, tryLock.returned(), tryLock.toString());
            assertTrue(tryLock.interruptedAfter(), "tryLock() kept the interrupt status");
            assertTrue(lock.isLocked() && !lock.isHeldByCurrentThread(), kind + " is still the child's");
            lockCalls.add(BlockingCall.start("lock() of a " + kind, () -> {
                lock.lock();
                try {
                    return lock.isHeldByCurrentThread();
                } finally {
                    lock.unlock();
                }
            }).awaitBlockedIn("lock").interrupt());
        }
        letGo.set();
        for (BlockingCall c : lockCalls) {
            c.awaitEnd().assertReturnedKeepingInterrupt();
            assertEquals(true, c.returned(), c + ": held by its thread when lock() returned");
        }
        joined(holder);
        for (ProcessLock lock : locks) {
            assertFalse(lock.isLocked(), lock + " is free");
        }
    }

    /**
     * Every interruptible await of a condition throws with the lock held again, as often as the
     * thread held it; a signal given afterwards still reaches a waiter in a child.
     */
    @Test
    void anInterruptedAwaitHoldsTheLockAgainAndLosesNoLaterSignal() throws Exception {
        ProcessCondition cond = ProcessCondition.create();
        ProcessReentrantLock lock = (ProcessReentrantLock) cond.getLock();
        List<String> kinds = List.of("await()", "await(Duration)", "await(long, TimeUnit)", "awaitNanos",
                "awaitUntil");
        for (String kind : kinds) {
            BlockingCall.interruptWhileBlocked(kind, kind.replaceAll("\\(.*", ""), () -> {
                lock.lock();
                lock.lock();
                try {
                    switch (kind) {
                        case "await()":
                            cond.await();
                            return null;
                        case "await(Duration)":
                            return cond.await(LONG);
                        case "await(long, TimeUnit)":
                            return cond.await(60, TimeUnit.SECONDS);
                        case "awaitNanos":
                            return cond.awaitNanos(LONG.toNanos());
                        default:
                            return cond.awaitUntil(new Date(System.currentTimeMillis() + LONG.toMillis()));
                    }
                } finally {
                    if (lock.getHoldCount() != 2) {
                        throw new AssertionError(kind + " returned holding the lock " + lock.getHoldCount() + " times");
                    }
                    lock.unlock();
                    lock.unlock();
                }
            }).assertThrewInterruptedException();
        }
        BlockingCall.callInterrupted("await() with the interrupt status set", () -> {
            lock.lock();
            try {
                cond.await();
                return null;
            } finally {
                lock.unlock();
            }
        }).assertThrewInterruptedException();
        assertFalse(lock.isLocked());
        SharedLong waiting = SharedLong.create(0);
        JvmProcess waiter = new JvmProcess(() -> {
            lock.lock();
            try {
                waiting.set(1);
                cond.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            } finally {
                lock.unlock();
            }
        });
        waiter.start();
        Await.until(LONG, "the child to hold the lock", () -> waiting.get() == 1);
        lock.lock(); // the child has released it in await()
        try {
            cond.signal();
        } finally {
            lock.unlock();
        }
        joined(waiter);
    }

    /**
     * {@code awaitUninterruptibly} does not end on an interrupt: a signal given while it is
     * being interrupted (by a thread that holds the lock meanwhile) still ends it, and the
     * interrupt is kept.
     */
    @Test
    void awaitUninterruptiblyKeepsWaitingThroughAnInterruptAndIsSignalled() throws Exception {
        ProcessCondition cond = ProcessCondition.create();
        ProcessLock lock = cond.getLock();
        BlockingCall await = BlockingCall.start("awaitUninterruptibly()", () -> {
            lock.lock();
            try {
                cond.awaitUninterruptibly();
                return lock.isHeldByCurrentThread();
            } finally {
                lock.unlock();
            }
        }).awaitBlockedIn("awaitUninterruptibly");
        lock.lock();
        try {
            await.interrupt();
            cond.signal();
        } finally {
            lock.unlock();
        }
        await.awaitEnd().assertReturnedKeepingInterrupt();
        assertEquals(true, await.returned(), "the lock was held again when it returned");
    }

    // ---- semaphores, events, barriers --------------------------------------------------------

    @Test
    void acquiringASemaphoreThrowsAndTakesNoPermit() throws Exception {
        ProcessSemaphore sem = ProcessSemaphore.create(1);
        BlockingCall.interruptWhileBlocked("acquire(2) with 1 permit", "acquire", () -> {
            sem.acquire(2);
            return null;
        }).assertThrewInterruptedException();
        BlockingCall.interruptWhileBlocked("tryAcquire(2, long, TimeUnit) with 1 permit", "tryAcquire",
                () -> sem.tryAcquire(2, 60, TimeUnit.SECONDS)).assertThrewInterruptedException();
        assertEquals(1, sem.availablePermits(), "no permit taken by a part of the acquire");
        JvmProcess taker = new JvmProcess(() -> {
            if (!sem.tryAcquire()) {
                throw new IllegalStateException("no permit");
            }
        });
        taker.start();
        joined(taker);
        assertEquals(0, sem.availablePermits());
        BlockingCall.interruptWhileBlocked("acquire()", "acquire", () -> {
            sem.acquire();
            return null;
        }).assertThrewInterruptedException();
        BlockingCall.interruptWhileBlocked("tryAcquire(long, TimeUnit)", "tryAcquire",
                () -> sem.tryAcquire(60, TimeUnit.SECONDS)).assertThrewInterruptedException();
        BlockingCall.interruptWhileBlocked("tryAcquire(Duration)", "tryAcquire", () -> sem.tryAcquire(LONG))
                .assertThrewInterruptedException();
        BlockingCall.callInterrupted("acquire() with the interrupt status set", () -> {
            sem.acquire();
            return null;
        }).assertThrewInterruptedException();
        BlockingCall tryAcquire = BlockingCall.callInterrupted("tryAcquire()", sem::tryAcquire);
        assertEquals(false, tryAcquire.returned(), tryAcquire.toString());
        assertTrue(tryAcquire.interruptedAfter(), "tryAcquire() kept the interrupt status");
        assertEquals(0, sem.availablePermits());
        // A waiter after the interrupted ones gets the permit a child releases.
        BlockingCall acquire = BlockingCall.start("acquire() after the interrupted ones", () -> {
            sem.acquire();
            return "acquired";
        }).awaitBlockedIn("acquire");
        JvmProcess releaser = new JvmProcess(sem::release);
        releaser.start();
        assertEquals("acquired", acquire.awaitEnd().returned(), acquire.toString());
        joined(releaser);
        assertEquals(0, sem.availablePermits());
    }

    @Test
    void awaitingAnEventThrowsAndALaterSetStillWakes() throws Exception {
        ProcessEvent event = ProcessEvent.create();
        BlockingCall.interruptWhileBlocked("await()", "await", () -> {
            event.await();
            return null;
        }).assertThrewInterruptedException();
        BlockingCall.interruptWhileBlocked("await(Duration)", "await", () -> event.await(LONG))
                .assertThrewInterruptedException();
        BlockingCall.callInterrupted("await(Duration) with the interrupt status set", () -> event.await(LONG))
                .assertThrewInterruptedException();
        assertFalse(event.isSet());
        BlockingCall await = BlockingCall.start("await() after the interrupted ones", () -> event.await(LONG))
                .awaitBlockedIn("await");
        JvmProcess setter = new JvmProcess(event::set);
        setter.start();
        assertEquals(true, await.awaitEnd().returned(), await.toString());
        joined(setter);
        event.clear();
        BlockingCall set = BlockingCall.callInterrupted("await() of a set event", () -> {
            event.set();
            return event.await(LONG);
        });
        if (!set.assertInterruptKept()) {
            assertEquals(true, set.returned());
        }
    }

    /** As {@code CyclicBarrier}: an interrupted waiter throws and breaks the barrier, for everyone, until reset. */
    @Test
    void anInterruptedBarrierWaiterThrowsAndBreaksIt() throws Exception {
        ProcessBarrier barrier = ProcessBarrier.create(2);
        BlockingCall.interruptWhileBlocked("await()", "await", barrier::await).assertThrewInterruptedException();
        assertTrue(barrier.isBroken(), "the interrupt broke the barrier, as it breaks a CyclicBarrier");
        JvmProcess late = new JvmProcess(() -> {
            try {
                barrier.await(LONG);
                throw new IllegalStateException("a broken barrier let a party through");
            } catch (BrokenBarrierException expected) {
                // as documented
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        late.start();
        joined(late);
        barrier.reset();
        BlockingCall.interruptWhileBlocked("await(Duration)", "await", () -> barrier.await(LONG))
                .assertThrewInterruptedException();
        barrier.reset();
        BlockingCall.interruptWhileBlocked("await(long, TimeUnit)", "await", () -> barrier.await(60, TimeUnit.SECONDS))
                .assertThrewInterruptedException();
        barrier.reset();
        assertFalse(barrier.isBroken());
        JvmProcess party = new JvmProcess(() -> {
            try {
                barrier.await(LONG);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        party.start();
        barrier.await(LONG);
        joined(party);
    }

    // ---- processes ---------------------------------------------------------------------------

    @Test
    void joiningAProcessThrowsAndLeavesItRunning() throws Exception {
        ProcessEvent go = ProcessEvent.create();
        JvmProcess p = new JvmProcess(() -> awaitSet(go));
        p.start();
        BlockingCall.interruptWhileBlocked("join()", "join", () -> {
            p.join();
            return null;
        }).assertThrewInterruptedException();
        BlockingCall.interruptWhileBlocked("join(Duration)", "join", () -> p.join(LONG))
                .assertThrewInterruptedException();
        BlockingCall.callInterrupted("join(Duration) with the interrupt status set", () -> p.join(LONG))
                .assertThrewInterruptedException();
        BlockingCall.interruptWhileBlocked("awaitReady(the process)", "awaitReady",
                () -> Multiprocessing.awaitReady(List.of(p), LONG)).assertThrewInterruptedException();
        assertTrue(p.isAlive(), "the child is unaffected");
        go.set();
        joined(p);
    }

    /** The documentation says join() "returns at once" once the process has ended: so it does, interrupted or not. */
    @Test
    void joiningAnEndedProcessReturnsEvenWithTheInterruptStatusSet() throws Exception {
        JvmProcess p = new JvmProcess(() -> { });
        p.start();
        joined(p);
        BlockingCall.callInterrupted("join() of an ended process", () -> {
            p.join();
            return "returned";
        }).assertReturnedKeepingInterrupt();
        BlockingCall join = BlockingCall.callInterrupted("join(Duration) of an ended process", () -> p.join(LONG));
        join.assertReturnedKeepingInterrupt();
        assertEquals(true, join.returned());
    }

    // ---- shared memory touched by a thread whose interrupt status is set ----------------------

    /**
     * A thread whose interrupt status is set (a task being cancelled, say) makes shared
     * objects as any other does: making one does not wait, so nothing is interrupted, and the
     * status stays set.
     */
    @Test
    void makingSharedObjectsWithTheInterruptStatusSetWorks() {
        List<java.util.function.Supplier<Object>> makers = List.of(ProcessQueue::create, ProcessPipe::open,
                ProcessLock::create, ProcessEvent::create, () -> SharedLong.create(1), () -> SharedMemory.create(64));
        for (java.util.function.Supplier<Object> maker : makers) {
            BlockingCall make = BlockingCall.callInterrupted("making a shared object", maker::get);
            make.assertReturnedKeepingInterrupt();
        }
    }

    /**
     * A handle decoded by a thread whose interrupt status is set (a pipe end taken from a queue
     * by a thread being cancelled, say) attaches while its maker lives.
     */
    @Test
    void aHandleDecodedWithTheInterruptStatusSetAttaches() throws Exception {
        ProcessQueue<Object> handles = ProcessQueue.create();
        ProcessEvent done = ProcessEvent.create();
        JvmProcess maker = new JvmProcess(() -> {
            ProcessQueue<String> q = ProcessQueue.create();
            Channels.put(q, "inside");
            Channels.put(handles, q); // a queue travels as a handle, through a queue too
            awaitSet(done);
        });
        maker.start();
        try {
            Await.until(LONG, "the child's handle", () -> !handles.isEmpty());
            BlockingCall take = BlockingCall.callInterrupted("poll() of a handle", () -> {
                @SuppressWarnings("unchecked")
                ProcessQueue<String> q = (ProcessQueue<String>) handles.poll();
                return q.poll();
            });
            take.assertReturnedKeepingInterrupt();
            assertEquals("inside", take.returned());
        } finally {
            done.set();
        }
        joined(maker);
    }

    /**
     * An event set by a thread whose interrupt status is set wakes a waiter in a child at once,
     * not when the waiter next looks by itself (after up to 5 s, once it has waited a while).
     */
    @Test
    void aSetByAThreadWithTheInterruptStatusSetWakesAtOnce() throws Exception {
        ProcessEvent event = ProcessEvent.create();
        SharedLong wokeAt = SharedLong.create(0);
        JvmProcess waiter = new JvmProcess(() -> {
            awaitSet(event);
            wokeAt.set(System.currentTimeMillis());
        });
        waiter.start();
        // Long enough that the waiter sleeps for seconds between its own looks (20 ms doubling).
        Thread.sleep(3000); // not a synchronization: the waiter's sleep periods grow with time
        long setAt = System.currentTimeMillis();
        BlockingCall.callInterrupted("set() of an event", () -> {
            event.set();
            return null;
        }).assertReturnedKeepingInterrupt();
        joined(waiter);
        long late = wokeAt.get() - setAt;
        assertTrue(late < 1000, "the waiter woke " + late + " ms after the set()");
    }

    // ---- pools, managers, connections -------------------------------------------------------

    /**
     * Waiting for a pool's results, interrupted: {@code apply}, {@code map} and a future's
     * {@code get} throw and leave their tasks running; {@code join()} of the future goes on
     * waiting; an imap iterator throws {@code IllegalStateException} keeping the interrupt, as
     * documented, and can be read on.
     */
    @Test
    void waitingForAPoolThrowsAndLeavesItsTasksRunning() throws Exception {
        ProcessEvent go = ProcessEvent.create();
        SharedLong ran = SharedLong.create(0);
        SerializableFunction<Integer, Integer> slow = x -> {
            awaitSet(go);
            ran.incrementAndGet();
            return x;
        };
        try (ProcessPool pool = Multiprocessing.getContext().pool(1)) {
            BlockingCall.interruptWhileBlocked("apply()", "apply", () -> pool.apply(() -> slow.apply(1)))
                    .assertThrewInterruptedException();
            java.util.concurrent.CompletableFuture<Integer> f = pool.applyAsync(() -> slow.apply(2));
            BlockingCall.interruptWhileBlocked("get() of applyAsync's future", "get", f::get)
                    .assertThrewInterruptedException();
            BlockingCall.interruptWhileBlocked("get(long, TimeUnit)", "get", () -> f.get(60, TimeUnit.SECONDS))
                    .assertThrewInterruptedException();
            BlockingCall.callInterrupted("get() with the interrupt status set", f::get).assertThrewInterruptedException();
            BlockingCall join = BlockingCall.start("join() of applyAsync's future", f::join).awaitBlockedIn("join")
                    .interrupt();
            BlockingCall.interruptWhileBlocked("map()", "map", () -> pool.map(slow, List.of(3, 4, 5)))
                    .assertThrewInterruptedException();
            ResultIterator<Integer> it = pool.imap(slow, List.of(6));
            BlockingCall next = BlockingCall.interruptWhileBlocked("next() of imap's iterator", "next", it::next);
            next.assertEndedKeepingInterrupt();
            assertTrue(next.thrown() instanceof IllegalStateException, next.toString());
            assertFalse(f.isDone(), "the interrupted waits cancelled nothing");
            go.set();
            join.awaitEnd().assertReturnedKeepingInterrupt();
            assertEquals(2, join.returned());
            assertEquals(2, f.get(60, TimeUnit.SECONDS));
            assertEquals(6, it.next(), "the iterator reads on after the interrupted next()");
            Await.until(LONG, "every task to have run: " + ran, () -> ran.get() == 6);
        }
    }

    /** Documented: an interrupted close() terminates the pool and keeps the interrupt. */
    @Test
    void anInterruptedCloseOfAPoolTerminatesItKeepingTheInterrupt() throws Exception {
        ProcessEvent never = ProcessEvent.create();
        ProcessPool pool = Multiprocessing.getContext().pool(1);
        java.util.concurrent.CompletableFuture<Object> f = pool.applyAsync(() -> {
            never.await();
            return null;
        });
        pool.shutdown();
        BlockingCall.interruptWhileBlocked("join() of a pool", "join", () -> {
            pool.join();
            return null;
        }).assertThrewInterruptedException();
        BlockingCall.interruptWhileBlocked("awaitTermination()", "awaitTermination",
                () -> pool.awaitTermination(60, TimeUnit.SECONDS)).assertThrewInterruptedException();
        assertFalse(f.isDone(), "the task runs on");
        BlockingCall.interruptWhileBlocked("close() of a pool", "close", () -> {
            pool.close();
            return null;
        }).assertReturnedKeepingInterrupt();
        assertTrue(pool.join(LONG), "terminated: its workers end");
        assertThrows(java.util.concurrent.CancellationException.class, () -> f.get(60, TimeUnit.SECONDS));
    }

    /** Documented: a manager's proxy throws IllegalStateException keeping the interrupt; nothing is lost. */
    @Test
    void waitingForAManagerThrowsIllegalStateKeepingTheInterrupt() throws Exception {
        try (ProcessManager manager = Multiprocessing.getContext().manager()) {
            java.util.concurrent.BlockingQueue<String> q = manager.queue();
            // Each thread reaches the server through a pipe of its own, made at its first call: a
            // call before the one interrupted makes it (see makingSharedObjectsWithTheInterruptStatusSet).
            BlockingCall take = BlockingCall.interruptWhileBlocked("take() of a manager's queue", "take", () -> {
                q.isEmpty();
                return q.take();
            });
            take.assertEndedKeepingInterrupt();
            assertTrue(take.thrown() instanceof IllegalStateException, take.toString());
            Lock lock = manager.lock();
            lock.lock();
            BlockingCall lockCall = BlockingCall.interruptWhileBlocked("lock() of a manager's lock", "lock", () -> {
                assertFalse(lock.tryLock(), "the lock is this test's");
                lock.lock();
                lock.unlock();
                return "locked";
            });
            lockCall.assertEndedKeepingInterrupt();
            assertTrue(lockCall.thrown() instanceof IllegalStateException, lockCall.toString());
            lock.unlock();
            assertTrue(lock.tryLock(), "the interrupted lock() did not take it");
            lock.unlock();
            q.put("a");
            assertEquals("a", q.poll(60, TimeUnit.SECONDS), "the interrupted take took nothing for good");
        }
    }

    /** Closing a manager whose server has died, with the interrupt status set: it returns, keeping it. */
    @Test
    void closingAManagerWhoseServerDiedWithTheInterruptStatusSetReturns() throws Exception {
        ProcessManager manager = Multiprocessing.getContext().manager();
        java.util.concurrent.BlockingQueue<String> q = manager.queue();
        ProcessHandle.of(manager.pid()).ifPresent(ProcessHandle::destroyForcibly);
        assertThrows(IllegalStateException.class, () -> q.put("x"), "the server is gone");
        BlockingCall.callInterrupted("close() of a manager whose server died", () -> {
            manager.close();
            return null;
        }).assertReturnedKeepingInterrupt();
    }

    /**
     * A socket connection's receive and poll, a listener's accept and awaitReady, interrupted:
     * they throw, and the connection and the listener still work.
     */
    @Test
    void socketConnectionsThrowAndStayUsable(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        String socket = dir.resolve("s").toString();
        byte[] key = "hostile".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (ConnectionListener listener = ConnectionListener.open(java.net.UnixDomainSocketAddress.of(socket), key)) {
            BlockingCall.interruptWhileBlocked("accept()", "accept", listener::accept).assertThrewInterruptedException();
            assertFalse(listener.isClosed());
            JvmProcess client = new JvmProcess(() -> {
                try (Connection c = Connection.connect(java.net.UnixDomainSocketAddress.of(socket), key)) {
                    c.send(c.<String>recv() + " back");
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            client.start();
            try (Connection c = listener.accept()) {
                BlockingCall.interruptWhileBlocked("recv() of a socket connection", "recv", c::recv)
                        .assertThrewInterruptedException();
                BlockingCall.interruptWhileBlocked("poll(Duration) of a socket connection", "poll", () -> c.poll(LONG))
                        .assertThrewInterruptedException();
                BlockingCall.interruptWhileBlocked("awaitReady(a socket connection)", "awaitReady",
                        () -> Multiprocessing.awaitReady(List.of(c), LONG)).assertThrewInterruptedException();
                c.send("there and");
                assertEquals("there and back", c.recv());
            }
            joined(client);
        }
    }
}
