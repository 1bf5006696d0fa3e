/**
 * The library's {@code java.util.logging} logger and the Python-style stderr handler that
 * {@code Multiprocessing.logToStderr} installs. Children inherit the parent's level and
 * handler through the start-up handshake.
 */
package org.multiprocessing4j.internal.log;
