package org.multiprocessing4j.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.multiprocessing4j.BrokenPoolException;

/** What {@link Backends} makes for a backend without starting anything. */
class BackendsTest {
    @Test
    void brokenPoolMakesTheExceptionThatBreaksARemotePool() {
        BrokenPoolException e = Backends.brokenPool("on node 'na', the pool is broken: its initializer failed");
        assertEquals("on node 'na', the pool is broken: its initializer failed", e.getMessage());
        assertNull(e.getCause(), "the cause stayed on the node");
        assertInstanceOf(IllegalStateException.class, e, "caught as an IllegalStateException, as a broken pool was");
        assertEquals("message", assertThrows(NullPointerException.class, () -> Backends.brokenPool(null)).getMessage());
    }
}
