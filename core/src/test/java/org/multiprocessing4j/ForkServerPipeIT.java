package org.multiprocessing4j;

class ForkServerPipeIT extends PipeContract {
    @Override
    StartMethod startMethod() {
        return StartMethod.FORKSERVER;
    }
}
