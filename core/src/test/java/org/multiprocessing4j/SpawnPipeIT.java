package org.multiprocessing4j;

class SpawnPipeIT extends PipeContract {
    @Override
    StartMethod startMethod() {
        return StartMethod.SPAWN;
    }
}
