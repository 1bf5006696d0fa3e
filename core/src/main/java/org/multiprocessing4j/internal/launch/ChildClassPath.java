package org.multiprocessing4j.internal.launch;

import java.io.File;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Where a child JVM finds classes, worked out from where the parent's classes came from rather
 * than from {@code java.class.path} alone: an application run by {@code mvn exec:java}, a
 * Spring Boot executable jar, an application server or a plugin system loads its classes
 * through class loaders of its own, and {@code java.class.path} then names only a launcher.
 *
 * <p>A child runs everything in one class loader, so the class path is the parent's loaders
 * flattened parent-first: the JDK's application loader gives {@code java.class.path}; each
 * {@link URLClassLoader} over files (Maven's class realms and exec plugin, most plugin
 * systems) gives its URLs after its parent's; a class loaded some other way gives its code
 * source if that is a jar or directory. A Spring Boot executable jar ({@code java -jar
 * app.jar}, whose classes sit in nested jars no class path can name) is different: the child
 * is started through Boot's own {@code PropertiesLauncher} with the same jar, so that the same
 * classes resolve the same way.
 *
 * <p>Instances are values: two with the same command line are equal, which is what lets the
 * forkserver hand a JVM booted for one process to the next.
 */
public final class ChildClassPath {
    private static final String BOOT_LOADER_PACKAGE = "org.springframework.boot.loader.";

    private static volatile ChildClassPath ofApplicationLoader;

    /** Plain class path entries, absolute; in Boot mode, the application jar alone. */
    private final List<String> entries;
    /** Boot's PropertiesLauncher class, or null for a plain class path. */
    private final String bootLauncher;
    /** The loaders whose every class a child finds, identity set. */
    private final Set<ClassLoader> covered;

    private ChildClassPath(List<String> entries, String bootLauncher, Set<ClassLoader> covered) {
        this.entries = List.copyOf(entries);
        this.bootLauncher = bootLauncher;
        this.covered = covered;
    }

    /**
     * The class path that finds the library and the classes of the given loaders (null stands
     * for the JDK's, which every JVM has).
     */
    public static ChildClassPath of(Collection<ClassLoader> loaders) {
        return ofClasses(List.of(), loaders);
    }

    /**
     * The class path that finds the library, every class in {@code classes} that a class path
     * can find, and the classes of {@code moreLoaders}.
     */
    public static ChildClassPath ofClasses(Collection<Class<?>> classes, Collection<ClassLoader> moreLoaders) {
        ClassLoader application = ClassLoader.getSystemClassLoader();
        boolean onlyApplication = ChildClassPath.class.getClassLoader() == application;
        for (ClassLoader l : moreLoaders) {
            onlyApplication &= isJdkLoader(l) || l == application;
        }
        for (Class<?> c : classes) {
            onlyApplication &= isJdkLoader(c.getClassLoader()) || c.getClassLoader() == application;
        }
        if (onlyApplication) {
            return ofApplicationLoader(); // the usual case, worked out once
        }
        Builder b = new Builder();
        b.addChain(ChildClassPath.class.getClassLoader());
        for (ClassLoader l : moreLoaders) {
            b.addChain(l);
        }
        for (Class<?> c : classes) {
            b.addChain(c.getClassLoader());
        }
        // Classes from loaders no class path reproduces may still come from a jar or directory.
        b.addCodeSource(ChildClassPath.class);
        for (Class<?> c : classes) {
            b.addCodeSource(c);
        }
        return b.build();
    }

    /** The class path of the JDK's application loader: {@code java.class.path} and the library. */
    public static ChildClassPath ofApplicationLoader() {
        ChildClassPath p = ofApplicationLoader;
        if (p == null) {
            Builder b = new Builder();
            b.addChain(ClassLoader.getSystemClassLoader());
            b.addCodeSource(ChildClassPath.class);
            p = b.build();
            ofApplicationLoader = p;
        }
        return p;
    }

    /** The first class in {@code classes} that a child would not find; null if it finds all. */
    public Class<?> firstMissing(Collection<Class<?>> classes) {
        for (Class<?> c : classes) {
            if (!covers(c)) {
                return c;
            }
        }
        return null;
    }

    /** Names a class and where it came from, for an error message. */
    public static String describe(Class<?> c) {
        String source = codeSourceOf(c);
        ClassLoader l = c.getClassLoader();
        return "class " + c.getName() + " (loaded by " + (l == null ? "the JDK" : l.getClass().getName())
                + (source == null ? "" : " from " + source) + ")";
    }

    private boolean covers(Class<?> c) {
        ClassLoader l = c.getClassLoader();
        if (isJdkLoader(l) || covered.contains(l)) {
            return true;
        }
        String source = codeSourceOf(c);
        return bootLauncher == null && source != null && entries.contains(source);
    }

    /** True when the child starts through Spring Boot's launcher. */
    public boolean isSpringBoot() {
        return bootLauncher != null;
    }

