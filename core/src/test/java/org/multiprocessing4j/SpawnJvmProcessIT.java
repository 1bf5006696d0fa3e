package org.multiprocessing4j;

/** {@link JvmProcessContract} with {@link StartMethod#SPAWN}. */
class SpawnJvmProcessIT extends JvmProcessContract {
    @Override
    StartMethod startMethod() {
        return StartMethod.SPAWN;
    }
}
