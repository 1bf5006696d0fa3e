package org.multiprocessing4j.examples;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;

/**
 * A plugin host, as application servers and plugin systems are: the library on its class path,
 * the application in a {@link URLClassLoader} of its own (made its threads' context class
 * loader, as such hosts do), whose {@code main} it calls.
 *
 * <p>Usage: {@code PluginHost <application's jar or classes directory> <main class>}.
 */
public final class PluginHost {
    private PluginHost() {
    }

    public static void main(String[] args) throws Exception {
        URL application = Path.of(args[0]).toUri().toURL();
        try (URLClassLoader plugin = new URLClassLoader("plugin", new URL[] {application},
                PluginHost.class.getClassLoader())) {
            Class<?> main = Class.forName(args[1], true, plugin);
            if (main.getClassLoader() != plugin) {
                throw new IllegalStateException(args[1] + " is on the host's class path: the test proves nothing");
            }
            Thread.currentThread().setContextClassLoader(plugin);
            Method entry = main.getMethod("main", String[].class);
            entry.invoke(null, (Object) new String[0]);
        }
    }
}