    /** The class path entries, in order. */
    public List<String> entries() {
        return entries;
    }

    /**
     * The end of a child's command line: class path, the options the start path needs, the
     * main class.
     *
     * @param prefix an entry to put first (the class-data archive's jar), or null
     */
    List<String> commandTail(String prefix, String mainClass) {
        List<String> tail = new ArrayList<>();
        String classPath = String.join(File.pathSeparator, entries);
        if (prefix != null) {
            classPath = classPath.isEmpty() ? prefix : prefix + File.pathSeparator + classPath;
        }
        if (!classPath.isEmpty()) {
            tail.add("-cp");
            tail.add(classPath);
        }
        if (bootLauncher != null) {
            tail.add("-Dloader.main=" + mainClass);
            tail.add(bootLauncher);
        } else {
            tail.add(mainClass);
        }
        return tail;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChildClassPath other && entries.equals(other.entries)
                && java.util.Objects.equals(bootLauncher, other.bootLauncher);
    }

    @Override
    public int hashCode() {
        return entries.hashCode() * 31 + java.util.Objects.hashCode(bootLauncher);
    }

    @Override
    public String toString() {
        return (bootLauncher != null ? "Spring Boot " + bootLauncher + " " : "") + entries;
    }

    private static boolean isJdkLoader(ClassLoader l) {
        return l == null || l == ClassLoader.getPlatformClassLoader();
    }

    /** The jar or directory a class was read from, as an absolute path; null if not a file. */
    static String codeSourceOf(Class<?> c) {
        ProtectionDomain domain = c.getProtectionDomain();
        CodeSource source = domain == null ? null : domain.getCodeSource();
        URL location = source == null ? null : source.getLocation();
        return location == null ? null : fileOf(location);
    }

    private static String fileOf(URL url) {
        if (!"file".equals(url.getProtocol())) {
            return null;
        }
        try {
            return Path.of(url.toURI()).toAbsolutePath().normalize().toString();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return new File(url.getPath()).getAbsoluteFile().toPath().normalize().toString();
        }
    }

    /** Collects entries parent-first, each once. */
    private static final class Builder {
        private final LinkedHashSet<String> entries = new LinkedHashSet<>();
        /** Loaders seen, each with the entries it gave (empty for a Spring Boot loader). */
        private final java.util.Map<ClassLoader, List<String>> seen = new IdentityHashMap<>();
        private final Set<ClassLoader> bootLoaders = Collections.newSetFromMap(new IdentityHashMap<>());
        private SpringBootJar boot;

        /** Adds what {@code loader} and its parents see, the furthest parent first. */
        void addChain(ClassLoader loader) {
            if (isJdkLoader(loader) || seen.containsKey(loader)) {
                return;
            }
            addChain(loader.getParent());
            if (loader == ClassLoader.getSystemClassLoader()) {
                List<String> files = new ArrayList<>();
                for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
                    if (!entry.isEmpty()) {
                        files.add(Path.of(entry).toAbsolutePath().normalize().toString());
                    }
                }
                cover(loader, files);
            } else if (loader instanceof URLClassLoader urls) {
                List<String> files = new ArrayList<>();
                for (URL url : urls.getURLs()) {
                    files.add(fileOf(url));
                }
                if (!files.contains(null)) {
                    cover(loader, files);
                } else if (loader.getClass().getName().startsWith(BOOT_LOADER_PACKAGE)
                        && SpringBootJar.ofThisJvm() != null) {
                    boot = SpringBootJar.ofThisJvm();
                    bootLoaders.add(loader);
                    seen.put(loader, List.of());
                }
            }
        }

        private void cover(ClassLoader loader, List<String> files) {
            entries.addAll(files);
            seen.put(loader, files);
        }

        void addCodeSource(Class<?> c) {
            ClassLoader l = c.getClassLoader();
            if (!isJdkLoader(l) && !seen.containsKey(l)) {
                String source = codeSourceOf(c);
                if (source != null) {
                    entries.add(source);
                }
            }
        }

        ChildClassPath build() {
            Set<ClassLoader> covered = Collections.newSetFromMap(new IdentityHashMap<>());
            if (boot == null) {
                covered.addAll(seen.keySet());
                return new ChildClassPath(new ArrayList<>(entries), null, covered);
            }
            // Boot's launcher finds everything in the application jar: the Boot loader's classes,
            // and those of loaders that see no more than the jar itself (the JDK's application
            // loader, whose class path it is). Other entries cannot join it.
            covered.addAll(bootLoaders);
            for (java.util.Map.Entry<ClassLoader, List<String>> e : seen.entrySet()) {
                if (List.of(boot.jar()).containsAll(e.getValue())) {
                    covered.add(e.getKey());
                }
            }
            return new ChildClassPath(List.of(boot.jar()), boot.propertiesLauncher(), covered);
        }
    }
}
