package org.multiprocessing4j;

/** {@link JvmProcessMisuseContract} with {@link StartMethod#SPAWN}. */
class SpawnJvmProcessMisuseIT extends JvmProcessMisuseContract {
    @Override
    StartMethod startMethod() {
        return StartMethod.SPAWN;
    }
}
