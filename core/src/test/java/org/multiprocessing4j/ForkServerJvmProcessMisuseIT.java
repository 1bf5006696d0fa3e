package org.multiprocessing4j;

/** {@link JvmProcessMisuseContract} with {@link StartMethod#FORKSERVER}. */
class ForkServerJvmProcessMisuseIT extends JvmProcessMisuseContract {
    @Override
    StartMethod startMethod() {
        return StartMethod.FORKSERVER;
    }
}
