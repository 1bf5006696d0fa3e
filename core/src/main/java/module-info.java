/**
 * multiprocessing4j: Python's {@code multiprocessing} for the JVM. Only
 * {@code org.multiprocessing4j} is exported; everything under {@code org.multiprocessing4j.internal}
 * is the library's own and may change in any release.
 *
 * <p>The library also works from the class path, as most applications use it; its child JVMs
 * are started with the class path.
 */
module org.multiprocessing4j {
    // Transitive: the public API returns java.util.logging types (Multiprocessing.getLogger()),
    // which a module that reads this one must be able to use without requiring java.logging.
    requires transitive java.logging;
    requires java.management;
    requires jdk.unsupported;
    // Flight Recorder events, when something records; a JVM without the module records nothing.
    requires static jdk.jfr;

    exports org.multiprocessing4j;
    // For the library's own backend modules (the cluster module); not for applications.
    exports org.multiprocessing4j.spi;
}
