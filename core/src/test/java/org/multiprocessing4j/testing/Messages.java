package org.multiprocessing4j.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.function.Executable;

/** Checks that misuse fails with a clear error: the right type, a message naming what was wrong. */
public final class Messages {
    private Messages() {
    }

    /** Fails unless {@code call} throws a {@code type} whose message contains every fragment. */
    public static <T extends Throwable> T assertMessage(Class<T> type, Executable call, String... fragments) {
        T t = assertThrows(type, call);
        for (String f : fragments) {
            assertTrue(t.getMessage() != null && t.getMessage().contains(f),
                    "message should mention '" + f + "': " + t.getMessage());
        }
        return t;
    }
}
