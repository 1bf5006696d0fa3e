package org.multiprocessing4j.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.multiprocessing4j.SerializableCallable;
import org.multiprocessing4j.SerializableRunnable;

/**
 * Copies of a test class defined by class loaders of their own, as plugin systems and
 * application servers define classes: one from bytes, with no file behind it (no child JVM can
 * find it), and one by a {@link URLClassLoader} over a directory.
 */
public final class DetachedClasses {
    private DetachedClasses() {
    }

    /** What the tests run; each copy of this class is a class of its own. */
    public static final class Task implements SerializableRunnable, SerializableCallable<String> {
        private static final long serialVersionUID = 1L;

        @Override
        public void run() {
        }

        @Override
        public String call() {
            return "task";
        }
    }

    /** A Task whose class was defined from bytes by a loader that has no class path. */
    public static Object fromBytes() {
        byte[] bytes = bytesOfTask();
        ClassLoader loader = new ClassLoader("from-bytes", DetachedClasses.class.getClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                synchronized (getClassLoadingLock(name)) {
                    if (name.equals(Task.class.getName())) {
                        Class<?> c = findLoadedClass(name);
                        return c != null ? c : defineClass(name, bytes, 0, bytes.length);
                    }
                    return super.loadClass(name, resolve);
                }
            }
        };
        return newTask(loader);
    }

    /**
     * A URLClassLoader over {@code dir}, where it puts a copy of Task's class file; it defines
     * Task itself instead of asking its parent, which also has it.
     */
    public static URLClassLoader urlLoader(Path dir) {
        String resource = Task.class.getName().replace('.', '/') + ".class";
        try {
            Path file = dir.resolve(resource);
            Files.createDirectories(file.getParent());
            Files.write(file, bytesOfTask());
            return new URLClassLoader("plugin", new URL[] {dir.toUri().toURL()}, DetachedClasses.class.getClassLoader()) {
                @Override
                protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                    synchronized (getClassLoadingLock(name)) {
                        if (name.equals(Task.class.getName())) {
                            Class<?> c = findLoadedClass(name);
                            return c != null ? c : findClass(name);
                        }
                        return super.loadClass(name, resolve);
                    }
                }
            };
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(dir.toString(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A new Task of {@code loader}'s copy of the class: a {@link SerializableRunnable} and a
     * {@code SerializableCallable<String>}, but not a {@link Task} (another loader's class).
     */
    public static Object newTask(ClassLoader loader) {
        try {
            Class<?> c = Class.forName(Task.class.getName(), true, loader);
            if (c == Task.class) {
                throw new IllegalStateException("the loader gave the test's own Task class");
            }
            return c.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("could not make a Task with " + loader, e);
        }
    }

    private static byte[] bytesOfTask() {
        String resource = "/" + Task.class.getName().replace('.', '/') + ".class";
        try (InputStream in = Task.class.getResourceAsStream(resource)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
