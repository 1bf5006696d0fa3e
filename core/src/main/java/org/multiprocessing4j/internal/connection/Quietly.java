package org.multiprocessing4j.internal.connection;

import java.io.Closeable;
import java.io.IOException;

/** Closing on the way out of a failure or a close, when closing is all that is wanted. */
public final class Quietly {
    private Quietly() {
    }

    /** Closes each non-null one, ignoring what closing throws. */
    public static void close(Closeable... things) {
        for (Closeable c : things) {
            if (c != null) {
                try {
                    c.close(); // a Selector's close also wakes a thread waiting in it
                } catch (IOException e) {
                    // Nothing to do: the resource is being given up.
                }
            }
        }
    }
}
