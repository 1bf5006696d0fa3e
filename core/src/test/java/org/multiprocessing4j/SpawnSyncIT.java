package org.multiprocessing4j;

class SpawnSyncIT extends SyncContract {
    @Override
    StartMethod startMethod() {
        return StartMethod.SPAWN;
    }
}
