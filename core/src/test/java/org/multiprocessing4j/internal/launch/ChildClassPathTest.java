package org.multiprocessing4j.internal.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a child finds classes, worked out from class loaders: no child is started here. */
class ChildClassPathTest {
    @TempDir
    Path dir;

    /** A class of this test, read from its own bytes so that another loader can define it. */
    public static final class Probe {
    }

    @Test
    void theApplicationLoaderGivesTheJavaClassPathAndIsWorkedOutOnce() {
        ChildClassPath path = ChildClassPath.ofApplicationLoader();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            assertTrue(path.entries().contains(Path.of(entry).toAbsolutePath().normalize().toString()), entry);
        }
        assertSame(path, ChildClassPath.ofClasses(Set.of(Probe.class, String.class), List.of()));
        assertNull(path.firstMissing(Set.of(Probe.class, String.class, ChildClassPath.class)));
        assertFalse(path.isSpringBoot());
    }

    @Test
    void aUrlClassLoaderOverFilesAddsItsUrlsAfterItsParents() throws Exception {
        Path classes = copyOfProbe(dir.resolve("plugin"));
        try (URLClassLoader plugin = new URLClassLoader(new URL[] {classes.toUri().toURL()}, null)) {
            Class<?> probe = plugin.loadClass(Probe.class.getName());
            assertSame(plugin, probe.getClassLoader());
            assertTrue(ChildClassPath.ofApplicationLoader().firstMissing(Set.of(probe)) == probe,
                    "the application's class path does not hold the plugin's class");
            ChildClassPath path = ChildClassPath.ofClasses(Set.of(probe), List.of());
            List<String> entries = path.entries();
            assertEquals(classes.toString(), entries.get(entries.size() - 1), "the plugin's directory comes last");
            assertTrue(entries.containsAll(ChildClassPath.ofApplicationLoader().entries()), "and the library's");
            assertNull(path.firstMissing(Set.of(probe, Probe.class)));
            assertEquals(path, ChildClassPath.of(List.of(plugin)), "a class path is a value");
        }
    }

    @Test
    void aClassFromBytesIsFoundOnlyIfItsCodeSourceIsAFile() throws Exception {
        byte[] bytes;
        try (InputStream in = Probe.class.getResourceAsStream("ChildClassPathTest$Probe.class")) {
            bytes = in.readAllBytes();
        }
        Class<?> fromBytes = new ClassLoader(null) {
            Class<?> define() {
                return defineClass(Probe.class.getName(), bytes, 0, bytes.length);
            }
        }.define();
        ChildClassPath path = ChildClassPath.ofClasses(Set.of(fromBytes), List.of());
        assertSame(fromBytes, path.firstMissing(Set.of(fromBytes)));
        String described = ChildClassPath.describe(fromBytes);
        assertTrue(described.startsWith("class " + Probe.class.getName() + " (loaded by "), described);
    }

    @Test
    void aSpringBootJarIsKnownByItsLauncher() throws IOException {
        Path boot = jar(dir.resolve("app.jar"), "org.springframework.boot.loader.launch.JarLauncher",
                "org/springframework/boot/loader/launch/PropertiesLauncher.class");
        SpringBootJar found = SpringBootJar.detect(boot.toString());
        assertNotNull(found);
        assertEquals("org.springframework.boot.loader.launch.PropertiesLauncher", found.propertiesLauncher());
        assertEquals(boot.toString(), found.jar());

        Path older = jar(dir.resolve("old.jar"), "org.springframework.boot.loader.JarLauncher",
                "org/springframework/boot/loader/PropertiesLauncher.class");
        assertEquals("org.springframework.boot.loader.PropertiesLauncher",
                SpringBootJar.detect(older.toString()).propertiesLauncher());

        assertNull(SpringBootJar.detect(jar(dir.resolve("plain.jar"), "com.example.Main", "x.txt").toString()));
        assertNull(SpringBootJar.detect(jar(dir.resolve("nolauncher.jar"),
                "org.springframework.boot.loader.launch.JarLauncher", "x.txt").toString()));
        assertNull(SpringBootJar.detect(boot + File.pathSeparator + older), "one jar only");
        assertNull(SpringBootJar.detect(dir.toString()), "not a jar");
    }

    private Path copyOfProbe(Path root) throws IOException {
        String resource = Probe.class.getName().replace('.', '/') + ".class";
        Path target = root.resolve(resource);
        Files.createDirectories(target.getParent());
        try (InputStream in = Probe.class.getClassLoader().getResourceAsStream(resource)) {
            Files.copy(in, target);
        }
        return root.toAbsolutePath().normalize();
    }

    private static Path jar(Path file, String mainClass, String entry) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass);
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.putNextEntry(new JarEntry(entry));
            jar.closeEntry();
        }
        return file;
    }
}
