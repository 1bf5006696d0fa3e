package org.multiprocessing4j.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.JoinableProcessQueue;
import org.multiprocessing4j.ProcessBarrier;
import org.multiprocessing4j.ProcessCondition;
import org.multiprocessing4j.ProcessEvent;
import org.multiprocessing4j.ProcessLock;
import org.multiprocessing4j.ProcessQueue;
import org.multiprocessing4j.ProcessReentrantLock;
import org.multiprocessing4j.ProcessSemaphore;
import org.multiprocessing4j.ProcessSerializationException;
import org.multiprocessing4j.SharedByteArray;
import org.multiprocessing4j.SharedDouble;
import org.multiprocessing4j.SharedDoubleArray;
import org.multiprocessing4j.SharedInt;
import org.multiprocessing4j.SharedIntArray;
import org.multiprocessing4j.SharedLong;
import org.multiprocessing4j.SharedLongArray;

/**
 * The public shared objects over a backend's stores: stores kept in this JVM's memory stand in
 * for a cluster's. Each facade's calls must reach its store, and a facade sent through Java
 * serialization must come back as the same class, attached to the same store through its
 * {@link StoreHandle}.
 */
class SharedObjectsTest {
    /** The stores by key, for their handles: the "cluster" of this test. */
    private static final Map<String, Object> STORES = new ConcurrentHashMap<>();
    /** The keys of the stores attached through a handle, in order. */
    private static final List<String> ATTACHED = new CopyOnWriteArrayList<>();

    /** Names a store of {@link #STORES}; attaching it looks it up and notes the attachment. */
    private static final class MemoryHandle<S> implements StoreHandle<S> {
        private static final long serialVersionUID = 1L;
        private final String key;

        MemoryHandle(Object store) {
            this.key = UUID.randomUUID().toString();
            STORES.put(key, store);
        }

        @Override
        @SuppressWarnings("unchecked")
        public S attach() {
            ATTACHED.add(key);
            return (S) STORES.get(key);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T sentAndReceived(T object) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(object);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }

    /** Sends {@code object} and checks it came back a new object of its class, through {@code handle}. */
    private static <T> T sentAndAttached(T object, StoreHandle<?> handle) throws Exception {
        int before = ATTACHED.size();
        T copy = sentAndReceived(object);
        assertNotSame(object, copy, "expected a new object on arrival");
        assertSame(object.getClass(), copy.getClass(), "expected the same public class on arrival");
        assertEquals(List.of(((MemoryHandle<?>) handle).key), ATTACHED.subList(before, ATTACHED.size()),
                "expected the store attached once, through its handle");
        return copy;
    }

    // The stores: as small as their contracts allow.

    private static final class MemoryQueue implements QueueStore {
        final LinkedBlockingQueue<byte[]> items = new LinkedBlockingQueue<>();
        final AtomicLong unfinished = new AtomicLong();
        final AtomicInteger closedHere = new AtomicInteger();
        final StoreHandle<QueueStore> handle = new MemoryHandle<>(this);

        @Override
        public boolean put(Object item, String what, long timeoutNanos) {
            items.add(SharedObjects.encodeItem(item, what));
            unfinished.incrementAndGet();
            return true;
        }

        @Override
        public Object take(long timeoutNanos) throws InterruptedException {
            byte[] item = timeoutNanos < 0 ? items.take() : items.poll(timeoutNanos, TimeUnit.NANOSECONDS);
            return item == null ? null : SharedObjects.decodeItem(item);
        }

        @Override
        public int size() {
            return items.size();
        }

        @Override
        public int maxsize() {
            return 0;
        }

        @Override
        public boolean taskDone() {
            return unfinished.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
        }

        @Override
        public boolean join(long timeoutNanos) {
            return unfinished.get() == 0;
        }

        @Override
        public long unfinishedTasks() {
            return unfinished.get();
        }

        @Override
        public void closedHere() {
            closedHere.incrementAndGet();
        }

        @Override
        public StoreHandle<QueueStore> handle() {
            return handle;
        }
    }

    private static final class MemoryLock implements LockStore {
        final ReentrantLock lock = new ReentrantLock();
        final boolean reentrant;
        final List<Serializable> conditionsAttached = new CopyOnWriteArrayList<>();
        final Map<Serializable, MemoryCondition> conditions = new ConcurrentHashMap<>();
        volatile boolean nextTakenOver;
        final StoreHandle<LockStore> handle = new MemoryHandle<>(this);

