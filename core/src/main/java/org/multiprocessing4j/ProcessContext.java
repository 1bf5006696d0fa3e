package org.multiprocessing4j;

import java.util.Objects;

/**
 * A factory for processes (and, as the library grows, for the queues, locks and pools that go
 * with them) bound to one {@link StartMethod}: the counterpart of Python's
 * {@code multiprocessing.get_context(method)}. Get one from
 * {@link Multiprocessing#getContext(StartMethod)}. Immutable and thread-safe.
 */
public final class ProcessContext {
    private final StartMethod startMethod;

    ProcessContext(StartMethod startMethod) {
        this.startMethod = startMethod;
    }

    /**
     * The start method of everything this context makes.
     *
     * @return the start method
     */
    public StartMethod getStartMethod() {
        return startMethod;
    }

    /**
     * A process that runs {@code target} and starts with this context's start method; as
     * {@link JvmProcess#JvmProcess(SerializableRunnable)} otherwise.
     *
     * @param target what the child runs
     * @return a new process, not yet started
     * @throws NullPointerException if {@code target} is null
     */
    public JvmProcess process(SerializableRunnable target) {
        return bind(new JvmProcess(target));
    }

    /**
     * A named process that runs {@code target} and starts with this context's start method.
     *
     * @param name the process name; null gives the default name
     * @param target what the child runs
     * @return a new process, not yet started
     * @throws NullPointerException if {@code target} is null
     */
    public JvmProcess process(String name, SerializableRunnable target) {
        return bind(new JvmProcess(name, target));
    }

    /**
     * Makes {@code process}, which is not started yet, start with this context's start method:
     * the way to give one to a subclass of {@link JvmProcess}.
     *
     * @param process a process that has not been started
     * @param <P> the process's type
     * @return {@code process}
     * @throws NullPointerException if {@code process} is null
     * @throws IllegalStateException if it has been started or closed
     */
    public <P extends JvmProcess> P bind(P process) {
        Objects.requireNonNull(process, "process").bindStartMethod(startMethod);
        return process;
    }

    /** {@code ProcessContext[forkserver]}. */
    @Override
    public String toString() {
        return "ProcessContext[" + startMethod + "]";
    }
}
