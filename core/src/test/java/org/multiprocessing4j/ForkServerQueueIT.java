package org.multiprocessing4j;

class ForkServerQueueIT extends QueueContract {
    @Override
    StartMethod startMethod() {
        return StartMethod.FORKSERVER;
    }
}
