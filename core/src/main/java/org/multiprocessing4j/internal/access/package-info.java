/**
 * {@link org.multiprocessing4j.internal.access.SharedSecrets}: how the internals reach the
 * non-public members of the public classes, one small interface per public class (one for all
 * the shared objects' constructors). Nothing else lives here; these interfaces name only what the
 * internals need.
 */
package org.multiprocessing4j.internal.access;
