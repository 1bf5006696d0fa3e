package org.multiprocessing4j.spi;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A process ready to start: what {@link org.multiprocessing4j.JvmProcess#start()} hands a
 * {@link ProcessBackend}, and what {@link Backends#launchHere} starts as a child JVM of this
 * JVM. Immutable (the arrays are not copied: neither side changes them).
 *
 * @param name the process name
 * @param identity the process's numbers ({@code [3, 1]} is {@code 3:1})
 * @param daemon whether it is a daemon process
 * @param jvmOptions the options set with {@code setJvmOptions}
 * @param payload the encoded process object, which the child decodes and runs
 * @param classNames the binary names of the classes the payload names, which the child must find
 */
public record ProcessLaunch(String name, int[] identity, boolean daemon, List<String> jvmOptions, byte[] payload,
                            Set<String> classNames) {
    /** Checks that nothing is null and copies the lists. */
    public ProcessLaunch {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(payload, "payload");
        jvmOptions = List.copyOf(jvmOptions);
        classNames = Set.copyOf(classNames);
    }
}
