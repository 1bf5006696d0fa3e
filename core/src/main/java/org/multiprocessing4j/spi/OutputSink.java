package org.multiprocessing4j.spi;

/**
 * Where the lines a child JVM started by {@link Backends#launchHere} writes go, instead of this
 * JVM's standard output and error. Called from one thread per stream, in the order the child
 * wrote the lines of that stream; must not block for long (the child blocks when its pipe fills).
 */
@FunctionalInterface
public interface OutputSink {
    /**
     * One line, without its line terminator.
     *
     * @param standardError true for a line of standard error, false for standard output
     * @param line the text
     */
    void line(boolean standardError, String line);
}