        MemoryLock(boolean reentrant) {
            this.reentrant = reentrant;
        }

        @Override
        public Acquisition acquire(long timeoutNanos) throws InterruptedException {
            if (!reentrant && lock.isHeldByCurrentThread()) {
                throw new IllegalStateException("held already");
            }
            boolean got = timeoutNanos < 0 ? lockInterruptibly() : lock.tryLock(timeoutNanos, TimeUnit.NANOSECONDS);
            if (!got) {
                return Acquisition.TIMED_OUT;
            }
            return nextTakenOver ? Acquisition.TAKEN_OVER : Acquisition.ACQUIRED;
        }

        private boolean lockInterruptibly() throws InterruptedException {
            lock.lockInterruptibly();
            return true;
        }

        @Override
        public void release() {
            lock.unlock();
        }

        @Override
        public boolean isHeldByCurrentThread() {
            return lock.isHeldByCurrentThread();
        }

        @Override
        public boolean isLocked() {
            return lock.isLocked();
        }

        @Override
        public int holdCount() {
            return lock.getHoldCount();
        }

        @Override
        public ConditionStore newCondition() {
            MemoryCondition c = new MemoryCondition(lock.newCondition());
            conditions.put(c.handle(), c);
            return c;
        }

        @Override
        public ConditionStore attachCondition(Serializable conditionHandle) {
            conditionsAttached.add(conditionHandle);
            return conditions.get(conditionHandle);
        }

        @Override
        public StoreHandle<LockStore> handle() {
            return handle;
        }
    }

    private static final class MemoryCondition implements ConditionStore {
        final Condition condition;
        final String key = UUID.randomUUID().toString();
        final AtomicInteger signals = new AtomicInteger();

        MemoryCondition(Condition condition) {
            this.condition = condition;
        }

        @Override
        public int await(long timeoutNanos) throws InterruptedException {
            return condition.awaitNanos(timeoutNanos) > 0 ? SIGNALLED : 0;
        }

        @Override
        public boolean lastAwaitRecovered() {
            return false;
        }

        @Override
        public void signal() {
            signals.incrementAndGet();
            condition.signal();
        }

        @Override
        public void signalAll() {
            signals.incrementAndGet();
            condition.signalAll();
        }

        @Override
        public Serializable handle() {
            return key;
        }
    }

    private static final class MemorySemaphore implements SemaphoreStore {
        final Semaphore permits = new Semaphore(3);
        final StoreHandle<SemaphoreStore> handle = new MemoryHandle<>(this);

        @Override
        public boolean acquire(int n, long timeoutNanos) throws InterruptedException {
            return permits.tryAcquire(n, Math.max(0, timeoutNanos), TimeUnit.NANOSECONDS);
        }

        @Override
        public void release(int n) {
            permits.release(n);
        }

        @Override
        public int available() {
            return permits.availablePermits();
        }

        @Override
        public int drain() {
            return permits.drainPermits();
        }

        @Override
        public boolean isBounded() {
            return false;
        }

        @Override
        public StoreHandle<SemaphoreStore> handle() {
            return handle;
        }
    }

    private static final class MemoryEvent implements EventStore {
        volatile boolean flag;
        final StoreHandle<EventStore> handle = new MemoryHandle<>(this);

        @Override
        public void set() {
            flag = true;
        }

        @Override
        public void clear() {
            flag = false;
        }

        @Override
        public boolean isSet() {
            return flag;
        }

        @Override
        public boolean await(long timeoutNanos) {
            return flag;
        }

        @Override
        public StoreHandle<EventStore> handle() {
            return handle;
        }
    }

    private static final class MemoryBarrier implements BarrierStore {
        final CyclicBarrier barrier = new CyclicBarrier(1);
        final StoreHandle<BarrierStore> handle = new MemoryHandle<>(this);

        @Override
        public int parties() {
            return barrier.getParties();
        }

        @Override
        public boolean isBroken() {
            return barrier.isBroken();
        }

        @Override
        public int waiting() {
            return barrier.getNumberWaiting();
        }

