package org.multiprocessing4j.internal.launch;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** The SPAWN start method: a fresh JVM for every process. */
public final class SpawnLauncher implements Launcher {
    public static final SpawnLauncher INSTANCE = new SpawnLauncher();

    /** Environment variables whose options the parent's own arguments already carry, filtered. */
    private static final List<String> OPTION_VARIABLES =
            List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS");

    private SpawnLauncher() {
    }

    @Override
    public Process start(ChildClassPath classPath, List<String> extraJvmOptions) throws IOException {
        return launch(ChildCommand.build(classPath, extraJvmOptions, false), ProcessBuilder.Redirect.INHERIT);
    }

    /** As {@link #start}, with the JVM's standard output and error as pipes for the caller to read. */
    public Process startPiped(ChildClassPath classPath, List<String> extraJvmOptions) throws IOException {
        return launch(ChildCommand.build(classPath, extraJvmOptions, false), ProcessBuilder.Redirect.PIPE);
    }

    /** A JVM for the forkserver: it boots the library before it waits for its handshake. */
    Process startWarm(ChildClassPath classPath) throws IOException {
        return launch(ChildCommand.build(classPath, List.of(), true), ProcessBuilder.Redirect.INHERIT);
    }

    private static Process launch(List<String> command, ProcessBuilder.Redirect output) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(output).redirectError(output);
        Map<String, String> env = builder.environment();
        for (String variable : OPTION_VARIABLES) {
            env.remove(variable);
        }
        return builder.start();
    }
}
