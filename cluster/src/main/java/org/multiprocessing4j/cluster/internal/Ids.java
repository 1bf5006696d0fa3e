package org.multiprocessing4j.cluster.internal;

import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

/**
 * The library's Hazelcast messages, encoded with {@code IdentifiedDataSerializable} (never
 * Java serialization): what one carries for the user travels as signed bytes inside it.
 */
public final class Ids implements DataSerializableFactory {
    /** The factory's id, in the configuration of members and clients ("MP" in ASCII). */
    public static final int FACTORY = 0x4d50;
    static final int AGENT_CALL = 1;
    static final int AGENT_EVENT = 2;
    /** {@link org.multiprocessing4j.cluster.internal.shared.SyncEntry}. */
    public static final int SYNC_ENTRY = 3;
    /** {@link org.multiprocessing4j.cluster.internal.shared.SyncOp}. */
    public static final int SYNC_OP = 4;

    @Override
    public IdentifiedDataSerializable create(int typeId) {
        switch (typeId) {
            case AGENT_CALL:
                return new AgentCall();
            case AGENT_EVENT:
                return new AgentEvent();
            case SYNC_ENTRY:
                return new org.multiprocessing4j.cluster.internal.shared.SyncEntry();
            case SYNC_OP:
                return new org.multiprocessing4j.cluster.internal.shared.SyncOp();
            default:
                return null;
        }
    }
}
