/**
 * Everything that depends on the operating system: signal numbers and names, signal handlers,
 * exit statuses as the JDK reports them, and the private runtime directory. Linux is tested;
 * macOS takes the same POSIX paths. Code here depends on nothing else in the library.
 */
package org.multiprocessing4j.internal.platform;
