package org.multiprocessing4j;

import org.junit.jupiter.api.BeforeEach;

/** A contract suite run once per start method: each concrete subclass names one. */
abstract class StartMethodSuite {
    /** The start method every process of the suite uses, through the default. */
    abstract StartMethod startMethod();

    @BeforeEach
    void useStartMethod() {
        Multiprocessing.setStartMethod(startMethod(), true);
    }
}
