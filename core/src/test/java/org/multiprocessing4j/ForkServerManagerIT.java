package org.multiprocessing4j;

class ForkServerManagerIT extends ManagerContract {
    @Override
    StartMethod startMethod() {
        return StartMethod.FORKSERVER;
    }
}
