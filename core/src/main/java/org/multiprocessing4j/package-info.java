/**
 * Python's {@code multiprocessing} for the JVM: run part of your program in a child JVM with
 * {@link org.multiprocessing4j.JvmProcess}, and look around the process family with
 * {@link org.multiprocessing4j.Multiprocessing}.
 *
 * <p>Everything outside this package ({@code org.multiprocessing4j.internal.*}) is internal and
 * may change without notice.
 */
package org.multiprocessing4j;
