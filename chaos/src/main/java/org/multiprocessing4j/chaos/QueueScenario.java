package org.multiprocessing4j.chaos;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import org.multiprocessing4j.JoinableProcessQueue;
import org.multiprocessing4j.JvmProcess;
import org.multiprocessing4j.ProcessQueue;
import org.multiprocessing4j.SharedIntArray;
import org.multiprocessing4j.SharedLongArray;

/**
 * Producers and consumers killed. A {@link ProcessQueue} or a {@link JoinableProcessQueue},
 * bounded ({@code maxsize} 1–500) or not, chosen at random; two producers put 500–6 000 items
 * each, every item a unique id (producer slot, sequence number): a {@code Long}, or in a third of
 * the rounds every few hundredth item a {@code byte[]} of 256 KiB to 1.25 MiB that carries its id
 * and a pattern the consumer checks (items above 1 MiB, a quarter of the queue's buffer, are
 * streamed while the consumer reads them, so kills land mid-stream too); two consumers take
 * them. Each producer writes, after each {@code put} returns, how many of its puts have
 * returned; each consumer marks the id it took in a shared array with a compare-and-set from
 * "untaken" to its own number (a second take of the same id is caught there), calls
 * {@code taskDone()} on a joinable queue, then marks the id done. The parent kills one to three
 * producers or consumers at random moments (after a random number of puts and takes, or a
 * random delay); a killed consumer is always replaced, a killed producer half the time (by a new
 * producer slot). At the end the parent waits for the producers and for the queue to empty,
 * stops the consumers, takes what is left, and checks:
 * <ul>
 * <li>every item whose {@code put} returned was taken exactly once, except items taken by a
 *     killed consumer before it marked them: those are counted as lost with a killed consumer,
 *     and there may be at most one per killed consumer;
 * <li>no item was taken that was never put (the one a killed producer was putting may or may
 *     not have arrived, and counts as moved if it did);
 * <li>a joinable queue's {@code unfinishedTasks()} is what the marks say, give or take the items
 *     a killed consumer held, and {@code join()} returns once they are marked done;
 * <li>a bounded queue still takes exactly {@code maxsize} items.
 * </ul>
 * Recovery: from the kill to the next put or take. Unread items stay far below the 4 MiB buffer
 * of an unbounded queue: at most 36 000 small ones, and large ones a few at a time, the
 * consumers draining them all along.
 */
final class QueueScenario {
    private static final int MAX_PRODUCERS = 6;
    private static final int MAX_ITEMS = 6000;
    private static final long ITEM_BASE = 1L << 40;
    private static final int STOP = 0;
    private static final int PROGRESS = 1;
    private static final int PUTS = 2;
    private static final int TAKES = 3;
    /** Per producer slot: how many of its puts have returned. */
    private static final int RETURNED = 4;
    private static final int WORDS = RETURNED + MAX_PRODUCERS;

    private final Round r;
    private final ProcessQueue<Object> q;
    private final boolean joinable;
    private final int maxsize;
    private final SharedLongArray b;
    /** Per item id: 0 untaken; c+1 taken by consumer c; -(c+1) taken and marked done (joinable). */
    private final SharedIntArray takenBy;
    private final List<JvmProcess> producers = new ArrayList<>();
    private final List<Integer> planned = new ArrayList<>();
    private final BitSet killedProducers = new BitSet();
    /** Every how many items a producer puts a large one (0: never). */
    private final int largeEvery;
    private final List<JvmProcess> consumers = new ArrayList<>();
    private int killedConsumers;

    private QueueScenario(Round r, boolean joinable, int maxsize) {
        this.r = r;
        this.largeEvery = r.rng.nextInt(3) == 0 ? 500 + r.rng.nextInt(1000) : 0;
        this.joinable = joinable;
        this.maxsize = maxsize;
        if (joinable) {
            this.q = maxsize > 0 ? r.ctx.joinableQueue(maxsize) : r.ctx.joinableQueue();
        } else {
            this.q = maxsize > 0 ? r.ctx.queue(maxsize) : r.ctx.queue();
        }
        this.b = r.ctx.sharedLongArray(WORDS);
        this.takenBy = r.ctx.sharedIntArray(MAX_PRODUCERS * MAX_ITEMS);
    }

