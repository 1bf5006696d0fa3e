/**
 * The process family as seen from one JVM: who this process is ({@code CurrentProcess}), how
 * it became a child and ends as one ({@code ChildBootstrap}), the children it started and how
 * each ended ({@code ProcessRegistry}, {@code LaunchedChild}, {@code ExitReport}), its default
 * start method ({@code StartMethodSetting}), and what happens when this JVM shuts down
 * ({@code JvmShutdown}).
 *
 * <p>Threads: each started child has one watcher thread ({@code multiprocessing4j-watch-NAME})
 * that waits for the child JVM to end, reads how it ended and wakes joiners. The watcher of a
 * non-daemon child is itself a non-daemon thread: that is what keeps a program whose
 * {@code main} returned alive while such a child runs, as in Python. A child JVM has one more
 * daemon thread ({@code multiprocessing4j-parent-watch}) that blocks on the pipe from its
 * parent and ends the child when the parent is gone.
 */
package org.multiprocessing4j.internal.runtime;
