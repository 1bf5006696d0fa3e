/**
 * How a child JVM is started and what it is told first. A {@link
 * org.multiprocessing4j.internal.launch.Launcher} is a start-method strategy: it returns a JVM
 * that runs the child bootstrap and waits on its standard input for a {@link
 * org.multiprocessing4j.internal.launch.Handshake}. Spawning a fresh JVM is one strategy;
 * handing out a pre-started one is another. {@link
 * org.multiprocessing4j.internal.launch.ChildClassPath} says where the child finds classes,
 * worked out from the class loaders the parent's classes came from.
 */
package org.multiprocessing4j.internal.launch;