    static void run(Round r) throws Exception {
        boolean joinable = r.rng.nextBoolean();
        int maxsize = r.rng.nextBoolean() ? 1 + r.rng.nextInt(500) : 0;
        QueueScenario s = new QueueScenario(r, joinable, maxsize);
        try {
            s.go();
        } finally {
            s.q.close();
        }
    }

    private String describeQueue() {
        return (joinable ? "joinable queue" : "queue") + (maxsize > 0 ? " of maxsize " + maxsize : " (unbounded)")
                + (largeEvery > 0 ? " with large items" : "");
    }

    private void go() throws Exception {
        startProducer();
        startProducer();
        startConsumer();
        startConsumer();
        int kills = r.kills();
        for (int k = 0; k < kills; k++) {
            randomMoment();
            List<JvmProcess> live = Round.alive(producers);
            live.addAll(Round.alive(consumers));
            JvmProcess victim = r.pick(live);
            boolean consumer = consumers.contains(victim);
            long at = r.kill(victim);
            if (at == -1) {
                continue; // a producer that finished meanwhile: nothing was sent
            }
            if (consumer) {
                killedConsumers++;
            } else {
                killedProducers.set(producers.indexOf(victim));
            }
            r.awaitProgress(at, "a put or take on the " + describeQueue() + " after " + victim.getName() + " was killed",
                    () -> b.get(PROGRESS), this::nothingLeft);
            if (consumer) {
                startConsumer();
            } else if (r.rng.nextBoolean() && producers.size() < MAX_PRODUCERS) {
                startProducer();
            }
        }
        r.awaitUntil("the producers to put their items on the " + describeQueue(),
                () -> Round.alive(producers).isEmpty());
        r.awaitUntil("the consumers to empty the " + describeQueue() + " (size() now " + q.size() + ")",
                () -> q.size() == 0);
        b.set(STOP, 1);
        r.awaitUntil("the consumers to stop", () -> Round.alive(consumers).isEmpty());
        account();
        if (maxsize > 0) {
            checkTheBound();
        }
    }

    /** A random number of puts and takes from now, or a random delay. */
    private void randomMoment() throws InterruptedException {
        if (r.rng.nextBoolean()) {
            long now = b.get(PUTS) + b.get(TAKES);
            long target = now + r.rng.nextInt(5000);
            r.awaitUntil(target + " puts and takes on the " + describeQueue(),
                    () -> b.get(PUTS) + b.get(TAKES) >= target || nothingLeft());
        } else {
            r.sleepUpTo(300);
        }
    }

    private boolean nothingLeft() {
        return Round.alive(producers).isEmpty() && q.size() == 0;
    }

    private void startProducer() {
        int slot = producers.size();
        int n = 500 + r.rng.nextInt(MAX_ITEMS - 500 + 1);
        planned.add(n);
        ProcessQueue<Object> queue = q;
        SharedLongArray board = b;
        int large = largeEvery;
        long seed = r.rng.nextLong();
        producers.add(r.start("producer-" + slot, () -> produce(queue, board, slot, n, large, seed)));
    }

    private void startConsumer() {
        int c = consumers.size();
        ProcessQueue<Object> queue = q;
        SharedLongArray board = b;
        SharedIntArray marks = takenBy;
        Crew crew = r.crew;
        consumers.add(r.start("consumer-" + c, () -> consume(queue, board, marks, crew, c)));
    }

    private static long item(int slot, int seq) {
        return ITEM_BASE + (long) slot * MAX_ITEMS + seq;
    }

