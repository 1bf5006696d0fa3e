/**
 * The library's Flight Recorder events ({@code org.multiprocessing4j.*}) and the recordings of
 * child JVMs. Nothing here is loaded while no recording runs: callers ask {@link
 * org.multiprocessing4j.internal.jfr.Jfr#on()} first, and only then call {@link
 * org.multiprocessing4j.internal.jfr.JfrEvents}, the one class that names the event classes
 * (loading an event class makes the JDK set up its instrumentation, which took 0.2 s in a JVM
 * that records nothing).
 */
package org.multiprocessing4j.internal.jfr;
