package org.multiprocessing4j;

class ForkServerInterruptIT extends InterruptContract {
    @Override
    StartMethod startMethod() {
        return StartMethod.FORKSERVER;
    }
}
