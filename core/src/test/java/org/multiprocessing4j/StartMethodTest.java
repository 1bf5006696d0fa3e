package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StartMethodTest {
    @Test
    void namesAreParsedAsPythonSpellsThem() {
        assertEquals(StartMethod.SPAWN, StartMethod.fromName("spawn"));
        assertEquals(StartMethod.FORKSERVER, StartMethod.fromName(" ForkServer "));
        assertEquals("forkserver", StartMethod.FORKSERVER.toString());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> StartMethod.fromName("fork"));
        assertTrue(bad.getMessage().contains("'fork'") && bad.getMessage().contains("cannot fork"), bad.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> StartMethod.fromName("thread"))
                .getMessage().contains("\"spawn\" or \"forkserver\""));
        assertThrows(NullPointerException.class, () -> StartMethod.fromName(null));
    }

    @Test
    void theDefaultCanBeSetOnceUnlessForced() {
        Multiprocessing.setStartMethod(StartMethod.SPAWN, true);
        IllegalStateException again = assertThrows(IllegalStateException.class,
                () -> Multiprocessing.setStartMethod(StartMethod.SPAWN));
        assertTrue(again.getMessage().contains("already been set"), again.getMessage());
        assertEquals(StartMethod.SPAWN, Multiprocessing.getStartMethod());
        assertEquals(StartMethod.SPAWN, Multiprocessing.getContext().getStartMethod());
        assertEquals("ProcessContext[spawn]", Multiprocessing.getContext().toString());
        assertThrows(NullPointerException.class, () -> Multiprocessing.setStartMethod(null));
        assertThrows(NullPointerException.class, () -> Multiprocessing.setStartMethod(null, true));
        assertThrows(NullPointerException.class, () -> Multiprocessing.getContext(null));
        assertThrows(NullPointerException.class, () -> Multiprocessing.getContext(StartMethod.SPAWN).process(null));
    }
}
