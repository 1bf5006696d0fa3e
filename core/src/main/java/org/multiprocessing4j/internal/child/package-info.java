/**
 * The child JVM's entry point. Keep it small: every class it loads is start-up time that every
 * child pays.
 */
package org.multiprocessing4j.internal.child;
