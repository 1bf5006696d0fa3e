/**
 * How objects become bytes between processes. {@link org.multiprocessing4j.internal.codec.Codec}
 * is the strategy; JDK serialization behind an {@code ObjectInputFilter} is the default, and a
 * faster codec can be plugged in without touching the callers.
 */
package org.multiprocessing4j.internal.codec;
