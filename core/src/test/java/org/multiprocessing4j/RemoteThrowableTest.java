package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RemoteThrowableTest {
    @Test
    void standsInForClassMessageTraceAndCauses() {
        IllegalStateException original = new IllegalStateException("outer", new ArithmeticException("inner"));
        RemoteThrowable r = RemoteThrowable.of(original);
        assertEquals("java.lang.IllegalStateException", r.getRemoteClassName());
        assertEquals("java.lang.IllegalStateException: outer", r.toString());
        assertEquals(original.getStackTrace().length, r.getStackTrace().length);
        RemoteThrowable cause = (RemoteThrowable) r.getCause();
        assertEquals("java.lang.ArithmeticException: inner", cause.toString());
        assertNull(cause.getCause());
        assertThrows(NullPointerException.class, () -> RemoteThrowable.of(null));
    }
}
