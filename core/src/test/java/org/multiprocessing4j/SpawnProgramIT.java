package org.multiprocessing4j;

/** {@link ProgramContract} with {@link StartMethod#SPAWN}. */
class SpawnProgramIT extends ProgramContract {
    @Override
    StartMethod startMethod() {
        return StartMethod.SPAWN;
    }
}