        @Override
        public int await(long timeoutNanos, Runnable action)
                throws InterruptedException, BrokenBarrierException, TimeoutException {
            if (action != null) {
                action.run(); // one party: every caller is the last
            }
            return barrier.await(timeoutNanos < 0 ? Long.MAX_VALUE : timeoutNanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public void reset() {
            barrier.reset();
        }

        @Override
        public StoreHandle<BarrierStore> handle() {
            return handle;
        }
    }

    /** 64 bits; the int methods use the low 32, as {@link ValueStore} says. */
    private static final class MemoryValue implements ValueStore {
        final AtomicLong bits = new AtomicLong();
        final MemoryLock lock = new MemoryLock(true);
        final StoreHandle<ValueStore> handle = new MemoryHandle<>(this);

        @Override
        public long getLong() {
            return bits.get();
        }

        @Override
        public void setLong(long value) {
            bits.set(value);
        }

        @Override
        public long getAndSetLong(long value) {
            return bits.getAndSet(value);
        }

        @Override
        public boolean compareAndSetLong(long expected, long value) {
            return bits.compareAndSet(expected, value);
        }

        @Override
        public long getAndAddLong(long delta) {
            return bits.getAndAdd(delta);
        }

        @Override
        public int getInt() {
            return (int) bits.get();
        }

        @Override
        public void setInt(int value) {
            bits.set(value);
        }

        @Override
        public int getAndSetInt(int value) {
            return (int) bits.getAndSet(value);
        }

        @Override
        public boolean compareAndSetInt(int expected, int value) {
            return bits.compareAndSet(expected, value);
        }

        @Override
        public int getAndAddInt(int delta) {
            return (int) bits.getAndUpdate(v -> (int) v + delta);
        }

        @Override
        public LockStore lock() {
            return lock;
        }

        @Override
        public StoreHandle<ValueStore> handle() {
            return handle;
        }
    }

    /** Every element is a long slot (an int or a double in it, as bits); bytes have their own. */
    private static final class MemoryArray implements ArrayStore {
        final AtomicLongArray slots;
        final byte[] bytes;
        final AtomicInteger calls = new AtomicInteger();
        final MemoryLock lock = new MemoryLock(true);
        final StoreHandle<ArrayStore> handle = new MemoryHandle<>(this);

        MemoryArray(int length) {
            this.slots = new AtomicLongArray(length);
            this.bytes = new byte[length];
        }

        @Override
        public int length() {
            return bytes.length;
        }

        @Override
        public long getLong(int i) {
            calls.incrementAndGet();
            return slots.get(i);
        }

        @Override
        public void setLong(int i, long v) {
            calls.incrementAndGet();
            slots.set(i, v);
        }

        @Override
        public boolean compareAndSetLong(int i, long expected, long v) {
            return slots.compareAndSet(i, expected, v);
        }

        @Override
        public long getAndAddLong(int i, long delta) {
            return slots.getAndAdd(i, delta);
        }

        @Override
        public int getInt(int i) {
            return (int) getLong(i);
        }

        @Override
        public void setInt(int i, int v) {
            setLong(i, v);
        }

        @Override
        public boolean compareAndSetInt(int i, int expected, int v) {
            return slots.compareAndSet(i, expected, v);
        }

        @Override
        public int getAndAddInt(int i, int delta) {
            return (int) slots.getAndUpdate(i, v -> (int) v + delta);
        }

        @Override
        public double getDouble(int i) {
            return Double.longBitsToDouble(getLong(i));
        }

        @Override
        public void setDouble(int i, double v) {
            setLong(i, Double.doubleToRawLongBits(v));
        }

        @Override
        public boolean compareAndSetDouble(int i, double expected, double v) {
            return slots.compareAndSet(i, Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(v));
        }

        @Override
        public synchronized byte getByte(int i) {
            return bytes[i];
        }

        @Override
        public synchronized void setByte(int i, byte v) {
            bytes[i] = v;
        }

        @Override
        public synchronized void getBytes(int from, byte[] dst, int offset, int count) {
            System.arraycopy(bytes, from, dst, offset, count);
        }

        @Override
        public synchronized void setBytes(int to, byte[] src, int offset, int count) {
            System.arraycopy(src, offset, bytes, to, count);
        }

        @Override
        public LockStore lock() {
            return lock;
        }

        @Override
        public StoreHandle<ArrayStore> handle() {
            return handle;
        }
    }

    // The facades.

    @Test
    void aQueuePutsAndTakesThroughItsStoreAndArrivesAttachedToIt() throws Exception {
        MemoryQueue store = new MemoryQueue();
        ProcessQueue<Object> queue = SharedObjects.queue(store);
        queue.put("first");
        assertTrue(queue.offer(List.of(1, 2), Duration.ofSeconds(1)), "expected an offer to reach the store");
        assertEquals(2, store.items.size(), "expected both items in the store");
        assertEquals(2, queue.size(), "expected size() from the store");
        assertFalse(queue.isEmpty(), "expected isEmpty() from the store");
        assertEquals(Integer.MAX_VALUE, queue.remainingCapacity(), "expected no bound (maxsize 0)");

        ProcessQueue<Object> copy = sentAndAttached(queue, store.handle);
        assertEquals("first", copy.take(), "expected the copy to take from the same store");
        assertEquals(List.of(1, 2), queue.poll(1, TimeUnit.SECONDS), "expected a Serializable item decoded");
        assertNull(copy.poll(), "expected an empty store to give null");

        queue.close();
        queue.close();
        assertEquals(1, store.closedHere.get(), "expected the store told once that the queue was closed here");
        IllegalStateException closed = assertThrows(IllegalStateException.class, () -> queue.put("late"));
        assertEquals("queue is closed", closed.getMessage(), "expected the local message");
        copy.put("still open");
        assertEquals(1, store.items.size(), "expected the other facade still to put");
    }

    @Test
    void aJoinableQueueCountsTasksInItsStore() throws Exception {
        MemoryQueue store = new MemoryQueue();
        JoinableProcessQueue<Integer> queue = SharedObjects.joinableQueue(store);
        queue.put(7);
        assertEquals(1, queue.unfinishedTasks(), "expected the store's count");
        assertFalse(queue.join(Duration.ZERO), "expected join to ask the store");
        JoinableProcessQueue<Integer> copy = sentAndAttached(queue, store.handle);
        assertEquals(7, copy.take(), "expected the item through the copy");
        copy.taskDone();
        assertTrue(queue.join(Duration.ZERO), "expected every task done");
        IllegalStateException tooMany = assertThrows(IllegalStateException.class, queue::taskDone);
        assertTrue(tooMany.getMessage().contains("more times"), "expected the local message, was: " + tooMany);
        copy.close();
        assertEquals("joinable queue is closed", assertThrows(IllegalStateException.class, copy::join).getMessage(),
                "expected the joinable queue's message");
    }

    @Test
    void aLockAcquiresThroughItsStoreAndArrivesAttachedToIt() throws Exception {
        MemoryLock store = new MemoryLock(false);
        ProcessLock lock = SharedObjects.lock(store);
        lock.lock();
        assertTrue(store.lock.isHeldByCurrentThread(), "expected lock() to acquire the store");
        assertTrue(lock.isLocked() && lock.isHeldByCurrentThread(), "expected the facade to ask the store");
        assertFalse(lock.heldAfterOwnerDied(), "expected an ordinary acquisition");
        assertThrows(IllegalStateException.class, lock::lock, "expected the store to refuse a second hold");
        lock.unlock();
        assertFalse(store.lock.isLocked(), "expected unlock() to release the store");
        assertThrows(IllegalMonitorStateException.class, lock::unlock, "expected the store's refusal");

        ProcessLock copy = sentAndAttached(lock, store.handle);
        store.nextTakenOver = true;
        assertTrue(copy.tryLock(), "expected the copy to acquire the same store");
        assertTrue(lock.isLocked(), "expected the original to see the copy's hold");
        assertTrue(copy.heldAfterOwnerDied(), "expected TAKEN_OVER to reach the facade");
        copy.unlock();
    }

    @Test
    void aReentrantLockCountsHoldsInItsStore() throws Exception {
        MemoryLock store = new MemoryLock(true);
        ProcessReentrantLock lock = SharedObjects.reentrantLock(store);
        lock.lock();
        lock.lock();
        assertEquals(2, lock.getHoldCount(), "expected the store's hold count");
        ProcessReentrantLock copy = sentAndAttached(lock, store.handle);
        assertEquals(2, copy.getHoldCount(), "expected the copy over the same store");
        lock.unlock();
        lock.unlock();
        assertEquals(0, store.lock.getHoldCount(), "expected every hold released");
    }

    @Test
    void aConditionTravelsWithItsLockAndIsAttachedByTheLocksStore() throws Exception {
        MemoryLock store = new MemoryLock(true);
        ProcessCondition condition = SharedObjects.reentrantLock(store).newCondition();
        MemoryCondition conditionStore = store.conditions.values().iterator().next();

        ProcessCondition copy = sentAndAttached(condition, store.handle);
        assertEquals(List.of(conditionStore.key), store.conditionsAttached,
                "expected the lock's store to attach the condition from its handle");
        assertInstanceOf(ProcessReentrantLock.class, copy.getLock(), "expected the lock to travel with it");
        copy.getLock().lock();
        try {
            copy.signal();
            copy.signalAll();
            assertFalse(copy.await(Duration.ofMillis(1)), "expected a wait nobody signals to time out");
        } finally {
            copy.getLock().unlock();
        }
        assertEquals(2, conditionStore.signals.get(), "expected both signals to reach the store");
    }

    @Test
    void aSemaphoreCountsPermitsInItsStore() throws Exception {
        MemorySemaphore store = new MemorySemaphore();
        ProcessSemaphore semaphore = SharedObjects.semaphore(store);
        assertTrue(semaphore.tryAcquire(2), "expected two of three permits");
        assertEquals(1, store.permits.availablePermits(), "expected them taken from the store");
        ProcessSemaphore copy = sentAndAttached(semaphore, store.handle);
        copy.release(2);
        assertEquals(3, semaphore.availablePermits(), "expected the copy's release in the same store");
        assertEquals(3, semaphore.drainPermits(), "expected the store drained");
        assertFalse(copy.isBounded(), "expected the store's answer");
    }

    @Test
    void anEventKeepsItsFlagInItsStore() throws Exception {
        MemoryEvent store = new MemoryEvent();
        ProcessEvent event = SharedObjects.event(store);
        ProcessEvent copy = sentAndAttached(event, store.handle);
        event.set();
        assertTrue(store.flag && copy.isSet(), "expected set() in the store, seen by the copy");
        assertTrue(copy.await(Duration.ZERO), "expected await to ask the store");
        copy.clear();
        assertFalse(event.isSet(), "expected clear() in the same store");
    }

    @Test
    void aBarrierWaitsInItsStore() throws Exception {
        MemoryBarrier store = new MemoryBarrier();
        ProcessBarrier barrier = SharedObjects.barrier(store);
        ProcessBarrier copy = sentAndAttached(barrier, store.handle);
        assertEquals(1, copy.getParties(), "expected the store's parties");
        assertEquals(0, copy.await(Duration.ofSeconds(5)), "expected the only party to trip it");
        copy.reset();
        assertFalse(barrier.isBroken(), "expected the store's state");
    }

    @Test
    void sharedValuesKeepTheirBitsAndLockInTheirStore() throws Exception {
        MemoryValue longStore = new MemoryValue();
        SharedLong number = SharedObjects.sharedLong(longStore);
        assertEquals(5, number.addAndGet(5), "expected the add in the store");
        SharedLong longCopy = sentAndAttached(number, longStore.handle);
        assertEquals(6, longCopy.incrementAndGet(), "expected the copy over the same bits");
        longCopy.getLock().lock();
        assertTrue(longStore.lock.lock.isHeldByCurrentThread(), "expected getLock() over the store's lock");
        assertTrue(number.getLock().isHeldByCurrentThread(), "expected both facades' locks over one store");
        longCopy.getLock().unlock();

        MemoryValue intStore = new MemoryValue();
        SharedInt count = SharedObjects.sharedInt(intStore);
        count.set(-3);
        assertEquals(-2, sentAndAttached(count, intStore.handle).incrementAndGet(), "expected the int's bits");

        MemoryValue doubleStore = new MemoryValue();
        SharedDouble ratio = SharedObjects.sharedDouble(doubleStore);
        ratio.set(0.5);
        assertEquals(Double.doubleToRawLongBits(0.5), doubleStore.bits.get(), "expected the double's raw bits");
        assertEquals(0.75, sentAndAttached(ratio, doubleStore.handle).addAndGet(0.25), "expected the double's add");
    }

    @Test
    void sharedArraysKeepTheirElementsInTheirStoreAndCheckIndexesThemselves() throws Exception {
        MemoryArray longStore = new MemoryArray(3);
        SharedLongArray longs = SharedObjects.sharedLongArray(longStore);
        longs.set(2, 9);
        assertEquals(10, sentAndAttached(longs, longStore.handle).incrementAndGet(2), "expected the same element");
        int calls = longStore.calls.get();
        IndexOutOfBoundsException outside = assertThrows(IndexOutOfBoundsException.class, () -> longs.get(3));
        assertEquals("index 3 is outside an array of 3", outside.getMessage(), "expected the local message");
        assertThrows(IndexOutOfBoundsException.class, () -> longs.set(-1, 1), "expected a negative index refused");
        assertEquals(calls, longStore.calls.get(), "expected a bad index never to reach the store");

        MemoryArray intStore = new MemoryArray(2);
        SharedIntArray ints = SharedObjects.sharedIntArray(intStore);
        ints.set(1, 4);
        assertArrayEquals(new int[] {0, 4}, sentAndAttached(ints, intStore.handle).toArray(), "expected the ints");

        MemoryArray doubleStore = new MemoryArray(1);
        SharedDoubleArray doubles = SharedObjects.sharedDoubleArray(doubleStore);
        doubles.set(0, 1.5);
        assertEquals(2.0, sentAndAttached(doubles, doubleStore.handle).addAndGet(0, 0.5), "expected the double");

        MemoryArray byteStore = new MemoryArray(4);
        SharedByteArray bytes = SharedObjects.sharedByteArray(byteStore);
        bytes.set(1, new byte[] {7, 8, 9}, 0, 3);
        SharedByteArray byteCopy = sentAndAttached(bytes, byteStore.handle);
        assertArrayEquals(new byte[] {0, 7, 8, 9}, byteCopy.toArray(), "expected the bytes through the copy");
        assertThrows(IndexOutOfBoundsException.class, () -> byteCopy.set(2, new byte[3], 0, 3),
                "expected a range past the end refused");
        byteCopy.getLock().lock();
        assertTrue(byteStore.lock.lock.isHeldByCurrentThread(), "expected getLock() over the store's lock");
        byteCopy.getLock().unlock();
    }

    @Test
    void aNullStoreIsNamed() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> SharedObjects.queue(null));
        assertEquals("store", e.getMessage(), "expected the argument named");
        assertThrows(NullPointerException.class, () -> SharedObjects.sharedByteArray(null));
    }

