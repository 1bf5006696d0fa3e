package org.multiprocessing4j;

/** {@link ProgramContract} with {@link StartMethod#FORKSERVER}. */
class ForkServerProgramIT extends ProgramContract {
    @Override
    StartMethod startMethod() {
        return StartMethod.FORKSERVER;
    }
}
