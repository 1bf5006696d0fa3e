/**
 * Socket connections under {@link org.multiprocessing4j.Connection} and
 * {@link org.multiprocessing4j.ConnectionListener}: the authentication handshake
 * ({@code ChallengeHandshake}), length-prefixed frames on a non-blocking socket
 * ({@code FrameChannel}), their limits ({@code ConnectionSettings}), and waiting for the first
 * of several connections, processes and queues ({@code ReadyWait}). See
 * {@code docs/design/connections.md}.
 */
package org.multiprocessing4j.internal.connection;
