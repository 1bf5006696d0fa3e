package org.multiprocessing4j;

class SpawnPoolIT extends PoolContract {
    @Override
    StartMethod startMethod() {
        return StartMethod.SPAWN;
    }
}
