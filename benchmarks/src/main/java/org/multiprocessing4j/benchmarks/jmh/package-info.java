/**
 * JMH microbenchmarks of single paths in one JVM (a queue's put and take, the codecs, an
 * uncontended lock), run on demand only: {@code mvn -B -DskipTests -pl benchmarks -am -Pjmh
 * package exec:exec} (options in {@code -Djmh.args}). Neither {@code mvn verify} nor the
 * comparison runs them.
 */
package org.multiprocessing4j.benchmarks.jmh;
