package org.multiprocessing4j.internal.launch;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.multiprocessing4j.internal.log.LibraryLog;

/**
 * The Spring Boot executable jar this JVM was started from ({@code java -jar app.jar}), if it
 * was: the jar is {@code java.class.path} alone and its manifest names one of Boot's launchers
 * as {@code Main-Class}. A child is started through the {@code PropertiesLauncher} of the same
 * Boot version (its package moved in Boot 3.2), which always puts the jar's
 * {@code BOOT-INF/classes} and {@code BOOT-INF/lib} on the class path and runs the main class
 * named by {@code -Dloader.main}.
 */
record SpringBootJar(String jar, String propertiesLauncher) {
    private static final Object LOCK = new Object();
    private static boolean detected; // guarded by LOCK
    private static SpringBootJar thisJvm; // guarded by LOCK

    /** This JVM's Boot jar; null if it was not started from one. Worked out once. */
    static SpringBootJar ofThisJvm() {
        synchronized (LOCK) {
            if (!detected) {
                detected = true;
                thisJvm = detect(System.getProperty("java.class.path", ""));
            }
            return thisJvm;
        }
    }

    static SpringBootJar detect(String classPath) {
        if (classPath.isEmpty() || classPath.contains(File.pathSeparator) || !classPath.endsWith(".jar")) {
            return null;
        }
        Path jar = Path.of(classPath).toAbsolutePath().normalize();
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            String main = manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.MAIN_CLASS);
            if (main == null || !main.startsWith("org.springframework.boot.loader.")) {
                return null;
            }
            String launcher = main.substring(0, main.lastIndexOf('.') + 1) + "PropertiesLauncher";
            if (file.getEntry(launcher.replace('.', '/') + ".class") == null) {
                LibraryLog.debug("no " + launcher + " in Spring Boot jar " + jar);
                return null;
            }
            return new SpringBootJar(jar.toString(), launcher);
        } catch (IOException | SecurityException e) {
            LibraryLog.debug("could not read the manifest of " + jar + ": " + e);
            return null;
        }
    }
}
