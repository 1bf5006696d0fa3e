package org.multiprocessing4j.examples;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.multiprocessing4j.StartMethod;

/**
 * The README works when followed: every {@code ```java} block of the project's {@code README.md}
 * compiles against the library and runs as a program, printing what its comments say.
 *
 * <p>Each block is compiled with the system Java compiler against this JVM's class path (which
 * holds the library), as written or, for a fragment, wrapped in a generated class
 * ({@link ReadmeBlock#source()}); compiler errors are reported at README lines. It then runs in
 * a JVM of its own through {@link ExampleRunner}, on the same class path plus its classes, under
 * the default start method: it must exit with status 0, write nothing to standard error, leave no
 * process or file behind, and print every line its comments show
 * ({@link ReadmeBlock#expectedOutput()}), in any order, since processes print concurrently.
 *
 * <p>A block that declares types but no {@code main} method (a class meant to be used by other
 * code, such as a test class) has nothing to run as a program: it is only compiled.
 */
class ReadmeSnippetsIT {
    @TestFactory
    Stream<DynamicTest> everyJavaBlockCompilesAndRunsAsShown(@TempDir Path work) throws IOException {
        Path readme = readme();
        List<ReadmeBlock> blocks = ReadmeBlock.javaBlocks(Files.readAllLines(readme, StandardCharsets.UTF_8));
        assertFalse(blocks.isEmpty(), "no ```java block found in " + readme);
        return blocks.stream().map(b -> DynamicTest.dynamicTest(b.toString(),
                () -> compileAndRun(b, Files.createDirectory(work.resolve("line-" + b.firstLine())))));
    }

    /**
     * The README: from the system property that the examples module's pom sets for Failsafe, or,
     * when run elsewhere (an IDE), relative to the module directory as the working directory.
     */
    private static Path readme() {
        Path readme = Path.of(System.getProperty("mp4j.test.readme", "../README.md"));
        assertTrue(Files.isRegularFile(readme), () -> "no README at " + readme.toAbsolutePath());
        return readme;
    }

    private static void compileAndRun(ReadmeBlock block, Path dir) throws Exception {
        ReadmeBlock.Source source = block.source();
        Path classes = Files.createDirectory(dir.resolve("classes"));
        compile(block, source, dir.resolve("src"), classes);
        if (!hasMain(source.mainClass(), classes)) {
            return; // a class for other code to use: compiling it is all there is to check
        }
        String classPath = System.getProperty("java.class.path") + File.pathSeparator + classes;
        ExampleRunner.Result r = ExampleRunner.run(block.toString(), source.mainClass(), classPath,
                ExampleRunner.EXAMPLE_TIMEOUT, StartMethod.SPAWN).assertExitedNormally().assertNoStderr();
        List<String> printed = r.stdoutLines();
        List<String> missing = block.expectedOutput().stream().filter(l -> !printed.contains(l))
                .collect(Collectors.toList());
        if (!missing.isEmpty()) {
            fail(block + ": did not print these lines that its comments show: " + missing + "\n" + r.describe());
        }
    }

    /** Compiles the block against this JVM's class path; fails with javac's errors at README lines. */
    private static void compile(ReadmeBlock block, ReadmeBlock.Source source, Path src, Path classes)
            throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "no Java compiler in " + System.getProperty("java.home") + ": run the tests on a JDK");
        Path file = src.resolve(source.path());
        Files.createDirectories(file.getParent());
        Files.writeString(file, source.text(), StandardCharsets.UTF_8);
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StringWriter otherOutput = new StringWriter(); // javac's own console output, kept for the message
        boolean compiled;
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT,
                StandardCharsets.UTF_8)) {
            List<String> options = List.of("-classpath", System.getProperty("java.class.path"),
                    "-d", classes.toString(), "-proc:none");
            compiled = javac.getTask(otherOutput, files, diagnostics, options, null,
                    files.getJavaFileObjects(file)).call();
        }
        if (!compiled) {
            StringBuilder message = new StringBuilder(block + ": does not compile\n");
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                if (d.getKind() == Diagnostic.Kind.ERROR) {
                    message.append(block.where(source, d.getLineNumber())).append(": ")
                            .append(d.getMessage(Locale.ROOT)).append('\n');
                }
            }
            fail(message.append(otherOutput).toString());
        }
    }

    /** Whether {@code mainClass} has {@code public static void main(String[])}. */
    private static boolean hasMain(String mainClass, Path classes) throws Exception {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                ReadmeSnippetsIT.class.getClassLoader())) {
            Class<?> c = Class.forName(mainClass, false, loader);
            for (Method m : c.getMethods()) {
                if (m.getName().equals("main") && Modifier.isStatic(m.getModifiers()) && m.getReturnType() == void.class
                        && List.of(m.getParameterTypes()).equals(List.of(String[].class))) {
                    return true;
                }
            }
            return false;
        }
    }
}
