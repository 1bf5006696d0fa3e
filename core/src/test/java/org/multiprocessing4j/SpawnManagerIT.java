package org.multiprocessing4j;

class SpawnManagerIT extends ManagerContract {
    @Override
    StartMethod startMethod() {
        return StartMethod.SPAWN;
    }
}
