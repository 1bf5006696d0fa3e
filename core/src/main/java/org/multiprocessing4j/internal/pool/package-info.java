/**
 * The engine behind {@code ProcessPool}: in the parent, {@link
 * org.multiprocessing4j.internal.pool.PoolEngine} with its dispatcher, collector, completer and
 * timer threads, the run state ({@code PoolState}), which tasks each worker holds and which one
 * a dead worker held ({@code InFlightLedger}), how much to hand each worker at once
 * ({@code DispatchWindow}), and the typed messages on the wire ({@code PoolMessage},
 * {@code CallBuilder}, {@code DoneBuilder}, {@code Wire}); in each worker JVM, the loop of
 * {@code PoolWorker}. Workers are ordinary {@code JvmProcess}es and their inboxes ordinary
 * {@code ProcessQueue}s.
 */
package org.multiprocessing4j.internal.pool;
