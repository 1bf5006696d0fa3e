package org.multiprocessing4j;

class ForkServerSyncIT extends SyncContract {
    @Override
    StartMethod startMethod() {
        return StartMethod.FORKSERVER;
    }
}
