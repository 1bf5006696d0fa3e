package org.multiprocessing4j.internal.launch;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a child JVM: this JVM's {@code java}, the JVM options that shape how code
 * runs ({@code -D…}, {@code --add-opens}, {@code -ea}, heap sizes…), the user's options for this
 * process, the class path where the process's classes come from ({@link ChildClassPath}), this
 * JVM's module path, and the child bootstrap.
 *
 * <p>Left out: debugger and agent options (a second JVM cannot listen on the same debug port),
 * JMX and flight-recorder options (same clash), and class-data archive options (a start-up
 * concern that the start method owns).
 */
public final class ChildCommand {
    static final String BOOTSTRAP = "org.multiprocessing4j.internal.child.ChildMain";

    private static final List<String> DROPPED_PREFIXES = List.of(
            "-agentlib:", "-agentpath:", "-javaagent:", "-Xdebug", "-Xrunjdwp", "-Xnoagent",
            "-XX:StartFlightRecording", "-XX:FlightRecorderOptions", "-XX:+FlightRecorder",
            "-Dcom.sun.management.jmxremote", "-XX:ArchiveClassesAtExit", "-XX:SharedArchiveFile",
            "-Xshare:", "-XX:SharedClassListFile", "-XX:DumpLoadedClassList", "-XX:AOTCache",
            "-XX:AOTMode", "-XX:AOTConfiguration", "-XX:+AutoCreateSharedArchive", "-Xloggc:",
            "-Djava.class.path=", "-Djdk.module.path=", "-Djdk.module.main",
            "-Dsun.java.command=", "-Dsun.java.launcher", "-Djdk.internal.vm.ci.enabled",
            "--module-path", "-Djava.security.manager=");

    private static volatile List<String> inherited;

    private ChildCommand() {
    }

    /** Program argument that tells the bootstrap to warm up before it reads its handshake. */
    public static final String WARM = "--warm";

    /** Program argument of the class-data archive's training run. */
    public static final String TRAIN = ClassDataArchive.TRAIN;

    /**
     * The whole command for a child with the user's {@code extraJvmOptions} that finds its
     * classes on {@code classPath}; {@code warm} for a JVM booted ahead of need.
     */
    public static List<String> build(ChildClassPath classPath, List<String> extraJvmOptions, boolean warm) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String option : inheritedOptions()) {
            // A parent started by Boot's PropertiesLauncher names its own main class this way.
            if (!(classPath.isSpringBoot() && option.startsWith("-Dloader.main="))) {
                cmd.add(option);
            }
        }
        cmd.addAll(libraryProperties(inheritedOptions()));
        if (!mentions(inheritedOptions(), "PerfData") && !mentions(inheritedOptions(), "PerfDisableSharedMem")
                && !mentions(extraJvmOptions, "PerfData") && !mentions(extraJvmOptions, "PerfDisableSharedMem")) {
            // No /tmp/hsperfdata_<user>/<pid> file: a SIGKILLed child would leave it behind, and
            // a JVM that finds a stale one locked prints a warning on the child's standard output.
            cmd.add("-XX:+PerfDisableSharedMem");
        }
        // The archive was made with the library's jar as the whole class path; a JVM can use it
        // only if its own class path starts the same way (never so under Boot's launcher).
        ClassDataArchive.Use archive = classPath.isSpringBoot() ? null : ClassDataArchive.forChild();
        if (archive != null) {
            cmd.addAll(archive.options);
        }
        cmd.addAll(extraJvmOptions);
        String modulePath = System.getProperty("jdk.module.path");
        if (modulePath != null && !modulePath.isEmpty()) {
            cmd.add("--module-path");
            cmd.add(modulePath);
            cmd.add("--add-modules");
            cmd.add("ALL-MODULE-PATH");
        }
        Module bootstrapModule = ChildCommand.class.getModule();
        List<String> tail = classPath.commandTail(archive == null ? null : archive.classPathPrefix,
                bootstrapModule.isNamed() ? bootstrapModule.getName() + "/" + BOOTSTRAP : BOOTSTRAP);
        if (bootstrapModule.isNamed()) {
            tail.add(tail.size() - 1, "-m");
        }
        cmd.addAll(tail);
        if (warm) {
            cmd.add(WARM);
        }
        return cmd;
    }

    /** This JVM's options that a child should share, in order. Computed once. */
    public static List<String> inheritedOptions() {
        List<String> result = inherited;
        if (result == null) {
            List<String> kept = new ArrayList<>();
            for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
                if (isInherited(option)) {
                    kept.add(option);
                }
            }
            result = List.copyOf(kept);
            inherited = result;
        }
        return result;
    }

    /**
     * The library's own settings made with {@code System.setProperty} rather than on the command
     * line, as {@code -D} options, read at each launch: a child must see the same settings as its
     * parent (one looking for a named SharedMemory in another directory would not find it).
     */
    static List<String> libraryProperties(List<String> already) {
        List<String> options = new ArrayList<>();
        for (String name : System.getProperties().stringPropertyNames()) {
            if (!name.startsWith("multiprocessing4j.")) {
                continue;
            }
            boolean present = false;
            for (String k : already) {
                present |= k.startsWith("-D" + name + "=") || k.equals("-D" + name);
            }
            if (!present) {
                options.add("-D" + name + "=" + System.getProperty(name));
            }
        }
        return options;
    }

    private static boolean mentions(List<String> options, String word) {
        for (String o : options) {
            if (o.contains(word)) {
                return true;
            }
        }
        return false;
    }

    static boolean isInherited(String option) {
        if ((option.startsWith("-Xlog") && option.contains("file=") && !option.contains("%p"))
                || option.startsWith("-XX:LogFile") || option.equals("-XX:+LogVMOutput")) {
            return false; // a child would write over the parent's log file
        }
        for (String prefix : DROPPED_PREFIXES) {
            if (option.startsWith(prefix)) {
                return false;
            }
        }
        return option.startsWith("-");
    }

    /**
     * Checks options a user wants to give one process: each must be a JVM option, and none may
     * replace what the library controls (class path, main class).
     *
     * @return a description of what is wrong, or null if all are fine
     */
    public static String validate(List<String> options) {
        for (int i = 0; i < options.size(); i++) {
            String o = options.get(i);
            if (o == null) {
                return "option #" + i + " is null";
            }
            if (!o.startsWith("-")) {
                return "option #" + i + " '" + o + "' is not a JVM option (JVM options start with '-')";
            }
            if (o.equals("-cp") || o.equals("-classpath") || o.startsWith("--class-path")
                    || o.equals("-jar") || o.equals("-m") || o.startsWith("--module=")
                    || o.equals("--module") || o.equals("-p") || o.startsWith("--module-path")) {
                return "option #" + i + " '" + o + "' is not allowed: a child JVM always uses the"
                        + " parent's class path and module path and runs the library's bootstrap";
            }
        }
        return null;
    }
}