    /** A large item: its id in the first 8 bytes, then a pattern that depends on the id. */
    private static byte[] largeItem(long id, int length) {
        byte[] item = new byte[length];
        ByteBuffer.wrap(item).putLong(id);
        for (int j = Long.BYTES; j < length; j++) {
            item[j] = (byte) (id * 131 + j * 7);
        }
        return item;
    }

    /** The id a {@code Long} or a large item carries; -1 for a large item that is not whole. */
    private static long id(Object item) {
        if (item instanceof Long l) {
            return l;
        }
        if (!(item instanceof byte[] bytes) || bytes.length < Long.BYTES) {
            return -1;
        }
        long id = ByteBuffer.wrap(bytes).getLong();
        for (int j = Long.BYTES; j < bytes.length; j++) {
            if (bytes[j] != (byte) (id * 131 + j * 7)) {
                return -1;
            }
        }
        return id;
    }

    /** The index of an item in {@code takenBy}, or -1 if no producer could have put it. */
    private static int index(Object item) {
        long i = id(item) - ITEM_BASE;
        return i >= 0 && i < (long) MAX_PRODUCERS * MAX_ITEMS ? (int) i : -1;
    }

    private static String show(Object item) {
        return item instanceof byte[] bytes ? "a byte[" + bytes.length + "] that is not one a producer put" : item
                + ", which no producer put";
    }

    private static String describe(int index) {
        return "item " + (index / MAX_ITEMS) + "/" + (index % MAX_ITEMS);
    }

    private static void produce(ProcessQueue<Object> q, SharedLongArray b, int slot, int n, int largeEvery, long seed)
            throws InterruptedException {
        Random rnd = new Random(seed);
        for (int seq = 0; seq < n; seq++) {
            if (largeEvery > 0 && rnd.nextInt(largeEvery) == 0) {
                q.put(largeItem(item(slot, seq), (256 << 10) + rnd.nextInt(1 << 20)));
            } else {
                q.put(item(slot, seq));
            }
            b.set(RETURNED + slot, seq + 1);
            b.incrementAndGet(PUTS);
            Board.stamp(b, PROGRESS);
        }
    }

    private static void consume(ProcessQueue<Object> q, SharedLongArray b, SharedIntArray takenBy, Crew crew, int c)
            throws InterruptedException {
        JoinableProcessQueue<Object> jq = q instanceof JoinableProcessQueue ? (JoinableProcessQueue<Object>) q : null;
        while (true) {
            Object x = q.poll(Duration.ofMillis(20));
            if (x == null) {
                if (b.get(STOP) != 0) {
                    return;
                }
                continue;
            }
            int i = index(x);
            if (i < 0) {
                crew.violation("consumer-" + c + " took " + show(x));
                continue;
            }
            if (!takenBy.compareAndSet(i, 0, c + 1)) {
                crew.violation(describe(i) + " was taken twice: by consumer-" + c + " and by consumer-"
                        + (Math.abs(takenBy.get(i)) - 1));
            }
            if (jq != null) {
                jq.taskDone();
                takenBy.set(i, -(c + 1));
            }
            b.incrementAndGet(TAKES);
            Board.stamp(b, PROGRESS);
        }
    }

