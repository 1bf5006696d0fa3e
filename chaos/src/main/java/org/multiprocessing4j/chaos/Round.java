package org.multiprocessing4j.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.multiprocessing4j.JvmProcess;
import org.multiprocessing4j.ProcessContext;
import org.multiprocessing4j.SerializableRunnable;
import org.multiprocessing4j.SharedLongArray;
import org.multiprocessing4j.StartMethod;

/**
 * One round: a scenario under one start method, its child processes, the kills sent to them, and
 * what was found. The scenario runs in the calling thread and uses this object to start and kill
 * processes and to wait; every wait is bounded by {@link #PATIENCE}, and one that runs out throws
 * {@link Stuck} naming what it waited for. Randomness comes from {@link #rng}, seeded by the run's
 * seed and the round number. Not thread-safe: the scenario's thread only.
 */
final class Round {
    /** How long any wait may take before the thing waited for counts as stuck. */
    static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final long POLL_MILLIS = 2;

    final int number;
    final Scenario scenario;
    final StartMethod startMethod;
    final ProcessContext ctx;
    final Random rng;
    final Crew crew;
    final Tally tally = new Tally();
    final List<String> failures = new ArrayList<>();
    /** Library warnings counted in the children (lock take-overs and the like), captured, not printed. */
    long childWarnings;

    private final List<JvmProcess> processes = new ArrayList<>();
    private final Set<JvmProcess> killed = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Every child JVM of the round, pool workers included: pid and name. */
    private final Map<Long, String> pids = new LinkedHashMap<>();

    Round(int number, Scenario scenario, StartMethod startMethod, ProcessContext ctx, Random rng) {
        this.number = number;
        this.scenario = scenario;
        this.startMethod = startMethod;
        this.ctx = ctx;
        this.rng = rng;
        this.crew = Crew.create();
        tally.rounds = 1;
    }

    /** "round 12 (lock, FORKSERVER)": how failures name the round. */
    String where() {
        return "round " + number + " (" + scenario.label() + ", " + startMethod + ")";
    }

    /** Starts a child named {@code scenario-name} that runs {@code body} under the crew's rules. */
    JvmProcess start(String name, ChildBody body) {
        Crew c = crew;
        String full = scenario.label() + "-" + name;
        SerializableRunnable target = () -> c.run(full, body);
        JvmProcess p = ctx.process(full, target);
        p.start();
        processes.add(p);
        pids.put(p.pid(), full);
        tally.started++;
        return p;
    }

    /** A pool worker seen for the first time counts as started; its pid is checked at the end. */
    void workerSeen(long pid) {
        if (pids.putIfAbsent(pid, scenario.label() + "-worker-" + pid) == null) {
            tally.started++;
        }
    }

    /** The child JVMs of the round by pid, for the leak check. */
    Map<Long, String> pids() {
        return Collections.unmodifiableMap(pids);
    }

    /**
     * SIGKILLs {@code p} and waits for it to end; returns when the signal was sent
     * ({@link System#nanoTime}), or -1 if {@code p} had ended already (nothing is sent then).
     */
    long kill(JvmProcess p) throws InterruptedException {
        if (!p.isAlive()) {
            return -1;
        }
        long at = System.nanoTime();
        p.kill();
        tally.kills++;
        killed.add(p);
        if (!p.join(PATIENCE)) {
            throw stuck(p.getName() + " to end after SIGKILL");
        }
        return at;
    }

    /**
     * SIGKILLs the pool worker {@code pid}, a child of this JVM that the round has seen, and waits
     * for it to end; returns when the signal was sent, or -1 if it had ended already.
     */
    long killWorker(long pid) throws InterruptedException {
        Optional<ProcessHandle> h = ProcessHandle.of(pid)
                .filter(p -> p.parent().map(ProcessHandle::pid).orElse(-1L) == ProcessHandle.current().pid());
        if (h.isEmpty() || !pids.containsKey(pid)) {
            return -1;
        }
        long at = System.nanoTime();
        h.get().destroyForcibly();
        tally.kills++;
        try {
            h.get().onExit().get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw stuck("pool worker " + pid + " to end after SIGKILL");
        }
        return at;
    }

    /** The processes among {@code ps} that are alive now. */
    static List<JvmProcess> alive(List<JvmProcess> ps) {
        List<JvmProcess> alive = new ArrayList<>();
        for (JvmProcess p : ps) {
            if (p.isAlive()) {
                alive.add(p);
            }
        }
        return alive;
    }

    /** How many kills this round sends: one to three. */
    int kills() {
        return 1 + rng.nextInt(3);
    }

