package org.multiprocessing4j.internal.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Death attribution without processes: the ledger of one worker, and its inbox as a list of
 * the messages put in it. A test plays the worker by taking messages from the front of the
 * inbox and answering tasks, then "kills" it and settles the ledger with what is left.
 */
class InFlightLedgerTest {
    private final InFlightLedger ledger = new InFlightLedger();
    private final List<Object> inbox = new ArrayList<>();
    private final TestJob job = new TestJob();
    private long ids;

    @Test
    void aWorkerThatDiesRunningATaskHeldThatOneAndTheQueuedOnesGoBack() {
        Task a = send(1);
        Task b = send(1);
        Task c = send(1);
        take(); // the worker runs a
        InFlightLedger.Death death = ledger.settle(inbox);
        assertSame(a, death.held());
        assertEquals(List.of(b, c), death.untaken());
        assertTrue(ledger.isEmpty());
    }

    @Test
    void aWorkerThatDiesBeforeTakingAnyTaskHeldNothing() {
        Task a = send(1);
        Task b = send(1);
        InFlightLedger.Death death = ledger.settle(inbox);
        assertNull(death.held());
        assertEquals(List.of(a, b), death.untaken());
    }

    @Test
    void aWorkerThatDiesBetweenTasksHeldNothing() {
        Task a = send(1);
        Task b = send(1);
        take();
        answer(a); // its DONE came before its death notice
        InFlightLedger.Death death = ledger.settle(inbox);
        assertNull(death.held());
        assertEquals(List.of(b), death.untaken());
    }

    @Test
    void aWorkerThatDiesIdleHeldNothing() {
        Task a = send(1);
        take();
        answer(a);
        InFlightLedger.Death death = ledger.settle(inbox);
        assertNull(death.held());
        assertEquals(List.of(), death.untaken());
    }

    @Test
    void aWorkerThatDiesAfterFinishingAChunkHeldTheNextChunkItTook() {
        Task first = send(100);
        Task second = send(100);
        Task third = send(100);
        take();
        answer(first);
        take(); // the worker runs the second chunk
        InFlightLedger.Death death = ledger.settle(inbox);
        assertSame(second, death.held());
        assertEquals(100, death.held().count);
        assertEquals(List.of(third), death.untaken());
    }

    @Test
    void aWorkerThatDiesJustAfterAnsweringItsLastChunkHeldNothing() {
        Task only = send(100);
        take();
        answer(only);
        assertNull(ledger.settle(inbox).held());
    }

    @Test
    void messagesThatAreNotTasksDoNotCountAsUntaken() {
        inbox.add(new PoolMessage.Define(1, new byte[] {1}).toBytes());
        Task a = send(1);
        inbox.add(new PoolMessage.Forget(1).toBytes());
        Task b = send(1);
        take(); // DEFINE
        take(); // a
        inbox.add(new PoolMessage.Stop().toBytes());
        InFlightLedger.Death death = ledger.settle(inbox);
        assertSame(a, death.held());
        assertEquals(List.of(b), death.untaken());
    }

    @Test
    void tasksGoingBackStartAfresh() {
        send(1);
        Task b = send(1);
        take();
        b.startedNanos = 12345; // a STARTED that raced with the death notice
        ledger.settle(inbox);
        assertEquals(0, b.startedNanos);
    }

    @Test
    void answersAreFoundByTaskIdInAnyOrder() {
        Task a = send(1);
        Task b = send(1);
        assertSame(a, ledger.oldest());
        assertSame(b, ledger.find(b.id));
        assertSame(b, ledger.answered(b.id));
        assertNull(ledger.answered(b.id), "answered once");
        assertEquals(1, ledger.size());
        assertSame(a, ledger.oldest());
    }

    /** The dispatcher's part: record the task, then put it in the inbox. */
    private Task send(int items) {
        long id = ++ids;
        CallBuilder call = job.call(id);
        for (int k = 0; k < items; k++) {
            call.add(k, "test");
        }
        Task t = job.task(id, 0, call);
        ledger.sent(t);
        inbox.add(t.message);
        return t;
    }

    /** The worker's part: take the next message. */
    private void take() {
        inbox.remove(0);
    }

    /** The collector's part: a DONE for {@code t}. */
    private void answer(Task t) {
        assertSame(t, ledger.answered(t.id));
    }

    private static final class TestJob extends Job {
        TestJob() {
            super(new byte[] {0});
        }

        CallBuilder call(long id) {
            return startCall(id, 1, 1);
        }

        @Override
        protected Task next(AtomicLong ids, boolean throttle) {
            return null;
        }

        @Override
        protected boolean mayHaveMore() {
            return false;
        }

        @Override
        protected void succeeded(long index, Object value) {
        }

        @Override
        protected void failed(long index, Throwable error, boolean workerDied) {
        }

        @Override
        protected void cancelled(CancellationException e) {
        }

        @Override
        protected boolean isFinished() {
            return false;
        }

        @Override
        public String describe(long first, int count) {
            return "test items " + first;
        }
    }
}
