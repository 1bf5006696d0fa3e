package org.multiprocessing4j.internal.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ExitStatusTest {
    @Test
    void unreportedSignalDeathsBecomeNegative() {
        assertEquals(-15, ExitStatus.fromUnreportedExit(143));
        assertEquals(-9, ExitStatus.fromUnreportedExit(137));
        assertEquals(0, ExitStatus.fromUnreportedExit(0));
        assertEquals(1, ExitStatus.fromUnreportedExit(1));
        assertEquals(128, ExitStatus.fromUnreportedExit(128));
        assertEquals(255, ExitStatus.fromUnreportedExit(255));
    }

    @Test
    void exitCodesAreDescribedAsPythonDoes() {
        assertEquals("SIGTERM", ExitStatus.describe(-15));
        assertEquals("SIGKILL", ExitStatus.describe(-9));
        assertEquals("1", ExitStatus.describe(1));
        assertEquals("-99", ExitStatus.describe(-99));
    }
}
