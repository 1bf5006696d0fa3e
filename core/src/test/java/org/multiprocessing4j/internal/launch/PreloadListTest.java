package org.multiprocessing4j.internal.launch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.Serializable;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The list of classes an idle FORKSERVER JVM loads ahead: what is noted, the frame on the
 * control pipe (exactly its bytes are read: the handshake follows), and loading without
 * initializing.
 */
class PreloadListTest {
    /** Set by {@link NeverInitialized}'s static initializer, which loading must not run. */
    static volatile boolean initialized;

    static final class NeverInitialized implements Serializable {
        private static final long serialVersionUID = 1L;

        static {
            initialized = true;
        }
    }

    static final class NotedFirst implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    static final class NotedLast implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    @Test
    void theMostLatelySentComeFirstAndTheJdksOwnAreLeftOut() {
        PreloadList.note(Set.of(NotedFirst.class, String.class));
        PreloadList.note(Set.of(NotedLast[].class, int.class));
        List<String> names = PreloadList.names(PreloadList.MAX_NAMES);
        assertTrue(names.indexOf(NotedLast.class.getName()) >= 0
                && names.indexOf(NotedLast.class.getName()) < names.indexOf(NotedFirst.class.getName()),
                "expected the class sent last (as an array's element) before the one sent first: " + names);
        assertFalse(names.contains(String.class.getName()) || names.contains("int"),
                "expected the JDK's classes and primitives to be left out: " + names);
        Runnable lambda = () -> { };
        PreloadList.note(Set.of(lambda.getClass()));
        assertFalse(PreloadList.names(PreloadList.MAX_NAMES).contains(lambda.getClass().getName()),
                "expected a hidden class (a lambda's), which no name loads, to be left out");
    }

    @Test
    void aFrameIsReadBackExactlyAndWhatFollowsItStaysOnThePipe() throws IOException {
        PreloadList.note(Set.of(NotedFirst.class));
        ByteArrayOutputStream pipe = new ByteArrayOutputStream();
        PreloadList.writeFrame(pipe);
        pipe.write(new byte[] {7, 8, 9}); // the handshake, as far as this test cares
        ByteArrayInputStream in = new ByteArrayInputStream(pipe.toByteArray());
        List<String> names = PreloadList.readFrame(in);
        assertEquals(PreloadList.names(PreloadList.MAX_NAMES), names, "expected the names written");
        assertArrayEquals(new byte[] {7, 8, 9}, in.readAllBytes(), "expected the frame's reader to leave what follows it");
    }

    @Test
    void aCutOrImpossibleFrameIsRefused() throws IOException {
        ByteArrayOutputStream pipe = new ByteArrayOutputStream();
        PreloadList.writeFrame(pipe);
        byte[] whole = pipe.toByteArray();
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 1);
        assertThrows(EOFException.class, () -> PreloadList.readFrame(new ByteArrayInputStream(cut)),
                "expected a frame cut short to end like a parent gone");
        assertThrows(EOFException.class, () -> PreloadList.readFrame(new ByteArrayInputStream(new byte[0])),
                "expected an empty pipe to end like a parent gone");
        byte[] huge = {0x7f, 0, 0, 0};
        assertThrows(IOException.class, () -> PreloadList.readFrame(new ByteArrayInputStream(huge)),
                "expected a frame claiming 2 GB to be refused");
    }

    @Test
    void loadingLoadsWithoutInitializingSkipsWhatIsMissingAndStopsWhenTold() {
        // The class is named by a string only: a class literal here would load it first.
        long before = ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount();
        int loaded = PreloadList.load(List.of("no.such.Clazz", PreloadListTest.class.getName() + "$NeverInitialized"),
                () -> false);
        long after = ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount();
        assertEquals(1, loaded, "expected the class on the class path to load and the missing one to be skipped");
        assertTrue(after > before, "expected a class to have been loaded");
        assertFalse(initialized, "expected loading ahead not to run the class's static initializer");
        List<String> asked = new ArrayList<>();
        int none = PreloadList.load(List.of(PreloadListTest.class.getName() + "$NotedFirst"), () -> {
            asked.add("stop?");
            return true;
        });
        assertEquals(0, none, "expected nothing loaded once told to stop");
        assertEquals(1, asked.size(), "expected the stop condition to be asked before each class");
    }
}
