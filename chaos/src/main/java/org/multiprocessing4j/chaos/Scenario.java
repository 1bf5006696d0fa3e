package org.multiprocessing4j.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** What a round does; each scenario's class says what it kills and what it checks. */
enum Scenario {
    QUEUE(QueueScenario::run, "items taken exactly once"),
    LOCK(LockScenario::run, "lock acquisitions"),
    SEMAPHORE(SemaphoreScenario::run, "permits acquired"),
    CONDITION(ConditionScenario::run, "waiter wake-ups"),
    BARRIER(BarrierScenario::run, "barrier trips"),
    POOL(PoolScenario::run, "tasks completed"),
    STARTUP(StartupScenario::run, "items put by the children that got that far");

    /** A scenario's body: runs in the parent, starting and killing the round's children. */
    @FunctionalInterface
    interface Body {
        void run(Round round) throws Exception;
    }

    private final Body body;
    /** What "moved" counts in this scenario. */
    final String moved;

    Scenario(Body body, String moved) {
        this.body = body;
        this.moved = moved;
    }

    void run(Round round) throws Exception {
        body.run(round);
    }

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    static List<String> names() {
        List<String> names = new ArrayList<>();
        for (Scenario s : values()) {
            names.add(s.label());
        }
        return names;
    }

    static Scenario byName(String name) {
        for (Scenario s : values()) {
            if (s.label().equalsIgnoreCase(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown scenario '" + name + "' (" + String.join(", ", names()) + ")");
    }
}