    // Items.

    private static final class NotSerializable {
    }

    @Test
    void itemsComeBackAsTheyWent() {
        List<Object> items = new ArrayList<>(List.of(42, -7L, 2.5, true, false, "héllo", "", Duration.ofSeconds(3),
                List.of("a", 1)));
        for (Object item : items) {
            assertEquals(item, SharedObjects.decodeItem(SharedObjects.encodeItem(item, "an item")),
                    "expected " + item + " back");
        }
        byte[] raw = {1, 2, 3};
        assertArrayEquals(raw, (byte[]) SharedObjects.decodeItem(SharedObjects.encodeItem(raw, "an item")),
                "expected a byte[] back");
        // A string takes the queue's fast path (a tag and its UTF-8), not Java serialization.
        assertEquals(1 + "héllo".getBytes(StandardCharsets.UTF_8).length,
                SharedObjects.encodeItem("héllo", "an item").length, "expected the fast path");
    }

    @Test
    void anItemThatCannotBeSerializedIsNamed() {
        ProcessSerializationException e = assertThrows(ProcessSerializationException.class,
                () -> SharedObjects.encodeItem(new NotSerializable(), "an item of a queue"));
        assertTrue(e.getMessage().contains(NotSerializable.class.getName()), "expected the class named, was: " + e);
        assertTrue(e.getMessage().contains("an item of a queue"), "expected the item named, was: " + e);
    }

    @Test
    void bytesThatAreNotAnItemAreRefusedAsALocalQueueRefusesThem() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> SharedObjects.decodeItem(new byte[] {99}));
        assertTrue(e.getMessage().contains("not an item"), "expected the local message, was: " + e);
    }

    @Test
    void nullItemArgumentsAreNamed() {
        assertEquals("item", assertThrows(NullPointerException.class,
                () -> SharedObjects.encodeItem(null, "an item")).getMessage());
        assertEquals("what", assertThrows(NullPointerException.class,
                () -> SharedObjects.encodeItem(1, null)).getMessage());
        assertEquals("bytes", assertThrows(NullPointerException.class,
                () -> SharedObjects.decodeItem(null)).getMessage());
    }
}
