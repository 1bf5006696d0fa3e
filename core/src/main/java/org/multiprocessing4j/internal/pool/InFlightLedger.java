package org.multiprocessing4j.internal.pool;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The tasks sent to one worker and not answered yet, in the order it takes them from its inbox;
 * and, once the worker has died, which of them it held (death attribution).
 *
 * <p>Why this works: a worker takes its inbox's messages in the order they were put, and the
 * dispatcher records a task here and puts it in the inbox under the worker's send lock, so this
 * list and the inbox have the same order. A worker answers a task (DONE) before it takes the
 * next, and its answers reach the collector before its death notice (everything it put was put
 * before it died). So when the death notice comes, the task messages still in its inbox were
 * never taken, and of the tasks it took all but the last have been answered and removed from
 * here: it held a task exactly when this list is longer than what is left in the inbox, and
 * that task is the oldest one here. Messages that are not tasks (DEFINE, FORGET, STOP) do not
 * count.
 *
 * <p>Not thread-safe: the engine uses it under its lock.
 */
final class InFlightLedger {
    private final ArrayDeque<Task> tasks = new ArrayDeque<>();

    /** What a dead worker held, and what it had not taken. */
    record Death(Task held, List<Task> untaken) {
    }

    /** Records a task that is being put in the worker's inbox, after every task recorded before it. */
    void sent(Task task) {
        tasks.addLast(task);
    }

    /** The task {@code taskId}, removed now that it is answered; null if it is not here. */
    Task answered(long taskId) {
        Task t = find(taskId);
        if (t != null) {
            tasks.remove(t);
        }
        return t;
    }

    /** The task {@code taskId}, or null if it is not here (answered, or its worker's death was settled). */
    Task find(long taskId) {
        for (Task t : tasks) {
            if (t.id == taskId) {
                return t;
            }
        }
        return null;
    }

    /** The task the worker runs now or will run next, or null. */
    Task oldest() {
        return tasks.peekFirst();
    }

    int size() {
        return tasks.size();
    }

    boolean isEmpty() {
        return tasks.isEmpty();
    }

    /** Forgets every task: the pool was terminated and nobody waits for them. */
    void clear() {
        tasks.clear();
    }

    /**
     * Settles the ledger of a worker whose death notice came, and empties it.
     *
     * @param leftInInbox what was still in its inbox ({@code byte[]} messages), which it never took
     * @return the task it held (null if it held none) and the tasks to give to other workers, in
     *         their order, with their start times cleared
     */
    Death settle(List<?> leftInInbox) {
        int untaken = 0;
        for (Object m : leftInInbox) {
            if (Wire.isTask((byte[]) m)) {
                untaken++;
            }
        }
        Task held = tasks.size() > untaken ? tasks.pollFirst() : null;
        List<Task> rest = new ArrayList<>(tasks);
        for (Iterator<Task> it = rest.iterator(); it.hasNext(); ) {
            it.next().startedNanos = 0;
        }
        tasks.clear();
        return new Death(held, rest);
    }
}
