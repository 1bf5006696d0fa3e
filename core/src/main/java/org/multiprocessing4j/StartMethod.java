package org.multiprocessing4j;

import java.util.Locale;
import java.util.Objects;

/**
 * How a {@link JvmProcess} gets its JVM. A JVM cannot fork itself, so every process runs in a
 * JVM of its own; the start methods differ only in when that JVM boots. Processes behave the
 * same under both, apart from how fast they start.
 *
 * <p>Choose one per program with {@link Multiprocessing#setStartMethod(StartMethod)}, with the
 * system property {@code -Dmultiprocessing4j.startMethod=forkserver}, or per object with
 * {@link Multiprocessing#getContext(StartMethod)}.
 */
public enum StartMethod {
    /**
     * A fresh JVM boots for each process when it is started: nothing runs before it is needed,
     * and each start costs a JVM boot (tenths of a second). The default.
     */
    SPAWN,

    /**
     * The library keeps a few JVMs booted ahead of need (one at first, more under demand, at
     * most {@code -Dmultiprocessing4j.forkserver.maxIdle}, default 2) and hands each new process
     * one of them; each JVM still runs exactly one process and then exits, so every process gets
     * fresh static state, its own pid and its own exit code. Starting a process then costs a
     * few milliseconds (5 to 7 ms from start() to the target running, measured on a 2-core
     * machine, against 60 to 65 ms for SPAWN); a process with its own JVM options, or one
     * started when no idle JVM is ready, boots a JVM as {@link #SPAWN} does. Idle JVMs are not children: they are not
     * listed by {@link Multiprocessing#activeChildren()}, and they end with this JVM.
     */
    FORKSERVER;

    /**
     * The start method named {@code name}, as Python spells it ({@code "spawn"},
     * {@code "forkserver"}) or as this enum does; case does not matter.
     *
     * @param name a start method's name
     * @return the start method
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException naming the valid names, if there is no such start method
     *         (Python's {@code "fork"} among them: a JVM cannot fork)
     */
    public static StartMethod fromName(String name) {
        Objects.requireNonNull(name, "name");
        String n = name.trim().toUpperCase(Locale.ROOT);
        for (StartMethod m : values()) {
            if (m.name().equals(n)) {
                return m;
            }
        }
        throw new IllegalArgumentException("no start method named '" + name + "': use \"spawn\" or \"forkserver\""
                + (n.equals("FORK") ? " (a JVM cannot fork; FORKSERVER hands out pre-started JVMs instead)" : ""));
    }

    /** Python's name for it: {@code spawn} or {@code forkserver}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
