package org.multiprocessing4j;

class SpawnInterruptIT extends InterruptContract {
    @Override
    StartMethod startMethod() {
        return StartMethod.SPAWN;
    }
}
