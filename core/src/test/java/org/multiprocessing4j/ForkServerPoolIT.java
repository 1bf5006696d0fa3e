package org.multiprocessing4j;

class ForkServerPoolIT extends PoolContract {
    @Override
    StartMethod startMethod() {
        return StartMethod.FORKSERVER;
    }
}