    /**
     * Waits until word {@code i} of {@code board} (a count of the survivors' steps) reaches a
     * random number up to {@code most}: the first kill comes once the children are under way.
     */
    void awaitSteps(String what, SharedLongArray board, int i, int most) throws InterruptedException {
        long target = 1 + rng.nextInt(most);
        awaitUntil(target + " " + what, () -> board.get(i) >= target);
    }

    <T> T pick(List<T> from) {
        return from.get(rng.nextInt(from.size()));
    }

    /** Waits until {@code condition} holds; {@link Stuck} naming {@code what} after {@link #PATIENCE}. */
    void awaitUntil(String what, BooleanSupplier condition) throws InterruptedException {
        if (!poll(PATIENCE, POLL_MILLIS, condition)) {
            throw stuck(what);
        }
    }

    /** Polls {@code condition} every {@code everyMillis} until it holds (true) or {@code timeout} passes (false). */
    static boolean poll(Duration timeout, long everyMillis, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(everyMillis);
        }
        return true;
    }

    /**
     * Waits for the survivors' progress after a kill and records the recovery time: the time from
     * {@code killNanos} to {@code lastProgress} (a {@link System#nanoTime} stamped by whoever made
     * progress; the clock is the same in every process of the machine). Returns without a figure
     * if {@code nothingLeft} says there is no more work to make progress on, or if no kill was
     * sent ({@code killNanos} -1: the victim had ended).
     */
    void awaitProgress(long killNanos, String what, LongSupplier lastProgress, BooleanSupplier nothingLeft)
            throws InterruptedException {
        if (killNanos == -1) {
            return;
        }
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            long p = lastProgress.getAsLong();
            if (p - killNanos > 0) {
                tally.recovered(p - killNanos);
                return;
            }
            if (nothingLeft.getAsBoolean()) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw stuck(what);
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    /** Sleeps a random time below {@code maxMillis}: a random moment for a kill. */
    void sleepUpTo(int maxMillis) throws InterruptedException {
        Thread.sleep(rng.nextInt(Math.max(1, maxMillis)));
    }

    /** Records a broken invariant. */
    void fail(String what) {
        failures.add(where() + ": " + what);
        tally.failures++;
    }

    /** Records a broken invariant unless {@code ok}. */
    void check(boolean ok, String what) {
        if (!ok) {
            fail(what);
        }
    }

    /** A wait that ran out: the thing waited for is stuck. */
    static Stuck stuck(String what) {
        return new Stuck("waited " + PATIENCE.toSeconds() + " s for " + what);
    }

    /** Thrown by the round's waits when one runs out; the round fails with its message. */
    static final class Stuck extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stuck(String message) {
            super(message, null, false, false);
        }
    }

    /** Kills whatever of the round still runs, after a failure: not counted as a chaos kill. */
    void abort() throws InterruptedException {
        for (JvmProcess p : processes) {
            if (p.isAlive()) {
                p.kill();
                killed.add(p);
                p.join(PATIENCE);
            }
        }
    }

    /**
     * Ends the round: every process must end by itself (or have been killed), with exit code 0
     * (−9 if killed); the children's notes and counters become failures; the processes and the
     * crew's queue are closed.
     */
    void finish() throws InterruptedException {
        for (JvmProcess p : processes) {
            if (!p.join(PATIENCE)) {
                fail("stuck: " + p.getName() + " did not end within " + PATIENCE.toSeconds() + " s after its round");
                p.kill();
                killed.add(p);
                p.join(PATIENCE);
            }
            int code = p.exitCode().orElse(Integer.MIN_VALUE);
            boolean expected = code == 0 || (code == -9 && killed.contains(p)) || code == Crew.EXIT_UNEXPECTED;
            check(expected, p.getName() + " ended with exit code " + code);
            if (!p.isAlive()) {
                p.close();
            }
        }
        long violations = crew.counters().get(Crew.VIOLATIONS);
        long unexpected = crew.counters().get(Crew.UNEXPECTED);
        int noted = 0;
        for (String note = crew.notes().poll(); note != null; note = crew.notes().poll()) {
            fail(note);
            noted++;
        }
        long more = violations + unexpected - noted;
        if (more > 0) {
            String unnoted = more + " more invariant violations or throwables were counted in the children than noted"
                    + " (a child stopped before its note arrived, or beyond the first few)";
            if (failures.isEmpty()) {
                fail(unnoted);
            } else {
                failures.set(failures.size() - 1, failures.get(failures.size() - 1) + "; " + unnoted);
            }
        }
        childWarnings += crew.counters().get(Crew.WARNINGS);
        crew.notes().close();
    }
}
