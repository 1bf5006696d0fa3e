package org.multiprocessing4j;

/** {@link JvmProcessContract} with {@link StartMethod#FORKSERVER}. */
class ForkServerJvmProcessIT extends JvmProcessContract {
    @Override
    StartMethod startMethod() {
        return StartMethod.FORKSERVER;
    }
}
