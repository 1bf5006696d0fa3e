package org.multiprocessing4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.JvmProcess;

/**
 * {@link RunsAnywhereExample} launched as applications are: its children must find the
 * program's classes wherever the parent found them. The jars are made by the examples' build
 * before the integration tests (see its pom).
 */
class RunsAnywhereExampleIT {
    /** A run that includes starting Maven, which may have plugins to download first. */
    private static final Duration MAVEN_TIMEOUT = Duration.ofMinutes(5);

    private static final List<String> EXPECTED = List.of(
            "spawn lambda in another process: true",
            "spawn subclass in another process: true",
            "spawn pool: [1, 4, 9], pool in another process: true",
            "forkserver lambda in another process: true",
            "forkserver subclass in another process: true",
            "forkserver pool: [1, 4, 9], pool in another process: true",
            "done");

    @Test
    void fromAShadedJar() {
        assertRan(runJar("shaded jar", "mp4j.examples.shadedJar"));
    }

    @Test
    void fromASpringBootExecutableJar() {
        // Its classes and the library sit in nested jars (BOOT-INF/classes, BOOT-INF/lib) that
        // no class path can name: children start through Boot's own launcher.
        assertRan(runJar("Spring Boot jar", "mp4j.examples.bootJar"));
    }

    @Test
    void fromMavenExecJava() {
        // java.class.path is Maven's plexus-classworlds jar; the program and the library are
        // in the exec plugin's class loader.
        Path root = Path.of(required("mp4j.project.root"));
        assertRan(withoutMavensOwnOutput(ExampleRunner.run("mvn exec:java", MAVEN_TIMEOUT, jvmOptions -> {
            List<String> command = List.of(maven(), "-B", "-q", "-ntp", "-Dstyle.color=never",
                    "-Dmaven.repo.local=" + required("mp4j.maven.repo"), "-pl", "examples", "-am",
                    "compile", "exec:java", "-Dexec.mainClass=" + RunsAnywhereExample.class.getName());
            ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile());
            builder.environment().put("MAVEN_OPTS", String.join(" ", jvmOptions));
            return builder;
        })));
    }

    @Test
    void fromAPluginClassLoader() {
        // The host has the library on its class path; the program is in a URLClassLoader.
        String classPath = location(JvmProcess.class) + File.pathSeparator + location(PluginHost.class);
        assertRan(ExampleRunner.run("URLClassLoader", ExampleRunner.EXAMPLE_TIMEOUT, jvmOptions -> {
            List<String> command = new ArrayList<>(List.of(java()));
            command.addAll(jvmOptions);
            command.addAll(List.of("-cp", classPath, PluginHost.class.getName(),
                    location(RunsAnywhereExample.class), RunsAnywhereExample.class.getName()));
            return new ProcessBuilder(command);
        }));
    }

    private static ExampleRunner.Result runJar(String what, String property) {
        Path jar = Path.of(required(property));
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError("no " + what + " at " + jar + ": the examples' build makes it"
                    + " before the integration tests (run them with `mvn verify`)");
        }
        return ExampleRunner.run(what, ExampleRunner.EXAMPLE_TIMEOUT, jvmOptions -> {
            List<String> command = new ArrayList<>(List.of(java()));
            command.addAll(jvmOptions);
            command.addAll(List.of("-jar", jar.toString()));
            return new ProcessBuilder(command);
        });
    }

    /**
     * Without what Maven itself prints: Maven 3.8's console resets its colours even in batch
     * mode ({@code ESC[0m}), and on JDK 24+ the JDK warns about the {@code sun.misc.Unsafe} use
     * of Maven's own Guava.
     */
    private static ExampleRunner.Result withoutMavensOwnOutput(ExampleRunner.Result r) {
        String colour = "\u001B\\[[0-9;]*m";
        String guavaWarnings = "(?m)^WARNING: .*(sun\\.misc\\.Unsafe|com\\.google\\.common).*\\R";
        return new ExampleRunner.Result(r.example(), r.pid(), r.exitCode(), r.stdout().replaceAll(colour, ""),
                r.stderr().replaceAll(colour, "").replaceAll(guavaWarnings, ""));
    }

    private static void assertRan(ExampleRunner.Result result) {
        result.assertExitedNormally().assertNoStderr();
        assertEquals(EXPECTED, result.stdoutLines(), result::describe);
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String maven() {
        String home = System.getProperty("mp4j.maven.home", "");
        Path mvn = Path.of(home, "bin", "mvn");
        return !home.isEmpty() && Files.isExecutable(mvn) ? mvn.toString() : "mvn";
    }

    private static String location(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isEmpty()) {
            throw new AssertionError("system property " + property + " is not set: run this test through"
                    + " the examples' Failsafe configuration (mvn verify)");
        }
        return value;
    }
}
