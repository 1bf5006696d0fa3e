package org.multiprocessing4j;

class SpawnQueueIT extends QueueContract {
    @Override
    StartMethod startMethod() {
        return StartMethod.SPAWN;
    }
}
