/**
 * The example programs of Python's "multiprocessing Basics" chapter, ported to
 * multiprocessing4j: one class with a {@code main} per Python program.
 *
 * <p>Run them all, each in its own JVM, from the repository root with
 * {@code mvn -q -B -DskipTests -pl examples -am package exec:exec} (see {@link
 * org.multiprocessing4j.examples.AllExamples}), or one of them with
 * {@code java -cp <class path> org.multiprocessing4j.examples.SimpleExample}.
 */
package org.multiprocessing4j.examples;