    /** Every item whose put returned taken exactly once, or lost with a killed consumer. */
    private void account() throws InterruptedException {
        List<Object> rest = new ArrayList<>();
        for (Object x = q.poll(); x != null; x = q.poll()) {
            rest.add(x);
        }
        r.check(rest.isEmpty(), rest.size() + " items were still in the " + describeQueue()
                + " after size() said 0 and the consumers stopped");
        BitSet inQueue = new BitSet();
        for (Object x : rest) {
            int i = index(x);
            if (i < 0) {
                r.fail("the " + describeQueue() + " held " + show(x));
            } else {
                r.check(!inQueue.get(i), describe(i) + " was in the " + describeQueue() + " twice");
                inQueue.set(i);
            }
        }
        int[] marks = takenBy.toArray();
        int missing = 0;
        int notMarkedDone = 0;
        for (int slot = 0; slot < MAX_PRODUCERS; slot++) {
            long returned = b.get(RETURNED + slot);
            boolean killed = killedProducers.get(slot);
            if (slot < producers.size() && !killed) {
                r.check(returned == planned.get(slot), "producer-" + slot + " ended by itself after " + returned
                        + " of its " + planned.get(slot) + " puts returned");
            }
            for (int seq = 0; seq < MAX_ITEMS; seq++) {
                int i = slot * MAX_ITEMS + seq;
                boolean taken = marks[i] != 0;
                boolean present = taken || inQueue.get(i);
                r.check(!(taken && inQueue.get(i)), describe(i) + " was taken by consumer-" + (Math.abs(marks[i]) - 1)
                        + " and was still in the queue");
                if (seq < returned) {
                    if (present) {
                        r.tally.moved++;
                    } else {
                        missing++;
                    }
                } else if (seq == returned && killed) {
                    // The put in progress when its producer was killed: it may or may not have arrived.
                    if (present) {
                        r.tally.moved++;
                    }
                } else if (present) {
                    r.fail(describe(i) + " was taken, but its producer's put had not returned (only " + returned
                            + " did" + (killed ? ", and then it was killed)" : ")"));
                }
                if (joinable && marks[i] > 0) {
                    notMarkedDone++;
                }
            }
        }
        r.check(missing + notMarkedDone <= killedConsumers, missing + " items whose put returned were never taken"
                + (joinable ? " and " + notMarkedDone + " were taken but not marked done" : "")
                + ", with " + killedConsumers + " consumers killed: each may lose at most the one item it held");
        r.tally.lost += missing;
        if (joinable) {
            checkUnfinishedTasks((JoinableProcessQueue<Object>) q, rest.size() + missing, notMarkedDone);
        }
    }

    /**
     * The joinable queue's count: the items nobody marked done. A consumer killed inside
     * {@code taskDone()} may or may not have counted its item, hence the range.
     */
    private void checkUnfinishedTasks(JoinableProcessQueue<Object> jq, int unmarked, int maybe) throws InterruptedException {
        long unfinished = jq.unfinishedTasks();
        r.check(unfinished >= unmarked && unfinished <= unmarked + maybe, "unfinishedTasks() is " + unfinished
                + " with every process ended; " + unmarked + " items were never marked done and " + maybe
                + " more were handled by a killed consumer");
        for (long i = Math.min(unfinished, unmarked + maybe); i > 0; i--) {
            jq.taskDone();
        }
        r.check(jq.join(Duration.ofSeconds(10)), "join() did not return with every item marked done (unfinishedTasks() = "
                + jq.unfinishedTasks() + ")");
    }

    /** The emptied bounded queue takes exactly {@code maxsize} items, in order. */
    private void checkTheBound() throws InterruptedException {
        for (int i = 0; i < maxsize; i++) {
            if (!q.offer((long) -i)) {
                r.fail("after the kills the " + describeQueue() + " refused item " + (i + 1) + " of " + maxsize);
                break;
            }
        }
        r.check(!q.offer(-1L - maxsize), "the full " + describeQueue() + " took one item more");
        r.check(q.size() == maxsize, "size() of the full " + describeQueue() + " is " + q.size());
        for (int i = 0; i < maxsize; i++) {
            Object x = q.poll();
            if (!(x instanceof Long l) || l != -i) {
                r.fail("item " + i + " of the refill of the " + describeQueue() + " came out as " + x);
                break;
            }
            if (joinable) {
                ((JoinableProcessQueue<Object>) q).taskDone();
            }
        }
        if (joinable) {
            r.check(((JoinableProcessQueue<Object>) q).join(Duration.ofSeconds(10)), "join() after the refill");
        }
    }
}
